"""The platform API's OpenAPI description is the truth: every operation, fed what its schema allows
(and what it does not), answers no 5xx, only documented status codes and bodies of the documented
shape, and OPTIONS and unsupported methods with a correct ``Allow``. Schemathesis generates the
requests from the live schema; bounded in examples per operation, on SQLite, against a real server.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from postbud.app import create_app
from postbud.config import Settings
from tests.integration.sdk_live_server import loopback_listener, serving

ADMIN_TOKEN = "schema-admin-token"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
EXAMPLES_PER_OPERATION = 12
# Not checked: that every request the schema allows is accepted. A schema cannot say that an
# organisation number's check digit is wrong or that an id names nothing; those are 400s and 404s
# by design. What a schema can say (required, not empty, bounds, no unknown fields) it does say.


@pytest.fixture(scope="module")
def api_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    listener, root_url = loopback_listener()
    folder: Path = tmp_path_factory.mktemp("schema") / "data"
    app = create_app(Settings(data_dir=folder, admin_token=ADMIN_TOKEN, workers=1, public_url=root_url))
    with serving(app, listener, date_header=False):
        yield root_url


def _schema() -> Any:
    """The schema as the app describes itself (no server needed to describe it)."""
    # Describing itself writes nothing, but a data folder of its own keeps any file out of the checkout.
    app = create_app(Settings(data_dir=Path(tempfile.mkdtemp()) / "data", admin_token=ADMIN_TOKEN))
    return schemathesis.openapi.from_dict(app.openapi()).include(path_regex="^/api/v1/")


SCHEMA = _schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.label for o in OPERATIONS])
def test_every_operation_answers_as_its_schema_says(operation: Any, api_root: str) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def answers_as_described(case: Any) -> None:
        case.call_and_validate(base_url=api_root, headers=ADMIN, excluded_checks=[positive_data_acceptance])

    answers_as_described()
