"""The job queue: counts by status, the dead jobs, and putting them back in line."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from postbud.platform_api import PREFIX
from postbud.platform_api.auth import AdminDep, RuntimeDep
from postbud.platform_api.errors import PROBLEM_RESPONSES, ProblemRoute
from postbud.platform_api.models import DeadJob, JobCounts, Requeued
from postbud.storage import schema
from postbud.storage.repos.jobs import DEAD

router = APIRouter(
    prefix=f"{PREFIX}/jobs", tags=["jobs"], route_class=ProblemRoute, responses=PROBLEM_RESPONSES
)


@router.get("", summary="Jobs by status")
async def counts(runtime: RuntimeDep, _: AdminDep) -> JobCounts:
    async with runtime.reader() as uow:
        return JobCounts(counts=await uow.jobs.counts())


@router.get("/dead", summary="Jobs that failed their last attempt")
async def dead(runtime: RuntimeDep, _: AdminDep, limit: int = 100) -> list[DeadJob]:
    j = schema.jobs.c
    query = (
        select(j.id, j.kind, j.attempts, j.last_error, j.updated_at)
        .where(j.status == DEAD)
        .order_by(j.updated_at.desc())
        .limit(limit)
    )
    async with runtime.reader() as uow:
        rows = (await uow.conn.execute(query)).mappings()
        return [DeadJob(**row) for row in rows]


@router.post("/dead/requeue", summary="Run every dead job again from its first attempt")
async def requeue_dead(runtime: RuntimeDep, _: AdminDep) -> Requeued:
    j = schema.jobs.c
    async with runtime.unit_of_work() as uow:
        ids = [row[0] for row in await uow.conn.execute(select(j.id).where(j.status == DEAD))]
        for job_id in ids:
            await uow.jobs.requeue(job_id, now=runtime.clock.now())
    runtime.jobs_available()
    return Requeued(requeued=len(ids))
