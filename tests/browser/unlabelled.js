() => [...document.querySelectorAll('input, select, textarea')]
  // Visible form fields a screen reader cannot name; returns them.
  .filter(f => f.type !== 'hidden' && f.getClientRects().length > 0)
  .filter(f => !(f.labels && f.labels.length) && !f.getAttribute('aria-label') && !f.getAttribute('aria-labelledby'))
  .map(f => f.outerHTML.slice(0, 80))
