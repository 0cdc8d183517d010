"""Background tasks of the core: they take IDs, never objects.

A task module imports the service it runs, never the other way round: the import task is defined next to the
import it runs (`imports.run_import_task`, which enqueues it) and is named here too, for the jobs queued under
this module's path before it moved."""

from __future__ import annotations

from django_tasks import task

from .imports import run_import_task  # noqa: F401  (queued rows may name gongjiang.core.tasks.run_import_task)
from .notifications import deliver_notifications_task  # noqa: F401  (likewise for queued deliveries)


@task()
def close_due_notices_task() -> int:
    """Close the public notices whose last day has passed and let their owners react (`notices.close_due`); run
    daily (`manage.py close_due_notices` from a timer). Reading or acting on a notice closes it too."""
    from .notices import close_due

    return close_due()
