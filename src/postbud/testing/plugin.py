"""``pytest-postbud``: Postbud as a fixture for an integrator's own test suite.

Installed with the ``postbud`` package (a ``pytest11`` entry point), so the fixtures are there in
any project that depends on Postbud:

- ``postbud_server`` (session): one ``postbud serve`` subprocess on a free port with a temporary data
  folder, shared by the session's tests (or the server at ``--postbud-url``);
- ``postbud`` (function): a ``PostbudSandbox`` on it, reset before the test (letters, events, jobs,
  deliveries and captures gone; the credentials and population kept): the clock, what arrived, and
  SDK clients;
- ``postbud_credentials``, ``postbud_digipost``, ``postbud_ekopost``, ``postbud_altinn``: the sandbox
  sender's credentials, and each dialect's SDK client as that sender (closed after the test).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # imported by the fixtures: a pytest run that uses none of them loads none of Postbud
    from postbud.sdk.altinn import AltinnClient
    from postbud.sdk.digipost import DigipostClient
    from postbud.sdk.ekopost import EkopostClient
    from postbud.testing.sandbox import PostbudSandbox
    from postbud.testing.server import RunningPostbud, SandboxCredentials


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("postbud", "Postbud sandbox (pytest-postbud)")
    group.addoption(
        "--postbud-url",
        default=None,
        help="Use the Postbud at this URL instead of starting one (with --postbud-data-dir and "
        "--postbud-admin-token: its data folder and admin token).",
    )
    group.addoption(
        "--postbud-data-dir", default=None, help="The data folder of the server at --postbud-url."
    )
    group.addoption(
        "--postbud-admin-token", default=None, help="The admin token of the server at --postbud-url."
    )
    group.addoption(
        "--postbud-database-url",
        default=None,
        help="Start the server on this database (postgresql+asyncpg://…) instead of SQLite.",
    )


@pytest.fixture(scope="session")
def postbud_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningPostbud]:
    """The Postbud this session's tests talk to: started once, stopped at the end."""
    from postbud.testing.server import RunningPostbud, sandbox_credentials, serving

    config = request.config
    url = config.getoption("--postbud-url")
    if url:
        data_dir = Path(config.getoption("--postbud-data-dir") or "postbud-data")
        token = config.getoption("--postbud-admin-token") or (data_dir / "admin-token").read_text().strip()
        yield RunningPostbud(url.rstrip("/"), data_dir, sandbox_credentials(data_dir, token))
        return
    data_dir = tmp_path_factory.mktemp("postbud") / "data"
    with serving(data_dir, database_url=config.getoption("--postbud-database-url")) as running:
        yield running


@pytest.fixture
def postbud(postbud_server: RunningPostbud) -> Iterator[PostbudSandbox]:
    """The sandbox, emptied of the previous test's letters before this one starts."""
    from postbud.testing.sandbox import PostbudSandbox

    sandbox = PostbudSandbox(postbud_server)
    try:
        sandbox.reset()
        yield sandbox
    finally:
        sandbox.close()


@pytest.fixture
def postbud_credentials(postbud_server: RunningPostbud) -> SandboxCredentials:
    return postbud_server.credentials


@pytest.fixture
def postbud_digipost(postbud: PostbudSandbox) -> Iterator[DigipostClient]:
    with postbud.digipost() as client:
        yield client


@pytest.fixture
def postbud_ekopost(postbud: PostbudSandbox) -> Iterator[EkopostClient]:
    with postbud.ekopost() as client:
        yield client


@pytest.fixture
def postbud_altinn(postbud: PostbudSandbox) -> Iterator[AltinnClient]:
    with postbud.altinn() as client:
        yield client


@pytest.fixture
def postbud_pdf() -> bytes:
    """A real one-page PDF (Postbud refuses a "PDF" that is not one)."""
    from postbud.testing.pdf import sample_pdf

    return sample_pdf("Postbud test letter")
