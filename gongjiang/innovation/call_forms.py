"""The forms of the achievement-call pages: a new call, quotas, a submission, the expert pool, a review (one score
field per criterion of the call), declarations, pins, consensus notes, award changes and the notice."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import Award, AwardMode, CallLevel, Field
from .forms import MultipleFileField
from .project_forms import DATE, PersonNameMixin, yuan_field
from .rules import achievement_scoring as scoring


def level_field(label: Any, initial: int, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=Decimal(0), max_value=Decimal(100), max_digits=5,
                              decimal_places=2, initial=Decimal(initial), required=required)


class CallForm(forms.Form):
    title = forms.CharField(label=_("Call title"), max_length=120,
                            help_text=_("e.g. 2026年全省职工优秀技术创新成果征集"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    submit_until = forms.DateField(label=_("Submissions until"), widget=DATE)
    review_until = forms.DateField(label=_("Reviews until"), widget=DATE)
    fields_taken = forms.MultipleChoiceField(label=_("Fields"), choices=Field.choices, required=False,
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text=_("None ticked: the call takes every field."))
    materials = forms.CharField(label=_("Required materials"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}),
                                help_text=_("e.g. 申报书、成果鉴定或应用证明、效益证明"))
    per_achievement = forms.IntegerField(label=_("Reviewers per achievement"), min_value=1, max_value=9, initial=3)
    award_mode = forms.ChoiceField(label=_("Award mode"), choices=AwardMode.choices, initial=AwardMode.SHARE)
    first = level_field(_("First prize (percent or lowest score)"), 10, required=True)
    second = level_field(_("Second prize (percent or lowest score)"), 20)
    third = level_field(_("Third prize (percent or lowest score)"), 30)
    spread_limit = forms.DecimalField(label=_("Spread limit"), min_value=Decimal("0.5"), max_value=Decimal(50),
                                      initial=Decimal(8), help_text=_(
                                          "Reviewers disagree when the standard deviation of their totals is above "
                                          "this: the achievement is flagged for a consensus note and a second round."))
    national_quota = forms.IntegerField(label=_("National recommendations"), min_value=0, max_value=100, initial=0,
                                        required=False, help_text=_("Provincial calls only."))
    recommend_to = forms.ModelChoiceField(label=_("Recommends to"), queryset=None,  # type: ignore[arg-type]
                                          required=False, help_text=_("City calls: the provincial call its best "
                                                                      "go on to."))

    def __init__(self, *args: Any, uppers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recommend_to"].queryset = uppers  # type: ignore[attr-defined]

    def levels(self) -> list[Decimal]:
        d = self.cleaned_data
        return [v for v in (d.get("first"), d.get("second"), d.get("third")) if v is not None]


def level_for(kind: str) -> str:
    return CallLevel.PROVINCE if kind == "province" else CallLevel.CITY


class QuotaForm(forms.Form):
    """One number per lower union (the field names are the unions' ids)."""

    def __init__(self, *args: Any, unions: Any = (), current: dict[int, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = current or {}
        for org in unions:
            self.fields[f"q{org.pk}"] = forms.IntegerField(label=org.name, min_value=0, max_value=999,
                                                          required=False, initial=current.get(org.pk, 0))
        self.unions = list(unions)

    def quotas(self) -> dict[Any, int]:
        return {o: self.cleaned_data.get(f"q{o.pk}") or 0 for o in self.unions}


AUTHOR_LINE = re.compile(r"^\s*(?P<name>[^\s0-9]{1,40})\s*(?P<tail>[0-9]{4})?\s*$")


class SubmitForm(forms.Form):
    enterprise = forms.ModelChoiceField(label=_("enterprise"), queryset=None)  # type: ignore[arg-type]
    title = forms.CharField(label=_("Achievement title"), max_length=120)
    field = forms.ChoiceField(label=_("Field"), choices=Field.choices)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("What problem it solves and how (at least 20 characters)."))
    innovations = forms.CharField(label=_("Innovations"), widget=forms.Textarea(attrs={"rows": 3}))
    benefit = yuan_field(_("Economic benefit (yuan)"), required=False)
    authors = forms.CharField(label=_("Authors"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("One per line, in the order of the certificate; add the last 4 digits of "
                                          "the mobile when two colleagues share a name (李强 5678)."))
    project = forms.ModelChoiceField(label=_("From project"), queryset=None,  # type: ignore[arg-type]
                                     required=False)
    files = MultipleFileField(label=_("Materials"), required=False)

    def __init__(self, *args: Any, enterprises: Any = None, projects: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises  # type: ignore[attr-defined]
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]

    def clean_authors(self) -> list[tuple[str, str]]:
        lines = [ln for ln in self.cleaned_data["authors"].splitlines() if ln.strip()]
        out = []
        for n, line in enumerate(lines, start=1):
            m = AUTHOR_LINE.match(line)
            if m is None:
                raise forms.ValidationError(gettext("Line %(n)s: write a name, optionally followed by the last 4 "
                                                    "digits of the mobile.") % {"n": n})
            out.append((m["name"], m["tail"] or ""))
        if not out:
            raise forms.ValidationError(gettext("Name at least one author."))
        return out


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2}))


