"""Every URL of the inbox, built in one place (templates get this module as ``paths``)."""

from __future__ import annotations

import uuid
from typing import Final

from postbud.domain.documents import AuthenticationLevel
from postbud.web import navigation

query = navigation.query

ROOT: Final = "/inbox"
HOME: Final = f"{ROOT}/"
SIGN_IN: Final = f"{ROOT}/sign-in"
SIGN_OUT: Final = f"{ROOT}/sign-out"
STEP_UP: Final = f"{ROOT}/step-up"
SAMPLES: Final = f"{ROOT}/sandbox/sample-letters"


def home(folder: str | None = None, q: str | None = None, cursor: str | None = None) -> str:
    return query(HOME, folder=None if folder == "inbox" else folder, q=q, cursor=cursor)


def sign_in(next_url: str | None = None) -> str:
    return query(SIGN_IN, next=next_url if next_url != HOME else None)


def step_up(level: AuthenticationLevel, next_url: str) -> str:
    return query(STEP_UP, level=level.value, next=next_url)


def letter(letter_id: uuid.UUID) -> str:
    return f"{ROOT}/letters/{letter_id}"


def action(letter_id: uuid.UUID, name: str) -> str:
    """A form target on a letter: open, archive, unarchive, pay, share, withdraw."""
    return f"{letter(letter_id)}/{name}"


def document(letter_id: uuid.UUID, document_id: uuid.UUID) -> str:
    return f"{letter(letter_id)}/documents/{document_id}"


def page_image(letter_id: uuid.UUID, document_id: uuid.UUID, page: int, width: int) -> str:
    return f"{document(letter_id, document_id)}/pages/{page}.png?w={width}"


def calendar(letter_id: uuid.UUID) -> str:
    return f"{letter(letter_id)}/calendar.ics"


def safe_next(candidate: str | None) -> str:
    """Where to go after signing in: a path inside the inbox, never another site."""
    return navigation.safe_next(candidate, root=ROOT, home=HOME)
