"""Forms of the organiser's round pages (赛区): they parse input only; the services validate and write, and a
`DomainError` is put back on the field it names (`apply_domain_error`)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gongjiang.core.forms import DateInput
from gongjiang.core.pages import apply_domain_error
from gongjiang.orgs.models import Occupation, Org, User
from gongjiang.orgs.occupations import find_trade

from ..choices import EntrySource, EntryStatus, JudgeRole

__all__ = ["AddJudgeForm", "AssignJudgeForm", "CheckInForm", "ConflictForm", "EntryFilterForm", "RefuseForm",
           "RoundDetailsForm", "WithdrawForm", "WitnessForm", "apply_domain_error"]

WITNESS_ROWS = 4


class RoundDetailsForm(forms.Form):
    """Venue, date and the end of the public notice of a round (services.structure.set_round_details)."""

    venue = forms.CharField(label=_("Venue"), max_length=120, required=False)
    starts_on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    publicity_until = forms.DateField(label=_("Public notice until"), required=False, widget=DateInput(),
                                      help_text=_("The last day on which objections to the results are accepted."))


class EntryFilterForm(forms.Form):
    """Filters of the registrations tab: status, unit, source, and a search by name or contestant number."""

    q = forms.CharField(label=_("Name, contestant number or last 4 of the ID"), max_length=40, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), *EntryStatus.choices])
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None, choices=[])
    source = forms.ChoiceField(label=_("Source"), required=False, choices=[("", _("All")), *EntrySource.choices])

    def __init__(self, *args: Any, units: list[Org], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["unit"].choices = [("", _("All")), *((o.pk, o.display_name) for o in units)]

    def has_filters(self) -> bool:
        return any(self.cleaned_data.get(k) for k in ("q", "status", "unit", "source"))


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200,
                             help_text=_("The unit and the worker read this reason."),
                             error_messages={"required": _("Please give the reason.")})


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class WitnessForm(forms.Form):
    """The witnesses of a draw (at least two: e.g. the supervisor and a contestants' representative). Each may
    give a number of their own choosing, which goes into the seed so that nobody decides the result alone."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        for i in range(WITNESS_ROWS):
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("Witness %(n)s") % {"n": i + 1}, max_length=40, required=False,
                widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("Name and role")}))
            self.fields[f"number_{i}"] = forms.CharField(
                label=_("Number chosen by witness %(n)s") % {"n": i + 1}, max_length=12, required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                              "placeholder": _("Optional number")}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for i in range(WITNESS_ROWS):
            number = (data.get(f"number_{i}") or "").strip()
            if number and not re.fullmatch(r"\d{1,12}", number):
                self.add_error(f"number_{i}", _("A witness's number is made of digits only (at most 12)."))
            elif number and not (data.get(f"name_{i}") or "").strip():
                self.add_error(f"name_{i}", _("Name the witness who chose this number."))
        return data

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"name_{i}"], self[f"number_{i}"]) for i in range(WITNESS_ROWS)]

    def witnesses(self) -> list[dict[str, str]]:
        """The named witnesses in the order given (the service refuses fewer than two)."""
        return [{"name": (self.cleaned_data.get(f"name_{i}") or "").strip(),
                 "number": (self.cleaned_data.get(f"number_{i}") or "").strip()}
                for i in range(WITNESS_ROWS) if (self.cleaned_data.get(f"name_{i}") or "").strip()]


class CheckInForm(forms.Form):
    no = forms.CharField(label=_("Contestant number"), max_length=12,
                         error_messages={"required": _("Enter or scan the contestant number.")})


