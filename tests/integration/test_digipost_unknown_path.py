"""A path the Digipost API does not have is ``404`` in Digipost's own error format (it was ``501``
while parts of the API were missing; now every resource the clients know is served)."""

from __future__ import annotations

from tests.integration.digipost_client import SignedClient
from tests.integration.digipost_fixtures import client, error_code
from tests.integration.digipost_requests import request

__all__ = ["client"]


def test_a_path_the_api_does_not_have_is_not_found(client: SignedClient) -> None:
    path = "/digipost/sender/details"  # a path a third-party client guessed

    response = request(client, "GET", path)

    assert (response.status_code, error_code(response)) == (404, "GENERAL_ERROR")
    assert "no such resource" in response.text
    client.verify(response, path)
