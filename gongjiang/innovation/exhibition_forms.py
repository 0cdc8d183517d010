"""The forms of the 6·18 exhibition's pages: setting up an exhibition, entering an offer or a need (the contact named
as the union knows them), the catalogue's and the matches' filters, and the small forms of a match's page (a meeting
slot, an answer, each outcome step). Amounts are yuan; an empty price or budget is 面议 (to be negotiated)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .choices import Category, EntryState, MatchState, TransferMode
from .project_forms import DATE

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _money(label: Any, required: bool = False, **kw: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, max_digits=14, decimal_places=2, **kw)


class ExhibitionForm(forms.Form):
    organiser = forms.ModelChoiceField(label=_("Organiser"), queryset=None)  # type: ignore[arg-type]
    name = forms.CharField(label=_("Exhibition name"), max_length=120,
                           help_text=_("e.g. 第二十届6·18职工技术创新成果展洽会"))
    starts_on = forms.DateField(label=_("First day"), widget=DATE)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE)
    venue = forms.CharField(label=_("Venue"), max_length=120)
    registration_deadline = forms.DateField(label=_("Registration deadline"), widget=DATE,
                                            help_text=_("The last day offers and needs may be entered."))
    day_start = forms.TimeField(label=_("Meetings from"), widget=TIME, initial=datetime.time(9, 0))
    day_end = forms.TimeField(label=_("Meetings until"), widget=TIME, initial=datetime.time(17, 0))
    slot_minutes = forms.TypedChoiceField(label=_("Minutes per meeting slot"), coerce=int, initial=30,
                                          choices=[(m, m) for m in (15, 20, 30, 45, 60)])
    tables = forms.IntegerField(label=_("Meeting tables"), initial=10)

    def __init__(self, *args: Any, organisers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers  # type: ignore[attr-defined]


class ContactMixin(forms.Form):
    contact_name = forms.CharField(label=_("Contact person (name)"), max_length=40,
                                   help_text=_("A worker of the enterprise; the phone is shown only to the organiser "
                                               "and, after an accepted meeting, to the partner."))
    contact_mobile_tail = forms.RegexField(label=_("Contact's mobile, last 4 digits"), regex=r"^[0-9]{4}$",
                                           required=False, help_text=_("Only when two colleagues share the name."))


class OfferForm(ContactMixin):
    org = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)  # type: ignore[arg-type]
    title = forms.CharField(label=_("Achievement"), max_length=120)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("What it does, where it is used, what it achieved."))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    mode = forms.ChoiceField(label=_("Transfer mode"), choices=TransferMode.choices)
    price = _money(_("Asking price (yuan)"), help_text=_("Empty: to be negotiated (面议)."))
    authors = forms.CharField(label=_("Authors"), max_length=200, required=False)
    project = forms.ModelChoiceField(label=_("From innovation project"), queryset=None,  # type: ignore[arg-type]
                                     required=False)
    achievement = forms.ModelChoiceField(label=_("Reviewed achievement"), queryset=None,  # type: ignore[arg-type]
                                         required=False, help_text=_(
                                             "One of the enterprise's achievements in a call: its prize is shown "
                                             "in the catalogue."))
    field_order = ["org", "title", "summary", "category", "mode", "price", "authors", "achievement", "project",
                   "contact_name", "contact_mobile_tail"]

    def __init__(self, *args: Any, orgs: Any = None, projects: Any = None, achievements: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        self.fields["achievement"].queryset = achievements  # type: ignore[attr-defined]
        self.fields["achievement"].label_from_instance = (  # type: ignore[attr-defined]
            lambda a: f"{a.title}（{a.call.title}{' · ' + str(a.get_award_display()) if a.award else ''}）")


class NeedForm(ContactMixin):
    org = forms.ModelChoiceField(label=_("Enterprise"), queryset=None)  # type: ignore[arg-type]
    title = forms.CharField(label=_("Technical need"), max_length=120)
    description = forms.CharField(label=_("Problem description"), widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text=_("The problem, the conditions on site, what a solution must achieve."))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    budget = _money(_("Budget (yuan)"), help_text=_("Empty: to be negotiated (面议)."))
    solve_by = forms.DateField(label=_("To be solved by"), widget=DATE, required=False)
    field_order = ["org", "title", "description", "category", "budget", "solve_by", "contact_name",
                   "contact_mobile_tail"]

    def __init__(self, *args: Any, orgs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs  # type: ignore[attr-defined]


class EntryFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or enterprise"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("All")), *Category.choices])
    state = forms.ChoiceField(label=_("Check"), required=False, choices=[("", _("All")), *EntryState.choices])
    mode = forms.ChoiceField(label=_("Transfer mode"), required=False,
                             choices=[("", _("All")), *TransferMode.choices])


class MatchFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or enterprise"), required=False)
    state = forms.ChoiceField(label=_("Match state"), required=False, choices=[("", _("All")), *MatchState.choices])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(forms.Form):
    starts_at = forms.TypedChoiceField(label=_("Slot"), choices=[], coerce=str)

    def __init__(self, *args: Any, slots: list[datetime.datetime] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].choices = [  # type: ignore[attr-defined]
            (s.isoformat(), date_format(timezone.localtime(s), "Y-m-d H:i")) for s in (slots or [])]


class MetForm(forms.Form):
    met_on = forms.DateField(label=_("Met on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False)


class SignForm(forms.Form):
    contract_value = forms.DecimalField(label=_("Contract value (yuan)"), required=False, max_digits=14,
                                        decimal_places=2)
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False)


class ImplementedForm(forms.Form):
    implemented_on = forms.DateField(label=_("Implemented on"), widget=DATE)
    note = forms.CharField(label=_("What was implemented"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

