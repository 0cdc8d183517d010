"""The reference data the apps' migrations load (core.registry.register_reference_data) comes back after a
transactional test's flush empties it: the root conftest reloads it through the registry, naming no app."""

from __future__ import annotations

from django.db import connection

from gongjiang.core import registry
from gongjiang.honours.models import HonourType, Rubric
from gongjiang.orgs.models import Occupation


def test_every_entry_knows_when_its_rows_are_gone_and_puts_them_back(db):
    entries = {e.key: e for e in registry.reference_data()}
    assert {"orgs.occupations", "honours.standard_types", "honours.studio_rubrics"} <= set(entries)
    for key, model in (("orgs.occupations", Occupation), ("honours.standard_types", HonourType),
                       ("honours.studio_rubrics", Rubric)):
        before = model.objects.count()
        assert before and not entries[key].missing()
        with connection.constraint_checks_disabled():
            model.objects.all().delete()
        assert entries[key].missing()
        entries[key].load()
        assert model.objects.count() == before and not entries[key].missing()
