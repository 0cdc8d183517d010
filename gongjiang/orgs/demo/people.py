"""The demo's people: employers drawn in proportion to their size (济钢 first, the personas' enterprise),
synthetic names, valid ID numbers (GB 11643 check digit), skill grades with their history, memberships and
audit events; then everything written with `core.bulk.insert_rows` in one transaction (COPY on PostgreSQL,
executemany on SQLite), the orgs last with their counters already known."""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from gongjiang.core.bulk import foreign_keys_checked_after, insert_rows, reset_sequences
from gongjiang.core.crypto import encrypt, lookup_hash
from gongjiang.core.ids import id_check_char, mask_id_card
from gongjiang.core.models import AuditEvent

from ..choices import MembershipStatus
from ..models import Membership, Occupation, Org, Person, SkillGradeRecord
from .personas import WORKER_TEAM
from .province import DEMO_NOTE, ORG_FIELDS, K, Node, TreeBuilder, _weighted
from .vocabulary import EDUCATION_MIX, ETHNICITY_MIX, FRONT_LINE_FAMILIES, GRADE_MIX, POLITICAL_MIX, TRADES

PERSON_FIELDS = ["id", "name", "id_encrypted", "id_hash", "id_masked", "gender", "birth_date", "mobile", "ethnicity",
                 "education", "political_status", "employer", "post", "trade", "skill_grade", "is_front_line",
                 "is_migrant", "employment_start", "created_at", "updated_at"]
GRADE_FIELDS = ["id", "person", "grade", "trade", "certificate_no", "certified_on", "source", "created_at"]
MEMBER_FIELDS = ["id", "person", "union", "member_since", "card_no", "status", "updated_at"]
AUDIT_FIELDS = ["id", "actor", "verb", "content_type", "object_id", "object_repr", "org_path", "before", "after",
                "note", "created_at"]


