"""The honours forms: an honour type's criteria, a new campaign, a union's split of its quota (a row per union
below), a nomination (one nominee), its materials. Forms parse; the verbs decide (their refusals come back onto
the fields they name)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjiang.core.crypto import lookup_hash
from gongjiang.core.forms import DateInput, MultipleFileField
from gongjiang.core.ids import IdentifierError, parse_id_card
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person

from .choices import Level, Material, Subject
from .models import HonourType
from .rules import quotas


def _honour_choices() -> list[tuple[str, str]]:
    return list(HonourType.objects.order_by("level", "name").values_list("code", "name"))


class HonourTypeForm(forms.Form):
    code = forms.SlugField(label=_("code"), max_length=40)
    name = forms.CharField(label=_("honour name"), max_length=60)
    level = forms.ChoiceField(label=_("level"), choices=Level.choices)
    subject = forms.ChoiceField(label=_("conferred on"), choices=Subject.choices)
    term_years = forms.IntegerField(label=_("term (years)"), min_value=1, max_value=10, initial=1)
    front_line_share = forms.IntegerField(label=_("front-line workers' share (%)"), min_value=0, max_value=100,
                                          initial=0)
    leader_share = forms.IntegerField(label=_("leaders' and managers' cap (%)"), min_value=0, max_value=100,
                                      required=False)
    min_age = forms.IntegerField(label=_("minimum age"), required=False)
    max_age = forms.IntegerField(label=_("maximum age"), required=False)
    min_years = forms.IntegerField(label=_("minimum years in the trade"), min_value=0, initial=0)
    clean_record = forms.BooleanField(label=_("no disciplinary record"), required=False, initial=True)
    requires_any = forms.MultipleChoiceField(label=_("requires one of"), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    excludes = forms.MultipleChoiceField(label=_("excluded by"), required=False, widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _honour_choices()
        self.fields["requires_any"].choices = choices
        self.fields["excludes"].choices = choices
        if editing:
            self.fields["code"].disabled = True


class CampaignForm(forms.Form):
    honour_type = forms.ModelChoiceField(label=_("honour type"), queryset=HonourType.objects.none())
    title = forms.CharField(label=_("campaign title"), max_length=120)
    year = forms.IntegerField(label=_("year"))
    opens_on = forms.DateField(label=_("nominations from"), widget=DateInput())
    submit_until = forms.DateField(label=_("nominations until"), widget=DateInput())
    total = forms.IntegerField(label=_("total quota"), min_value=1)
    reserve_non_public = forms.IntegerField(label=_("reserved for non-public enterprises"), min_value=0, initial=0)
    reserve_front_line = forms.IntegerField(label=_("reserved for front-line workers"), min_value=0, initial=0)
    reserve_women = forms.IntegerField(label=_("reserved for women"), min_value=0, initial=0)
    materials = forms.MultipleChoiceField(label=_("required materials"), choices=Material.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, levels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["honour_type"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = HonourType.objects.filter(active=True, level__in=levels).order_by("level", "name")

    def reserves(self) -> dict[str, int]:
        return {k: self.cleaned_data[f"reserve_{k}"] or 0 for k in quotas.RESERVES}


class AllocationForm(forms.Form):
    """A row per union below: its quota and its three reserves (empty = 0)."""

    def __init__(self, *args: Any, unions: list[Org], current: dict[int, quotas.Share], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unions = unions
        for org in unions:
            share = current.get(org.pk)
            self.fields[f"q{org.pk}"] = forms.IntegerField(
                label=org.display_name, min_value=0, required=False, initial=share.quota if share else None)
            for k in quotas.RESERVES:
                self.fields[f"r{org.pk}_{k}"] = forms.IntegerField(
                    label=org.display_name, min_value=0, required=False,
                    initial=share.reserved(k) if share and share.reserved(k) else None)

    def rows(self) -> list[tuple[Org, Any, list[Any]]]:
        return [(o, self[f"q{o.pk}"], [self[f"r{o.pk}_{k}"] for k in quotas.RESERVES]) for o in self.unions]

    def shares(self) -> dict[Org, quotas.Share]:
        d = self.cleaned_data
        return {o: quotas.Share(d.get(f"q{o.pk}") or 0, {k: d.get(f"r{o.pk}_{k}") or 0 for k in quotas.RESERVES})
                for o in self.unions}


class NominationForm(forms.Form):
    """One nominee: a person found by their ID number in the nominating union's roster (the name must match), a
    collective (a workshop or team of the union, or a name) or an organisation within the union."""

    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    person_id = forms.IntegerField(widget=forms.HiddenInput, required=False)  # a suggestion's nominee (prefilled)
    person_name = forms.CharField(label=_("name"), max_length=40, required=False)
    nominee_org = forms.ModelChoiceField(label=_("organisation or collective"), queryset=Org.objects.none(),
                                         required=False)
    name = forms.CharField(label=_("nominee"), max_length=120, required=False,
                           help_text=_("A collective without a workshop or team of its own above: its name."))
    front_line = forms.BooleanField(label=_("a front-line collective"), required=False)
    is_leader = forms.BooleanField(label=_("leader or manager of the enterprise"), required=False)
    years_in_trade = forms.IntegerField(label=_("years in the trade"), min_value=0, max_value=60, required=False)
    disciplinary_record = forms.BooleanField(label=_("has a disciplinary record"), required=False)
    deeds = forms.CharField(label=_("account of deeds"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, unit: Org, subject: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit, self.subject = unit, subject
        field = self.fields["nominee_org"]
        assert isinstance(field, forms.ModelChoiceField)
        orgs = Org.objects.filter(path__startswith=unit.path, is_active=True).order_by("path")
        if subject == Subject.COLLECTIVE:
            field.queryset = orgs.filter(kind__in=[OrgKind.DEPARTMENT, OrgKind.TEAM])
        elif subject == Subject.ORG:
            field.queryset = orgs.exclude(kind__in=[OrgKind.DEPARTMENT, OrgKind.TEAM])
            field.required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.subject != Subject.PERSON:
            return data
        number = (data.get("id_number") or "").strip().upper()
        if not number and data.get("person_id"):
            found = Person.objects.filter(pk=data["person_id"], employer__path__startswith=self.unit.path).first()
            if found is None:
                self.add_error("id_number", _("No one with this ID number is on the roster of %(org)s.") % {
                    "org": self.unit.name})
            else:
                data["person"] = found
            return data
        if not number:
            self.add_error("id_number", _("Give the nominee's ID number."))
            return data
        try:
            info = parse_id_card(number)
        except IdentifierError as e:
            self.add_error("id_number", str(e))
            return data
        found = Person.objects.filter(id_hash=lookup_hash(info.number), employer__path__startswith=self.unit.path
                                      ).select_related("employer").first()
        if found is None:
            self.add_error("id_number", _("No one with this ID number is on the roster of %(org)s.") % {
                "org": self.unit.name})
        elif (data.get("person_name") or "").strip() not in ("", found.name):
            self.add_error("person_name", _("This ID number belongs to someone of another name."))
        else:
            data["person"] = found
        return data


class FilesForm(forms.Form):
    kind = forms.ChoiceField(label=_("material"), choices=Material.choices)
    files = MultipleFileField(label=_("files"))
