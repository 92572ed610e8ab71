"""The operator console (``/console``): what the platform is doing, and the sandbox's controls.

Signed in with the admin token. A live feed of events (server-sent events), letters and their
timelines, the print queue with the print-ready PDFs, the webhook delivery log with redelivery,
and — in sandbox mode — injected faults and the sandbox clock. Built on the shared web parts
(``postbud.web``): every POST is a CSRF-checked ``form_route``.
"""