class Builder(TreeBuilder):
    """Builds the demo in one transaction; `log` receives progress lines. The org tree comes from
    `TreeBuilder`; this adds the people and writes both."""

    # -- people ---------------------------------------------------------------------------------

    def _employer_sampler(self) -> Callable[[int], list[Node]]:
        """Employers drawn in proportion to employee counts; within a structured enterprise people work
        mostly in teams and departments."""
        ents = [n for n in self.nodes if n.kind == K.GRASSROOTS and n is not getattr(self, "jigang", None)]
        cum, total = [], 0.0
        for n in ents:
            total += n.employee_count ** 0.8
            cum.append(total)
        rng = self.rng

        def places(ent: Node) -> list[Node]:
            out = [ent]
            for d in ent.children:
                out.append(d)
                out.extend(d.children)
            return out

        cache: dict[int, list[Node]] = {}

        def sample(k: int) -> list[Node]:
            chosen = rng.choices(ents, cum_weights=cum, k=k)
            out = []
            for ent in chosen:
                if not ent.children:
                    out.append(ent)
                    continue
                ps = cache.get(ent.id) or cache.setdefault(ent.id, places(ent))
                teams = [p for p in ps if p.kind == K.TEAM]
                r = rng.random()
                out.append(rng.choice(teams) if teams and r < 0.6 else rng.choice(ps))
            return out

        return sample

    def _jigang_places(self) -> list[Node]:
        ent = getattr(self, "jigang", None)
        if ent is None:
            return []
        out: list[Node] = []
        for d in ent.children:
            out.extend(d.children or [d])
        return out

    def people_batches(self) -> Iterator[list[Node]]:
        """Employers for all people, in chunks (济钢 first: it is the personas' enterprise)."""
        total = self.scale.people
        jigang_n = {"tiny": 40, "demo": 600, "province": 5000}.get(self.scale.name, 600)
        places = self._jigang_places()
        sample = self._employer_sampler()
        first: list[Node] = []
        if places:
            team = self.by_code.get(WORKER_TEAM)
            first = ([team] if team is not None else []) + [self.rng.choice(places) for _ in range(jigang_n - 1)]
            first = first[:total]
        done = 0
        while done < total:
            k = min(self.scale.chunk, total - done)
            batch = first[:k] if first else []
            first = first[len(batch):]
            batch += sample(k - len(batch))
            done += k
            yield batch

    def make_people(self, person_id0: int, grade_id0: int, member_id0: int, audit_id0: int,
                    trade_ids: dict[str, list[tuple[tuple[int, str], int]]], ct_person: int) -> dict[str, int]:
        rng, today, now = self.rng, self.today, self.now
        eth, eth_cum = _weighted(ETHNICITY_MIX)
        edu, edu_cum = _weighted(EDUCATION_MIX)
        pol, pol_cum = _weighted(POLITICAL_MIX)
        grades, grade_cum = _weighted(GRADE_MIX)
        trade_pick = {fam: _weighted(tuple(trade_ids[fam])) for fam in trade_ids}
        pid, gid, mid, aid = person_id0, grade_id0, member_id0, audit_id0
        source = "职业技能等级认定"
        counts = self.counts
        first_person = True
        for batch in self.people_batches():
            people, grade_rows, members, events = [], [], [], []
            for employer in batch:
                family = employer.family or "machinery"
                male = rng.random() < (0.7 if family in FRONT_LINE_FAMILIES else 0.45)
                birth = datetime.date(rng.randint(1965, 2004), rng.randint(1, 12), rng.randint(1, 28))
                if first_person and employer.code == WORKER_TEAM:
                    name, male, mobile = "李强", True, "13912345678"
                    birth = datetime.date(1988, 6, 16)
                    first_person = False
                else:
                    name = self.person_name(male)
                    mobile = self.mobile() if rng.random() < 0.92 else ""
                region = employer.county
                while True:
                    seq = rng.randrange(500) * 2 + (1 if male else 0)
                    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
                    if first17 not in self.id_prefixes:
                        self.id_prefixes.add(first17)
                        break
                number = first17 + id_check_char(first17)
                values, cum = trade_pick.get(family) or trade_pick["machinery"]
                trade_id, trade_name = rng.choices(values, cum_weights=cum)[0]
                adult = datetime.date(birth.year + 18 + rng.randint(0, 5), rng.randint(1, 12), 1)
                start = min(adult, today)
                if start < datetime.date(1985, 1, 1):
                    start = datetime.date(1985, rng.randint(1, 12), 1)
                grade = 0
                worker_trade = family not in ("education", "health")
                if worker_trade and rng.random() < 0.64:
                    grade = rng.choices(grades, cum_weights=grade_cum)[0]
                    steps = list(range(min(5, grade + rng.randint(0, 2)), grade - 1, -1))
                    year = min(today.year, start.year + 1 + rng.randint(0, 3))
                    for g in steps:
                        certified = datetime.date(min(year, today.year), rng.randint(1, 12), rng.randint(1, 28))
                        if certified > today:
                            certified = today
                        grade_rows.append((gid, pid, g, trade_id, f"{certified.year}37{gid:09d}", certified, source,
                                           now))
                        gid += 1
                        year += rng.randint(2, 5)
                if family in ("education", "health"):
                    education = rng.choice(("bachelor", "bachelor", "master", "college"))
                else:
                    education = rng.choices(edu, cum_weights=edu_cum)[0]
                political = rng.choices(pol, cum_weights=pol_cum)[0]
                if political == "cyl" and birth.year < today.year - 28:
                    political = "masses"  # League members are 14–28
                post = trade_name if rng.random() < 0.85 else ("班组长" if employer.kind == K.TEAM else "技术员")
                people.append((pid, name, encrypt(number), lookup_hash(number), mask_id_card(number),
                               "M" if male else "F", birth, mobile, rng.choices(eth, cum_weights=eth_cum)[0],
                               education, political,
                               employer.id, post, trade_id, grade,
                               family in FRONT_LINE_FAMILIES and rng.random() < 0.78,
                               family in FRONT_LINE_FAMILIES and rng.random() < 0.24, start, now, now))
                c = counts.setdefault(employer.id, [0, 0])
                c[0] += 1
                union = employer.union or employer
                if rng.random() < 0.9 or name == "李强":
                    status = MembershipStatus.ACTIVE
                    r = rng.random()
                    if r < 0.015 and name != "李强":
                        status = MembershipStatus.LEFT
                    elif r < 0.02 and name != "李强":
                        status = MembershipStatus.SUSPENDED
                    since = min(today, start + datetime.timedelta(days=rng.randint(30, 900)))
                    members.append((mid, pid, union.id, since, f"GH{union.id:06d}{mid % 100000:05d}", status, now))
                    mid += 1
                    if status == MembershipStatus.ACTIVE:
                        counts.setdefault(union.id, [0, 0])[1] += 1
                if self.scale.person_audit:
                    events.append((aid, None, "orgs.person.created", ct_person, str(pid), name, employer.path, "{}",
                                   "{}", DEMO_NOTE, now))
                    aid += 1
                pid += 1
            insert_rows(Person, PERSON_FIELDS, people)
            insert_rows(SkillGradeRecord, GRADE_FIELDS, grade_rows)
            insert_rows(Membership, MEMBER_FIELDS, members)
            insert_rows(AuditEvent, AUDIT_FIELDS, events)
            self.log(f"  {pid - person_id0:>9,} people")
        return {"people": pid - person_id0, "grade_records": gid - grade_id0, "memberships": mid - member_id0,
                "audit_events": aid - audit_id0}

    # -- writing --------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        t0 = time.perf_counter()
        self.build_tree()
        self.timings["tree"] = time.perf_counter() - t0
        t = time.perf_counter()
        trade_ids = self._trade_ids()
        ct_org = ContentType.objects.get_for_model(Org).id
        ct_person = ContentType.objects.get_for_model(Person).id
        with transaction.atomic(), foreign_keys_checked_after(Person, SkillGradeRecord, Membership, AuditEvent, Org):
            # People first, then the orgs with their counters already known: foreign keys are checked at
            # commit (Django declares them DEFERRABLE INITIALLY DEFERRED), and no UPDATE pass is needed.
            aid = _next_id(AuditEvent)
            self.stats.update(self.make_people(_next_id(Person), _next_id(SkillGradeRecord), _next_id(Membership),
                                               aid + len(self.nodes), trade_ids, ct_person))
            self.timings["people"] = time.perf_counter() - t
            t = time.perf_counter()
            insert_rows(Org, ORG_FIELDS, [n.tuple(self.now, self.counts) for n in self.nodes])
            events = [(aid + i, None, "orgs.org.created", ct_org, str(n.id), n.name, n.path,
                       "{}", json.dumps({"code": n.code, "kind": n.kind}), DEMO_NOTE, self.now)
                      for i, n in enumerate(self.nodes)]
            insert_rows(AuditEvent, AUDIT_FIELDS, events)
            self.stats["audit_events"] += len(events)
            reset_sequences(Org, Person, SkillGradeRecord, Membership, AuditEvent)
            self.timings["orgs"] = time.perf_counter() - t
            self.log(f"  {len(self.nodes):>9,} organisations ({self.timings['orgs']:.1f} s)")
        return {"stats": self.stats, "timings": self.timings}

    def _trade_ids(self) -> dict[str, list[tuple[tuple[int, str], int]]]:
        codes = {c for fam in TRADES.values() for c, _w in fam}
        found = {code: (pk, name) for pk, code, name in
                 Occupation.objects.filter(code__in=codes).values_list("pk", "code", "name")}
        out: dict[str, list[tuple[tuple[int, str], int]]] = {}
        for fam, pairs in TRADES.items():
            kept = [(found[c], w) for c, w in pairs if c in found]
            if kept:
                out[fam] = kept
        if "machinery" not in out:
            raise RuntimeError("The occupation table is empty: run `manage.py migrate` first.")
        return out


def _next_id(model: Any) -> int:
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
