"""Postbud's own web pages: server-rendered Jinja2 with a little htmx, no build step.

The shared infrastructure, for every part (the recipient inbox in ``inbox/``, the operator console):

- ``mount.py`` — ``mount_web(app, settings, runtime_of)`` mounts ``/static`` and each part; a new
  part adds its catalogue to ``build_web_context`` and one ``app.mount(...)`` line.
- ``home.py`` — the home page at ``/`` (what runs, each API's base URL and how to connect, the
  sandbox credentials and time); ``home_facts.py`` holds the facts it shares with ``postbud serve``'s
  banner. ``api_docs.py`` — Swagger UI and ReDoc of the platform API, served from the package.
- ``webapp.py`` — ``web_app(context, routes)`` builds a part as a Starlette app with the common
  middleware (security headers, signed session, language) and error pages.
- ``forms.py`` — ``form_route(path, handler)``: every POST; checks the CSRF token before the handler
  runs and bounds the body (``max_bytes``); ``text_field`` reads a field.
- ``templating.py`` — ``Pages.render(request, template, context)`` with ``t`` (page texts), ``fmt``
  (dates, money), ``csrf_token``, ``static_url``; templates in ``templates/`` extend ``base.html``
  (blocks ``title``, ``product``, ``header_nav``, ``main``, ``footer_note``; ``home_url`` is the part's
  start page, from the mount path).
- ``i18n.py`` — bokmål and English: ``Catalogue(*parts)`` of ``key: (nb, en)`` texts, chosen by
  ``?lang=``, the session, or Accept-Language. Each part writes its texts in sections and loads
  them with ``texts(*sections)`` (checked: keys once, both languages, the same placeholders);
  ``texts.py`` holds the shared texts (each part has its own ``texts.py``; "message" means a letter).
- ``formatting.py`` — ``fmt`` in templates: dates, times, amounts, sizes and durations by Babel.
- ``sessions.py``, ``csrf.py``, ``security.py`` — the signed session cookie (key in the data
  folder), the session-bound CSRF token, and the response headers (CSP, no-store).
- ``signin.py`` — the ``SignIn`` seam to an identity provider; ``sandbox_signin.py`` implements it
  for the sandbox (pick any seeded person or organisation).
- ``errors.py`` — ``error_page(request, status, message)``.
"""
