"""Forms of the workers' and units' registration pages: they parse input only; the services decide and write,
and a `DomainError` is put back on the field it names (`apply_domain_error`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjiang.core.pages import XLSX, apply_domain_error

from ..choices import EntryStatus
from .rounds import WitnessForm  # the team draw uses the same witnesses form

__all__ = ["EntryFilterForm", "RegisterForm", "RegistrationImportForm", "TeamForm", "UnitPickForm",
           "WithdrawForm", "WitnessForm", "apply_domain_error"]



class UnitPickForm(forms.Form):
    """The unit page's choice of competition and event, and the search for a worker to register."""

    competition = forms.TypedChoiceField(label=_("Competition"), required=False, coerce=int, empty_value=None)
    event = forms.TypedChoiceField(label=_("Event"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("Find a worker"), max_length=40, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
                        help_text=_("Part of the name; the last four characters of the ID number; the end of the "
                                    "mobile number; or a whole ID or mobile number."))

    def __init__(self, *args: Any, competitions: list[Any], events: list[Any], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["competition"].choices = [(c.pk, f"{c.name}（{c.get_state_display()}）") for c in competitions]
        self.fields["event"].choices = [("", _("All events")), *((e.pk, str(e)) for e in events)]


class EntryFilterForm(forms.Form):
    """Filters of the unit's entries: status and a search by name or contestant number."""

    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *EntryStatus.choices])
    name = forms.CharField(label=_("Name, contestant number or last 4 of the ID"), max_length=40, required=False,
                           widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))


class RegisterForm(forms.Form):
    """A unit registers one of its workers for an event (the buttons of the search results)."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    event = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False,
                             widget=forms.TextInput(attrs={"placeholder": _("Reason (optional)")}))


class RegistrationImportForm(forms.Form):
    """The bulk registration upload: the competition, the unit whose workers it registers, the file."""

    competition = forms.TypedChoiceField(label=_("Competition"), coerce=int)
    org = forms.TypedChoiceField(label=_("Unit"), coerce=int,
                                 help_text=_("The workers of the file must work in this unit or one below it."))
    file = forms.FileField(label=_("Excel file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
                           help_text=_("Fill in the template: 身份证号, 姓名, 赛项 and 备注. The whole file is checked"
                                       " first; if any row has an error nobody is registered."))

    def __init__(self, *args: Any, competitions: list[Any], orgs: list[Any], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["competition"].choices = [(c.pk, c.name) for c in competitions]
        self.fields["org"].choices = [(o.pk, o.name) for o in orgs]


class TeamForm(forms.Form):
    """A unit's team: its name and its selected contestants (the organiser draws the other members)."""

    name = forms.CharField(label=_("Team name"), max_length=80, required=False,
                           help_text=_("Leave blank to use the unit's name."))
    members = forms.TypedMultipleChoiceField(label=_("Selected contestants"), coerce=int, required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, people: list[Any], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["members"].choices = [(p.pk, p.name) for p in people]