class AssignJudgeForm(forms.Form):
    judge = forms.ModelChoiceField(label=_("Judge"), queryset=None,  # type: ignore[arg-type]
                                   error_messages={"required": _("Choose a judge of the pool."),
                                                   "invalid_choice": _("Choose a judge of the pool.")})
    role = forms.ChoiceField(label=_("Role"), choices=JudgeRole.choices, initial=JudgeRole.JUDGE)

    def __init__(self, *args: Any, judges: QuerySet, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["judge"].queryset = judges
        self.fields["judge"].label_from_instance = lambda j: f"{j.name}（{j.unit.display_name}）"


def find_unit(text: str) -> Org | None:
    """An active org by its code or exact name (a judge may work anywhere in the province)."""
    text = (text or "").strip()
    if not text:
        return None
    return Org.objects.filter(is_active=True).filter(Q(code=text) | Q(name=text)).order_by("depth").first()


class AddJudgeForm(forms.Form):
    """Put a judge into a pool: an existing account by user name, or a new account whose initial password is
    generated and shown once; with the unit they work in (conflicts of interest), trades and qualification."""

    EXISTING, NEW = "existing", "new"

    account = forms.ChoiceField(label=_("Account"), widget=forms.RadioSelect, initial=NEW,
                                choices=[(NEW, _("Open a new account")), (EXISTING, _("Use an existing account"))])
    username = forms.CharField(label=_("User name"), max_length=150,
                               help_text=_("The judge logs in with it (e.g. their mobile number)."),
                               widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    name = forms.CharField(label=_("Name"), max_length=40)
    pool = forms.ModelChoiceField(label=_("Judge pool of"), queryset=None)  # type: ignore[arg-type]
    unit = forms.CharField(label=_("Works at"), max_length=120,
                           help_text=_("Code or full name of the union of their unit: a judge never marks a "
                                       "contestant of their own unit."))
    trades = forms.CharField(label=_("Trades"), max_length=300, required=False,
                             help_text=_("Occupation codes or names, separated by commas (e.g. 6-18-01-01, 车工)."
                                         " Leave blank if the judge may judge any trade."))
    qualification = forms.CharField(label=_("Qualification"), max_length=120, required=False,
                                    help_text=_("e.g. 国家职业技能鉴定考评员"))
    role = forms.ChoiceField(label=_("Also assign to this round as"), required=False,
                             choices=[("", _("Do not assign now")), *JudgeRole.choices], initial=JudgeRole.JUDGE)

    def __init__(self, *args: Any, pools: list[Org], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["pool"].queryset = Org.objects.filter(pk__in=[o.pk for o in pools])
        if len(pools) == 1:
            self.fields["pool"].initial = pools[0].pk

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        try:
            User.username_validator(username)
        except forms.ValidationError:
            message = _("A user name may contain only letters, digits and @ . + - _ characters.")
            raise forms.ValidationError(message) from None
        return username

    def clean_unit(self) -> Org:
        text = self.cleaned_data["unit"]
        unit = find_unit(text)
        if unit is None:
            raise forms.ValidationError(_("No union has the code or name “%(v)s”."), params={"v": text.strip()})
        return unit

    def clean_trades(self) -> list[Occupation]:
        found = []
        for part in re.split(r"[,，、;；\s]+", self.cleaned_data.get("trades") or ""):
            if not part:
                continue
            trade = find_trade(part)
            if trade is None:
                raise forms.ValidationError(_("“%(v)s” is not an occupation of the national classification "
                                              "(e.g. 6-18-01-01 or 车工)."), params={"v": part})
            found.append(trade)
        return found


class ConflictForm(forms.Form):
    """A conflict of interest declared by hand: the judge never marks the person, or anyone of the unit."""

    judge = forms.ModelChoiceField(label=_("Judge"), queryset=None)  # type: ignore[arg-type]
    person = forms.TypedChoiceField(label=_("Contestant"), required=False, coerce=int, empty_value=None, choices=[])
    unit = forms.TypedChoiceField(label=_("Or a whole unit"), required=False, coerce=int, empty_value=None,
                                  choices=[])
    reason = forms.CharField(label=_("Reason"), max_length=120,
                             help_text=_("e.g. a relative, a former colleague, the judge trained the contestant"),
                             error_messages={"required": _("Please give the reason.")})

    def __init__(self, *args: Any, judges: QuerySet, people: list[tuple[int, str]], units: list[Org],
                 **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["judge"].queryset = judges
        self.fields["person"].choices = [("", "—"), *people]
        self.fields["unit"].choices = [("", "—"), *((o.pk, o.display_name) for o in units)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors and (data.get("person") is None) == (data.get("unit") is None):
            self.add_error("person", _("Name either a contestant or a unit."))
        return data