class ExpertForm(PersonNameMixin):
    username = forms.CharField(label=_("User name"), max_length=40)
    new_account = forms.BooleanField(label=_("Open a new account"), required=False, initial=True)
    title = forms.CharField(label=_("Professional title"), max_length=60, required=False)
    enterprise = forms.CharField(label=_("Enterprise (exact name)"), max_length=120, required=False,
                                 help_text=_("Leave empty for an expert from outside the enterprises (a university, "
                                             "an institute)."))
    specialities = forms.MultipleChoiceField(label=_("Specialities"), choices=Field.choices,
                                             widget=forms.CheckboxSelectMultiple)
    max_load = forms.IntegerField(label=_("Most reviews per call"), min_value=1, max_value=200, initial=15)


class ReviewForm(forms.Form):
    """A score field per criterion of the call (score_<key>), then the opinion."""

    def __init__(self, *args: Any, criteria: list[scoring.Criterion] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        for c in criteria:
            self.fields[f"score_{c.key}"] = forms.CharField(
                label=f"{gettext(c.label)}（0–{c.max:g}）", required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 5}))
        self.fields["comment"] = forms.CharField(label=_("Review opinion"), required=False,
                                                 widget=forms.Textarea(attrs={"rows": 4}))
        self.criteria = list(criteria)

    def scores(self) -> dict[str, str]:
        return {c.key: self.data.get(f"score_{c.key}", "") for c in self.criteria}


class DeclareForm(forms.Form):
    reason = forms.CharField(label=_("Reason for abstaining"), max_length=200)


class PinForm(forms.Form):
    expert = forms.ModelChoiceField(label=_("Expert"), queryset=None)  # type: ignore[arg-type]
    reason = forms.CharField(label=_("Reason for the manual assignment"), max_length=200)

    def __init__(self, *args: Any, experts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts  # type: ignore[attr-defined]


class ConsensusForm(forms.Form):
    consensus = forms.CharField(label=_("Consensus note"), widget=forms.Textarea(attrs={"rows": 2}))


class AwardsForm(forms.Form):
    """An award select per ranked achievement (a<id>), with one reason for the changes."""

    reason = forms.CharField(label=_("Reason for the award change"), max_length=200, required=False)

    def __init__(self, *args: Any, rows: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for a in self.rows:
            self.fields[f"a{a.pk}"] = forms.TypedChoiceField(label=a.number, choices=Award.choices, coerce=int,
                                                             initial=a.award)

    def awards(self) -> dict[int, int]:
        return {a.pk: self.cleaned_data[f"a{a.pk}"] for a in self.rows
                if self.cleaned_data.get(f"a{a.pk}") is not None and self.cleaned_data[f"a{a.pk}"] != a.award}


class PublishForm(forms.Form):
    working_days = forms.IntegerField(label=_("Working days on notice"), min_value=1, max_value=30, initial=5)


class ReviewTitleForm(forms.Form):
    review_title = forms.CharField(label=_("Title shown to the reviewers"), max_length=120,
                                   help_text=_("e.g. 一种冶金余热利用装置"))
