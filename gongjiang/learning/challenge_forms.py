"""The challenges' forms: a challenge, a level with its draw rules (a small form per rule: count, types,
difficulties, knowledge points), the order of the levels."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Difficulty, Kind
from .models import Bank, Challenge, Level


class ChallengeForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=80)
    description = forms.CharField(label=_("description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    opens_on = forms.DateField(label=_("opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("closes on"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}),
                                help_text=_("Leave empty for a challenge without an end."))
    badge = forms.CharField(label=_("badge for clearing every level"), max_length=40, required=False)

    @classmethod
    def initial_of(cls, c: Challenge) -> dict[str, Any]:
        return {"title": c.title, "description": c.description, "opens_on": c.opens_on, "closes_on": c.closes_on,
                "badge": c.badge}


class LevelForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=60)
    banks = forms.ModelMultipleChoiceField(label=_("question banks"), queryset=Bank.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)
    time_limit = forms.IntegerField(label=_("time limit (minutes)"), min_value=1, max_value=240, initial=10)
    pass_mark = forms.IntegerField(label=_("pass mark (%)"), min_value=0, max_value=100, initial=60)
    max_attempts = forms.IntegerField(label=_("attempts allowed"), min_value=0, max_value=100, initial=0,
                                      help_text=_("0 for unlimited."))
    points = forms.IntegerField(label=_("points"), min_value=0, max_value=1000, initial=10)
    badge = forms.CharField(label=_("badge"), max_length=40, required=False)
    partial = forms.IntegerField(label=_("partial credit for an incomplete multiple choice (%)"), min_value=0,
                                 max_value=100, initial=50)
    shuffle = forms.BooleanField(label=_("shuffle questions and options"), required=False, initial=True)

    def __init__(self, *args: Any, banks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["banks"].queryset = banks  # type: ignore[attr-defined]

    @classmethod
    def initial_of(cls, lv: Level) -> dict[str, Any]:
        return {"title": lv.title, "banks": list(lv.banks.all()), "time_limit": max(1, lv.time_limit // 60),
                "pass_mark": lv.pass_mark, "max_attempts": lv.max_attempts, "points": lv.points, "badge": lv.badge,
                "partial": lv.partial, "shuffle": lv.shuffle}


class RuleForm(forms.Form):
    """One draw rule; a row left without a count is ignored."""

    count = forms.IntegerField(label=_("number of questions"), min_value=1, max_value=200, required=False)
    kinds = forms.MultipleChoiceField(label=_("question types"), choices=Kind.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: any type."))
    difficulty = forms.TypedMultipleChoiceField(label=_("difficulty"), choices=Difficulty.choices, coerce=int,
                                                required=False, widget=forms.CheckboxSelectMultiple)
    tags = forms.CharField(label=_("knowledge points"), required=False, max_length=300,
                           help_text=_("Separated by commas; empty: any."))

    def rule(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if not d.get("count"):
            return None
        rule: dict[str, Any] = {"count": d["count"]}
        if d.get("kinds"):
            rule["kinds"] = list(d["kinds"])
        if d.get("difficulty"):
            rule["difficulty"] = sorted(d["difficulty"])
        tags = [t.strip() for t in (d.get("tags") or "").replace("，", ",").replace("、", ",").split(",") if t.strip()]
        if tags:
            rule["tags"] = tags
        return rule

    @staticmethod
    def initial_of(rule: dict[str, Any]) -> dict[str, Any]:
        return {"count": rule.get("count"), "kinds": rule.get("kinds") or [],
                "difficulty": rule.get("difficulty") or [], "tags": "，".join(rule.get("tags") or [])}


RuleFormSet = forms.formset_factory(RuleForm, extra=1, max_num=20)
