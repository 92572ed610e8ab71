"""What every web handler can reach: settings, the runtime, the page renderer, the sign-in and e-ID
seams."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from starlette.requests import Request

from postbud.config import Settings
from postbud.services.runtime import Runtime
from postbud.web.signin import SignIn
from postbud.web.templating import Pages

if TYPE_CHECKING:  # the e-ID seam reads this module's ``web_context``
    from postbud.web.e_id import EId

DEFAULT_UPLOAD_BYTES: Final = 20 * 1024 * 1024


@dataclass
class WebContext:
    settings: Settings
    runtime_of: Callable[[], Runtime]
    """The runtime is built in the app's lifespan, after the routes; so it is looked up per request."""
    pages: Pages
    sign_in: SignIn
    e_id: EId
    """Proves a person's national identity number, for those with no inbox to sign in to."""
    max_upload_bytes: int = DEFAULT_UPLOAD_BYTES

    @property
    def runtime(self) -> Runtime:
        return self.runtime_of()


def web_context(request: Request) -> WebContext:
    context = request.app.state.web
    assert isinstance(context, WebContext)
    return context
