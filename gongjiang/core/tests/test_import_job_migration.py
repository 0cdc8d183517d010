"""The migration of import jobs from a foreign key to orgs.Org to a stored union (core 0005) and of the start
arguments some imports kept in `summary` to `params` (competitions 0006): jobs made before the upgrade keep their
union, their scope and their competition; going back restores the key."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from gongjiang.core.models import ImportJob

BEFORE = [("core", "0004_notices_certificates"), ("competitions", "0005_certificate_fields_in_core")]


def migrate(targets: list[tuple[str, str]] | None = None) -> Any:
    """Migrate to `targets` (every app's latest when None); the models as they are there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_jobs_made_before_keep_their_union_scope_and_competition(sd):
    try:
        old = migrate(BEFORE)
        Job = old.get_model("core", "ImportJob")
        roster = Job.objects.create(kind="roster", org_id=sd.steel.pk, filename="名册.xlsx", state="done",
                                    summary={"created": 3, "updated": 0, "members": 1})
        registrations = Job.objects.create(kind="competition_registrations", org_id=sd.qd_enterprise.pk,
                                           filename="报名.xlsx", state="pending", summary={"competition": 7})
        scheme = Job.objects.create(kind="scheme", org_id=sd.province.pk, filename="评分标准.xlsx", state="invalid",
                                    summary={"event": 5, "expected_total": "100"})
        migrate()

        job = ImportJob.objects.get(pk=roster.pk)
        assert (job.org_id, job.org_path, job.industry_path, job.org_name) == (
            sd.steel.pk, sd.steel.path, sd.steel.industry_path, sd.steel.name)
        assert sd.steel.industry_path  # affiliated to the industry union: the case that needs both paths
        assert job.params == {} and job.summary == {"created": 3, "updated": 0, "members": 1}
        job = ImportJob.objects.get(pk=registrations.pk)
        assert (job.org_path, job.params, job.summary) == (sd.qd_enterprise.path, {"competition": 7},
                                                           {"competition": 7})
        assert ImportJob.objects.get(pk=scheme.pk).params == {"event": 5}
        # Seen where the union is, as before: the kernel scopes the stored paths.
        assert set(ImportJob.objects.for_user(sd.industry_cadre).values_list("pk", flat=True)) == {roster.pk}
        assert set(ImportJob.objects.for_user(sd.qingdao_cadre).values_list("pk", flat=True)) == {registrations.pk}
        assert ImportJob.objects.for_user(sd.province_admin).count() == 3

        old = migrate(BEFORE)  # and back: the foreign key again
        restored = dict(old.get_model("core", "ImportJob").objects.values_list("pk", "org_id"))
        assert restored == {roster.pk: sd.steel.pk, registrations.pk: sd.qd_enterprise.pk, scheme.pk: sd.province.pk}
    finally:
        migrate()
