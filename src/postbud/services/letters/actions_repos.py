"""The repositories of the letter actions that the unit of work does not build yet (one place, so
that when ``SqlUnitOfWork`` has them this file goes and its callers use ``uow.<name>``)."""

from __future__ import annotations

from postbud.storage.repos.letter_terms import LetterTermsRepository
from postbud.storage.repos.waiting_jobs import WaitingJobRepository
from postbud.storage.unit_of_work import SqlUnitOfWork


def letter_terms(uow: SqlUnitOfWork) -> LetterTermsRepository:
    return LetterTermsRepository(uow.conn)


def waiting_jobs(uow: SqlUnitOfWork) -> WaitingJobRepository:
    return WaitingJobRepository(uow.conn)
