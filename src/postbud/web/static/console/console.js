// The operator console's live feed: new events arrive as server-sent events (rendered table rows).
// EventSource reconnects by itself, sending Last-Event-ID, so the server continues where it was.
(function () {
  "use strict";
  var table = document.querySelector("[data-feed-stream]");
  if (!table || !window.EventSource) {
    return;
  }
  var body = table.tBodies[0];
  var status = document.querySelector("[data-feed-status]");
  var maxRows = Number(table.getAttribute("data-feed-max")) || 200;
  var source = new EventSource(table.getAttribute("data-feed-stream"));

  function show(state) {
    if (!status) {
      return;
    }
    status.textContent = status.getAttribute("data-" + state);
    status.classList.toggle("live--on", state === "live");
  }

  source.addEventListener("open", function () {
    show("live");
  });
  source.addEventListener("error", function () {
    show("offline");
  });
  source.addEventListener("feed", function (event) {
    var empty = document.querySelector("[data-feed-empty]");
    if (empty) {
      empty.remove();
    }
    body.insertAdjacentHTML("afterbegin", event.data);
    while (body.rows.length > maxRows) {
      body.deleteRow(-1);
    }
  });
  window.addEventListener("pagehide", function () {
    source.close();
  });
})();
