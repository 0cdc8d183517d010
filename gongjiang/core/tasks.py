"""Background tasks of the core: they take IDs, never objects."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_task(job_id: int) -> None:
    from .imports import run_import

    run_import(job_id)
