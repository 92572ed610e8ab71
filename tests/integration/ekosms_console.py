"""Signing in to the operator console from a test client, for the SMS mailing and EDI tests."""

from __future__ import annotations

import re
from typing import Any

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ADMIN_TOKEN = "test-admin-token"
"""What ``tests/integration/test_ekopost_fixtures.py`` starts the app with."""


def sign_in(http: Any) -> None:
    match = CSRF.search(http.get("/console/sign-in").text)
    assert match, "no CSRF token on the sign-in page"
    response = http.post(
        "/console/sign-in", data={"csrf_token": match.group(1), "token": ADMIN_TOKEN}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
