"""The rights verbs as a county rights officer and an enterprise union use them: what each records, the figures it
keeps in the fact store, and every bad input refused with nothing changed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from gongjiang.core.errors import DomainError
from gongjiang.core.models import AuditEvent, Notification
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact, Period
from gongjiang.rights import figures, services
from gongjiang.rights.models import Congress, Contract, Delegate, Offer, Session

from .factories import rights
from .journey import everything

D = datetime.date


def fact(org, key, year):
    row = Fact.objects.filter(org=org, metric=key, period=Period.YEAR, start=D(year, 1, 1)).first()
    return row.value if row else 0


@pytest.fixture
def rw(sd):
    return rights(sd)


def test_every_verb_once_keeps_the_fact_store_right(sd):
    rw = everything(sd)
    assert facts.differences() == {}
    for year in (2024, 2025, 2026, 2027):
        assert fact(sd.province, figures.CONGRESS, year) == 1 + (year >= 2025)  # the steel works, the small firm
    assert fact(sd.metallurgy, figures.CONGRESS, 2026) == 1  # through the industry tree
    assert fact(sd.lixia, figures.OPENNESS, 2025) == 1 and fact(sd.lixia, figures.OPENNESS, 2026) == 0
    wages = figures.contract_metric("wages")
    assert [fact(sd.jinan, wages, y) for y in (2022, 2023, 2024, 2025, 2026, 2027, 2028)] == [0, 1, 1, 1, 1, 1, 0]
    assert fact(sd.jinan, figures.COVERED, 2026) == 3000
    assert fact(sd.steel, figures.SESSIONS, 2025) == 1
    assert fact(sd.lixia, figures.offer_metric("sent"), 2026) == 2
    assert fact(sd.lixia, figures.offer_metric("signed"), 2026) == 1
    assert Offer.objects.get(enterprise=rw.small).state == "refused"


def test_delegates_carry_the_roster_flags_and_shares(rw):
    c = rw.congress()
    flags = list(c.delegates.values_list("is_front_line", "is_woman", "is_migrant"))
    assert len(flags) == 9
    assert sum(f[0] for f in flags) == 1 + 5  # the team's worker and five of the others
    assert sum(f[2] for f in flags) == 2
    assert AuditEvent.objects.filter(verb="rights.delegates.elected").count() == 1


def test_a_delegate_who_is_not_an_employee_is_refused(rw, sd):
    c = rw.congress(delegates=0)
    with pytest.raises(DomainError, match="王芳 is not an employee of") as e:
        services.elect_delegates(actor=sd.enterprise_cadre, congress=c, people=[rw.people[0], sd.qd_person],
                                 elected_on=D(2024, 3, 1))
    assert e.value.errors.keys() == {"people"} and e.value.status == 422
    assert not Delegate.objects.exists()


def test_a_session_below_the_quorum_is_refused(rw, sd):
    c = rw.congress()
    with pytest.raises(DomainError, match="Only 5 of 9 delegates present: a session needs two thirds, at least 6"):
        services.hold_session(actor=sd.enterprise_cadre, congress=c, held_on=D(2025, 3, 1), present=5)
    assert not Session.objects.exists() and fact(sd.steel, figures.SESSIONS, 2025) == 0
    with pytest.raises(DomainError, match="within the term"):
        services.hold_session(actor=sd.enterprise_cadre, congress=c, held_on=D(2024, 2, 1), present=9)
    s = services.hold_session(actor=sd.enterprise_cadre, congress=c, held_on=D(2025, 3, 1), present=6)
    assert (s.number, s.delegates, s.present) == (1, 9, 6)


def test_a_contract_ending_before_it_starts_is_refused(rw, sd):
    with pytest.raises(DomainError, match=r"ends .2025-12-31. before it starts .2026-01-01.") as e:
        rw.contract(starts_on=D(2026, 1, 1), ends_on=D(2025, 12, 31))
    assert "ends_on" in e.value.errors
    assert not Contract.objects.exists() and not AuditEvent.objects.filter(verb__startswith="rights.").exists()


def test_a_contract_overlapping_another_of_the_same_kind_is_refused(rw, sd):
    rw.contract(starts_on=D(2025, 1, 1), ends_on=D(2026, 12, 31))
    with pytest.raises(DomainError, match="already has a contract of this kind") as e:
        rw.contract(starts_on=D(2026, 12, 31), ends_on=D(2027, 12, 30), title="新合同")
    assert "starts_on" in e.value.errors
    assert Contract.objects.count() == 1
    rw.contract(kind="women", starts_on=D(2026, 12, 31), ends_on=D(2027, 12, 30))  # another kind: fine
    rw.contract(starts_on=D(2027, 1, 1), ends_on=D(2029, 12, 31), title="续签")  # after it: fine
    assert facts.differences() == {}


def test_a_terminated_contract_counts_up_to_its_day_and_frees_the_term(rw, sd):
    c = rw.contract(starts_on=D(2025, 1, 1), ends_on=D(2027, 12, 31))
    assert fact(sd.province, figures.contract_metric("wages"), 2027) == 1
    services.terminate_contract(actor=sd.enterprise_cadre, contract=c, terminated_on=D(2026, 6, 30), reason="改签")
    assert fact(sd.province, figures.contract_metric("wages"), 2027) == 0
    assert fact(sd.province, figures.contract_metric("wages"), 2026) == 1
    assert facts.differences() == {}


def test_contract_states_in_order(rw, sd):
    c = rw.contract(sign=False)
    assert fact(sd.steel, figures.contract_metric("wages"), 2025) == 0  # a draft counts nowhere
    with pytest.raises(DomainError, match="Only a signed contract is filed"):
        services.file_contract(actor=sd.enterprise_cadre, contract=c, filed_on=D(2025, 1, 5), filed_with="人社局")
    services.sign_contract(actor=sd.enterprise_cadre, contract=c, signed_on=D(2025, 1, 1))
    with pytest.raises(DomainError, match="filed after it is signed"):
        services.file_contract(actor=sd.enterprise_cadre, contract=c, filed_on=D(2024, 12, 5), filed_with="人社局")
    services.file_contract(actor=sd.enterprise_cadre, contract=c, filed_on=D(2025, 1, 5), filed_with="历下区人社局")
    assert Contract.objects.get().state == "filed"


def test_bad_clauses_are_refused_naming_their_fields(rw, sd):
    with pytest.raises(DomainError) as e:
        rw.contract(min_wage=Decimal("-1"), wage_increase=Decimal("300"), weekly_hours=Decimal("80"),
                    women_items=["nonsense"])
    assert e.value.errors.keys() == {"min_wage", "wage_increase", "weekly_hours", "women_items"}
    with pytest.raises(DomainError, match="at most three years"):
        rw.contract(starts_on=D(2025, 1, 1), ends_on=D(2028, 1, 1))
    assert not Contract.objects.exists()


def test_a_regional_congress_covers_small_firms_below_its_union(rw, sd):
    with pytest.raises(DomainError, match="is not within"):
        services.record_congress(actor=sd.province_admin, org=sd.town, form="regional",
                                 established_on=D(2025, 5, 1), term_years=3, enterprises=[sd.qd_enterprise])
    with pytest.raises(DomainError, match="held by an enterprise union"):
        services.record_congress(actor=sd.county_cadre, org=sd.town, form="congress",
                                 established_on=D(2025, 5, 1), term_years=3)
    with pytest.raises(DomainError, match="three to five years"):
        services.record_congress(actor=sd.enterprise_cadre, org=sd.steel, form="congress",
                                 established_on=D(2025, 5, 1), term_years=6)
    assert not Congress.objects.exists()


def test_offers_move_in_order_and_the_enterprise_union_is_told(rw, sd):
    campaign = services.open_bargaining_campaign(actor=sd.county_cadre, org=sd.lixia, year=2026, title="要约行动")
    (offer,) = services.send_offers(actor=sd.county_cadre, campaign=campaign, enterprises=[sd.steel],
                                    sent_on=D(2026, 3, 1))
    assert Notification.objects.filter(recipient=sd.enterprise_cadre, verb="rights.offer.sent").exists()
    with pytest.raises(DomainError, match="cannot move to"):
        services.advance_offer(actor=sd.county_cadre, offer=offer, step="signed", on=D(2026, 3, 2))
    with pytest.raises(DomainError, match="before the last one"):
        services.advance_offer(actor=sd.county_cadre, offer=offer, step="answered", on=D(2026, 2, 2))
    with pytest.raises(DomainError, match="already sent"):
        services.send_offers(actor=sd.county_cadre, campaign=campaign, enterprises=[sd.steel], sent_on=D(2026, 3, 1))
    assert Offer.objects.get().state == "sent" and facts.differences() == {}
