"""A test whose tool is missing: skipped on a developer's machine, a failure under CI.

CI installs every tool the suite needs (scripts/test.sh), so a missing one there is a broken
setup, and a skip would let the tests that need it pass by not running.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def tool_missing(message: str) -> NoReturn:
    """Skip the test, or fail it under CI, because ``message`` says what is missing."""
    if under_ci():
        pytest.fail(f"{message}. Under CI every tool must be there: the test must run, not be skipped.")
    pytest.skip(message)
