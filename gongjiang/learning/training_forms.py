"""Forms of the training pages: the lists' filters, a session, the picked attendees, a session's files and roll
import, a mentor pair with its mentor and apprentice found by name or ID number within the union's reach, closing a
pair, a material. The forms parse; the verbs (services.training) decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjiang.core.forms import DateInput, MultipleFileField
from gongjiang.orgs.choices import SkillGrade
from gongjiang.orgs.models import Occupation, Org, Person
from gongjiang.orgs.occupations import find_trade

from .queries import training as queries
from .training_choices import MaterialKind, PairState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _blank(choices: list[Any], label: Any = "—") -> list[Any]:
    return [("", label), *choices]


class TradeMixin:
    cleaned_data: dict[str, Any]

    def clean_trade(self) -> Occupation | None:
        text = self.cleaned_data.get("trade", "")
        if not text:
            return None
        trade = find_trade(text)
        if trade is None:
            raise forms.ValidationError(_("“%(v)s” is not an occupation of the national classification "
                                          "(e.g. 6-18-01-01 or 车工)."), params={"v": text})
        return trade


TRADE_HELP = _("Occupation code or name of the national classification, e.g. 6-18-01-01 or 车工.")


class SessionFilterForm(TradeMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("year"), required=False, coerce=int, empty_value=None)
    trade = forms.CharField(label=_("trade"), required=False, max_length=120)
    q = forms.CharField(label=_("topic"), required=False, max_length=60)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this = timezone.localdate().year
        self.fields["year"].choices = _blank([(y, str(y)) for y in range(this, this - 5, -1)], _("all years"))


class SessionForm(TradeMixin, forms.Form):
    topic = forms.CharField(label=_("topic"), max_length=120)
    trade = forms.CharField(label=_("trade"), max_length=120, required=False, help_text=TRADE_HELP)
    starts_on = forms.DateField(label=_("starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("ends on"), widget=DateInput())
    hours = forms.DecimalField(label=_("hours per attendee"), max_digits=5, decimal_places=1, min_value=0)
    place = forms.CharField(label=_("venue"), max_length=120, required=False)
    trainer = forms.CharField(label=_("trainer"), max_length=60, required=False)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PickForm(forms.Form):
    """The people picked from the search of a session's page, with their hours (the session's when empty)."""

    people = forms.MultipleChoiceField(label=_("people"), widget=forms.CheckboxSelectMultiple)
    hours = forms.DecimalField(label=_("hours"), max_digits=5, decimal_places=1, required=False,
                               help_text=_("Leave blank for the session's hours."))

    def __init__(self, *args: Any, candidates: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(p.pk): p for p in candidates}
        self.fields["people"].choices = [(pk, p.name) for pk, p in self.candidates.items()]


class FilesForm(forms.Form):
    files = MultipleFileField(label=_("files"))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}))


def find_one(text: str, org: Org, user: Any) -> tuple[Person | None, str]:
    """The one person of `org`'s reach (as the user sees it) whose ID number, mobile or exact name is `text`."""
    found = queries.pick_people(user, org, text)
    exact = [p for p in found if p.name == text.strip()] or found
    if len(exact) == 1:
        return exact[0], ""
    if not exact:
        return None, str(_("No one called or numbered “%(v)s” works in %(org)s or a unit below it.") % {
            "v": text, "org": org.name})
    return None, str(_("Several people are called %(v)s: give the ID number.") % {"v": text})


class PairFilterForm(TradeMixin, forms.Form):
    state = forms.ChoiceField(label=_("state"), required=False, choices=_blank(PairState.choices, _("all")))
    year = forms.TypedChoiceField(label=_("year started"), required=False, coerce=int, empty_value=None)
    trade = forms.CharField(label=_("trade"), required=False, max_length=120)
    q = forms.CharField(label=_("person's name"), required=False, max_length=40)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this = timezone.localdate().year
        self.fields["year"].choices = _blank([(y, str(y)) for y in range(this, this - 5, -1)], _("all years"))


class PairForm(TradeMixin, forms.Form):
    mentor = forms.CharField(label=_("mentor"), max_length=40,
                             help_text=_("Name or ID number; a mentor from another unit by ID number."))
    apprentice = forms.CharField(label=_("apprentice"), max_length=40,
                                 help_text=_("Name or ID number of a worker of this union or a unit below it."))
    trade = forms.CharField(label=_("trade"), max_length=120, required=False,
                            help_text=_("Leave blank for the apprentice's registered trade."))
    goals = forms.CharField(label=_("goals"), widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label=_("starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("agreed end"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, org: Org, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org, self.user = org, user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key, within in (("mentor", _widest(self.user) or self.org), ("apprentice", self.org)):
            text = data.get(key)
            if not text:
                continue
            person, problem = find_one(text, within, self.user)
            if person is None:
                self.add_error(key, problem)
            data[f"{key}_person"] = person
        return data


def _widest(user: Any) -> Org | None:
    """The mentor may work anywhere the user sees: search from the user's top scope root."""
    from gongjiang.core.scoping import scope_for

    scope = scope_for(user, "view")
    if scope.everything and not scope.paths:
        return Org.objects.filter(depth=1).order_by("path").first()
    roots = list(Org.objects.filter(path__in=scope.paths).order_by("depth", "path")[:1])
    return roots[0] if roots else None


class CloseForm(forms.Form):
    action = forms.ChoiceField(label=_("how it ended"), choices=[("finish", _("Finished (出师)")),
                                                            ("end", _("Ended early"))], widget=forms.RadioSelect)
    on = forms.DateField(label=_("on"), widget=DateInput())
    result = forms.CharField(label=_("pairing result"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    grade_after = forms.TypedChoiceField(label=_("apprentice's grade at the end"), required=False, coerce=int,
                                         empty_value=None, choices=_blank(SkillGrade.choices,
                                                                          _("as on the roster")))
    reason = forms.CharField(label=_("reason for ending early"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class MaterialFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("material kind"), required=False, choices=_blank(MaterialKind.choices, _("all")))
    q = forms.CharField(label=_("title or tag"), required=False, max_length=60)


class MaterialForm(TradeMixin, forms.Form):
    title = forms.CharField(label=_("material title"), max_length=120)
    kind = forms.ChoiceField(label=_("material kind"), choices=MaterialKind.choices)
    url = forms.CharField(label=_("web address"), max_length=500, required=False,
                          help_text=_("For a link or a video (https://…); a document may be an address too."))
    upload = forms.FileField(label=_("file"), required=False,
                             widget=forms.ClearableFileInput(
                                 attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.pptx,.doc,.xls"}))
    description = forms.CharField(label=_("description"), max_length=300, required=False)
    trade = forms.CharField(label=_("trade"), max_length=120, required=False, help_text=TRADE_HELP)
    tags = forms.CharField(label=_("tags"), max_length=200, required=False,
                           help_text=_("Separated by commas, e.g. 安全生产, 节能减排."))
    shared = forms.BooleanField(label=_("shared with the unions below"), required=False, initial=True)

    def clean_tags(self) -> list[str]:
        text = self.cleaned_data.get("tags") or ""
        return [t.strip() for t in text.replace("，", ",").replace("、", ",").split(",") if t.strip()]
