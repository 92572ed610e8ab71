"""The credential and resource repositories of a unit of work.

One place to reach them until the unit of work carries them itself (requested of its owner); then
these return ``uow.credentials`` and ``uow.resources``.
"""

from __future__ import annotations

from postbud.storage.repos.credentials import CredentialRepository
from postbud.storage.repos.resources import ResourceRepository
from postbud.storage.unit_of_work import SqlUnitOfWork


def credentials_of(uow: SqlUnitOfWork) -> CredentialRepository:
    repo = getattr(uow, "credentials", None)
    return repo if isinstance(repo, CredentialRepository) else CredentialRepository(uow.conn)


def resources_of(uow: SqlUnitOfWork) -> ResourceRepository:
    repo = getattr(uow, "resources", None)
    return repo if isinstance(repo, ResourceRepository) else ResourceRepository(uow.conn)
