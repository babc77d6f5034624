"""The staff web page: Spanish, server-rendered pages (Jinja2) with a little JavaScript, served by the API's own app.

Every asset is in `static/` (no CDN, no outside fonts). One module per page: `pages_search` (Buscar / Preguntar and
the quote on its page), `pages_documents` (Documentos), `pages_briefing` (Ayuda memoria), `pages_register`
(Compromisos); `session` holds sign-in, the session cookie and CSRF; `templating` the Jinja2 environment and filters.
"""

from service.web.app import install_web

__all__ = ["install_web"]
