"""The studios' forms: the registry's filters, registering a studio (the host by its union's code, the lead by ID
number), its members, its funding, a decision on its status, and the assessment's two forms — the host union's
self-assessment (points and evidence per item) and the assessing union's confirmation (points and reason per item).
Forms parse; the verbs decide (their refusals come back onto the fields they name)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjiang.core.crypto import lookup_hash
from gongjiang.core.forms import MultipleFileField
from gongjiang.core.ids import IdentifierError, parse_id_card
from gongjiang.core.rubrics import rubric as engine
from gongjiang.orgs.models import Org, Person

from .studio_choices import MemberRole, Result, StudioKind, StudioLevel, StudioStatus

ALL = _("All")


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", ALL), *choices]


class StudioFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=60)
    kind = forms.ChoiceField(label=_("studio kind"), required=False, choices=_any(StudioKind.choices))
    level = forms.ChoiceField(label=_("level"), required=False, choices=_any(StudioLevel.choices))
    city = forms.ChoiceField(label=_("city"), required=False)
    status = forms.ChoiceField(label=_("status"), required=False, choices=_any(StudioStatus.choices))
    result = forms.ChoiceField(label=_("last result"), required=False,
                               choices=_any([*Result.choices, ("none", _("Not assessed yet"))]))

    def __init__(self, *args: Any, cities: list[Org], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = _any([(str(c.pk), c.display_name) for c in cities])


def find_person(number: str, within: Org) -> tuple[Person | None, str]:
    """The person of an ID number on the roster of `within` (or the reason there is none)."""
    number = (number or "").strip().upper()
    try:
        info = parse_id_card(number)
    except IdentifierError as e:
        return None, str(e)
    found = (Person.objects.filter(id_hash=lookup_hash(info.number), employer__path__startswith=within.path)
             .select_related("employer").first())
    if found is None:
        return None, str(_("No one with this ID number is on the roster of %(org)s.") % {"org": within.name})
    return found, ""


class StudioForm(forms.Form):
    name = forms.CharField(label=_("studio name"), max_length=120)
    kind = forms.ChoiceField(label=_("studio kind"), choices=StudioKind.choices)
    level = forms.ChoiceField(label=_("level"), choices=StudioLevel.choices)
    year = forms.IntegerField(label=_("year recognised"))
    host_code = forms.CharField(label=_("host enterprise's union code"), max_length=40,
                                help_text=_("The code of the enterprise's union in the organisation tree."))
    lead_id = forms.CharField(label=_("lead's ID number"), max_length=18)
    specialty = forms.CharField(label=_("field of work"), max_length=120, required=False)

    def __init__(self, *args: Any, union: Org, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.union = union
        self.fields["year"].initial = timezone.localdate().year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = (data.get("host_code") or "").strip()
        if code:
            host = Org.objects.filter(code=code, path__startswith=self.union.path).first()
            if host is None:
                self.add_error("host_code", _("No union of this code within %(org)s.") % {"org": self.union.name})
                return data
            data["host"] = host
            if data.get("lead_id"):
                lead, problem = find_person(data["lead_id"], host)
                if lead is None:
                    self.add_error("lead_id", problem)
                data["lead"] = lead
        return data


class StudioEditForm(forms.Form):
    """Correcting the registry entry: what is left as it was does not change; the lead by a new ID number (empty:
    the same lead), the host by its union's code within the recognising union."""

    name = forms.CharField(label=_("studio name"), max_length=120)
    specialty = forms.CharField(label=_("field of work"), max_length=120, required=False)
    host_code = forms.CharField(label=_("host enterprise's union code"), max_length=40)
    lead_id = forms.CharField(label=_("new lead's ID number"), max_length=18, required=False,
                              help_text=_("Leave empty to keep the lead."))
    level = forms.ChoiceField(label=_("level"), choices=StudioLevel.choices)
    year = forms.IntegerField(label=_("year recognised"))
    reason = forms.CharField(label=_("reason for the correction"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Required when the host, the level or the year changes."))

    def __init__(self, *args: Any, studio: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"name": studio.name, "specialty": studio.specialty,
                                      "host_code": studio.host.code, "level": studio.level, "year": studio.year})
        super().__init__(*args, **kwargs)
        self.studio = studio

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = (data.get("host_code") or "").strip()
        union = self.studio.recognised_by
        host = self.studio.host
        if code and code != host.code:
            found = Org.objects.filter(code=code, path__startswith=union.path).first()
            if found is None:
                self.add_error("host_code", _("No union of this code within %(org)s.") % {"org": union.name})
                return data
            host = found
        data["host"] = host
        data["lead"] = None
        if data.get("lead_id"):
            lead, problem = find_person(data["lead_id"], host)
            if lead is None:
                self.add_error("lead_id", problem)
            data["lead"] = lead
        return data


class MembersForm(forms.Form):
    lead_id = forms.CharField(label=_("new lead's ID number"), max_length=18, required=False)
    add_id = forms.CharField(label=_("ID number of a member to add"), max_length=18, required=False)
    role = forms.ChoiceField(label=_("role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    remove = forms.MultipleChoiceField(label=_("members to remove"), required=False,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, host: Org, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.host = host
        self.members = {str(m.person_id): m.person for m in members}
        self.fields["remove"].choices = [(pk, p.name) for pk, p in self.members.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key, out in (("lead_id", "lead"), ("add_id", "add_person")):
            if data.get(key):
                found, problem = find_person(data[key], self.host)
                if found is None:
                    self.add_error(key, problem)
                data[out] = found
        data["remove_people"] = [self.members[pk] for pk in data.get("remove") or []]
        return data


class FundingForm(forms.Form):
    year = forms.IntegerField(label=_("year"))
    amount = forms.DecimalField(label=_("amount (10,000 yuan)"), max_digits=10, decimal_places=4)
    source = forms.CharField(label=_("source"), max_length=80)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label=_("decision"), choices=[
        ("suspend", _("Suspend (a serious fault)")), ("reinstate", _("Reinstate")),
        ("revoke", _("Revoke the recognition"))])
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    decision = forms.CharField(label=_("decision document"), max_length=120, required=False,
                               help_text=_("The document deciding it, e.g. 鲁工发〔2026〕12号."))


YES_NO = [("0", _("no")), ("1", _("yes"))]


def _answer_field(item: engine.Item, initial: Any = None) -> forms.Field:
    """The field answering one item of the rubric: the points of an 打分 item, yes or no for a veto, how many for a
    deduction or a bonus (the verbs check the answer against the rubric)."""
    if item.mode in (engine.VETO, engine.YESNO):
        return forms.ChoiceField(label=item.title, choices=YES_NO, required=False,
                                 initial="1" if initial is True else "0", help_text=item.reason)
    if item.mode == engine.LEVELS:
        return forms.ChoiceField(label=item.title, choices=[("", "—"), *[(n, n) for n, _p in item.levels]],
                                 required=False, initial=initial)
    if item.mode in engine.COUNTED:
        return forms.DecimalField(label=item.title, min_value=Decimal(0), decimal_places=2, max_digits=8,
                                  initial=initial if initial is not None else Decimal(0), required=False,
                                  help_text=item.guide)
    return forms.DecimalField(label=item.title, min_value=Decimal(0), max_value=item.points, decimal_places=1,
                              max_digits=6, initial=initial, required=False,
                              help_text=_("At most %(max)s points.") % {"max": item.points})


def _sent(value: Any) -> Any:
    return None if value in (None, "") else value


class SelfAssessmentForm(forms.Form):
    """A row per item: its answer (points, yes/no, how many) and the evidence in words; the apprentices trained; a
    summary of the year."""

    apprentices = forms.IntegerField(label=_("apprentices trained"), min_value=0, max_value=1000, initial=0)
    summary = forms.CharField(label=_("summary of the year"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, items: list[engine.Item], answers: dict[str, Any], notes: dict[str, str],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for i in items:
            self.fields[f"points_{i.key}"] = _answer_field(i, answers.get(i.key))
            self.fields[f"note_{i.key}"] = forms.CharField(label=_("evidence"), required=False, max_length=2000,
                                                           initial=notes.get(i.key, ""))

    def rows(self) -> list[tuple[engine.Item, Any, Any]]:
        return [(i, self[f"points_{i.key}"], self[f"note_{i.key}"]) for i in self.items]

    def points(self) -> dict[str, Any]:
        return {i.key: _sent(self.cleaned_data.get(f"points_{i.key}")) for i in self.items}

    def notes(self) -> dict[str, str]:
        return {i.key: self.cleaned_data.get(f"note_{i.key}") or "" for i in self.items}


class ConfirmForm(forms.Form):
    """A row per item: the answer the assessing union gives (the self-assessed one by default) and the reason of a
    change."""

    def __init__(self, *args: Any, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = [line for line in lines if line.score is not None]
        for line in self.lines:
            key = line.item.key
            self.fields[f"points_{key}"] = _answer_field(line.item, line.self_value)
            self.fields[f"reason_{key}"] = forms.CharField(label=_("reason for the adjustment"), required=False,
                                                           max_length=2000)

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(line, self[f"points_{line.item.key}"], self[f"reason_{line.item.key}"]) for line in self.lines]

    def points(self) -> dict[str, Any]:
        return {line.item.key: _sent(self.cleaned_data.get(f"points_{line.item.key}")) for line in self.lines}

    def reasons(self) -> dict[str, str]:
        return {line.item.key: self.cleaned_data.get(f"reason_{line.item.key}") or "" for line in self.lines}


class EvidenceFilesForm(forms.Form):
    item = forms.ChoiceField(label=_("item"))
    files = MultipleFileField(label=_("files"))

    def __init__(self, *args: Any, items: list[engine.Item], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [(i.key, i.title) for i in items]
