"""Postbud's own JSON API under ``/api/v1``: senders, recipients, shipments, jobs, webhooks, sandbox."""

from __future__ import annotations

from fastapi import APIRouter

PREFIX = "/api/v1"
"""Each router carries the full prefix, so route templates (metric labels) are complete."""
MAX_OFFSET = 2**31 - 1
"""The largest offset a list takes: a bigger one would overflow the databases' integers (a 500)."""


def platform_router() -> APIRouter:
    from postbud.platform_api import (
        captures,
        jobs,
        print_limits,
        recipients,
        sandbox,
        sandbox_reset,
        senders,
        shipments,
        webhooks,
    )

    router = APIRouter()
    for module in (
        senders,
        print_limits,
        recipients,
        shipments,
        webhooks,
        jobs,
        sandbox,
        sandbox_reset,
        captures,
    ):
        router.include_router(module.router)
    return router
