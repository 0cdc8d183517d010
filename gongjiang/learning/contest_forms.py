"""The forms of the contests and theory exams: a paper (title, window, banks, draw rules as rows or a fixed set of
question numbers, time limit, partial credit, shuffling) and, for a contest, the pass mark, attempts allowed and
prizes. Forms parse; the verbs decide (the window, the banks a union may use, whether the banks fill the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Difficulty, Kind
from .models import Bank
from .rules import contests as rules

RULE_ROWS = 5
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
SHORT = forms.NumberInput(attrs={"style": "max-width: 7em", "min": 0})


def _ids(text: str) -> list[int] | None:
    parts = [p for p in text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if p.strip()]
    if not all(p.strip().isdigit() for p in parts):
        return None
    return [int(p) for p in parts]


class PaperForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    opens_at = forms.DateTimeField(label=_("opens at"), widget=WHEN, input_formats=["%Y-%m-%dT%H:%M",
                                                                                   "%Y-%m-%d %H:%M"])
    closes_at = forms.DateTimeField(label=_("closes at"), widget=WHEN, input_formats=["%Y-%m-%dT%H:%M",
                                                                                     "%Y-%m-%d %H:%M"])
    banks = forms.ModelMultipleChoiceField(label=_("question banks"), queryset=Bank.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)
    questions = forms.CharField(label=_("fixed questions (their numbers)"), required=False,
                                help_text=_("Instead of drawing, every attempt gets these questions: their numbers "
                                            "separated by commas."))
    minutes = forms.IntegerField(label=_("time limit (minutes)"), min_value=1, max_value=240, initial=30)
    partial = forms.IntegerField(label=_("partial credit for an incomplete multiple choice (%)"), min_value=0,
                                 max_value=100, initial=50)
    shuffle = forms.BooleanField(label=_("shuffle questions and options"), required=False, initial=True)

    def __init__(self, *args: Any, banks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["banks"].queryset = banks
        for i in range(1, RULE_ROWS + 1):
            self.fields[f"count_{i}"] = forms.IntegerField(label=_("questions"), required=False, min_value=1,
                                                           max_value=200, widget=SHORT)
            self.fields[f"kind_{i}"] = forms.ChoiceField(label=_("question type"), required=False,
                                                         choices=[("", _("any")), *Kind.choices])
            self.fields[f"difficulty_{i}"] = forms.TypedChoiceField(
                label=_("difficulty"), required=False, coerce=int, empty_value=None,
                choices=[("", _("any"))] + [(str(v), label) for v, label in Difficulty.choices])
            self.fields[f"tags_{i}"] = forms.CharField(label=_("knowledge points"), required=False, max_length=200)

    @property
    def rule_rows(self) -> list[tuple[Any, ...]]:
        return [(self[f"count_{i}"], self[f"kind_{i}"], self[f"difficulty_{i}"], self[f"tags_{i}"])
                for i in range(1, RULE_ROWS + 1)]

    def clean_questions(self) -> list[int]:
        ids = _ids(self.cleaned_data.get("questions") or "")
        if ids is None:
            raise forms.ValidationError(_("Question numbers are whole numbers separated by commas."))
        return ids

    def draw(self) -> list[dict[str, Any]]:
        """The draw rules of the rows filled in, then the fixed questions (one rule)."""
        d = self.cleaned_data
        out: list[dict[str, Any]] = []
        for i in range(1, RULE_ROWS + 1):
            if not d.get(f"count_{i}"):
                continue
            rule: dict[str, Any] = {"count": d[f"count_{i}"]}
            if d.get(f"kind_{i}"):
                rule["kinds"] = [d[f"kind_{i}"]]
            if d.get(f"difficulty_{i}"):
                rule["difficulty"] = [d[f"difficulty_{i}"]]
            tags = [t.strip() for t in (d.get(f"tags_{i}") or "").replace("，", "、").replace(",", "、").split("、")
                    if t.strip()]
            if tags:
                rule["tags"] = tags
            out.append(rule)
        if d.get("questions"):
            out.append({"questions": d["questions"]})
        return out

    def data_for_verb(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"title": d["title"], "opens_at": d["opens_at"], "closes_at": d["closes_at"],
                "banks": [b.pk for b in d["banks"]], "draw": self.draw(), "time_limit": d["minutes"] * 60,
                "partial": d["partial"], "shuffle": d["shuffle"]}

    @staticmethod
    def initial_from(paper: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {"title": paper.title, "opens_at": paper.opens_at, "closes_at": paper.closes_at,
                                   "banks": list(paper.banks.all()), "minutes": paper.time_limit // 60,
                                   "partial": paper.partial, "shuffle": paper.shuffle}
        i = 0
        for rule in paper.draw or []:
            if "questions" in rule:
                initial["questions"] = ",".join(str(x) for x in rule["questions"])
                continue
            i += 1
            initial[f"count_{i}"] = rule.get("count")
            initial[f"kind_{i}"] = (rule.get("kinds") or [""])[0]
            initial[f"difficulty_{i}"] = (rule.get("difficulty") or [""])[0]
            initial[f"tags_{i}"] = "、".join(rule.get("tags") or [])
        return initial


class ContestForm(PaperForm):
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    pass_mark = forms.IntegerField(label=_("pass mark (%)"), min_value=0, max_value=100, initial=60)
    max_attempts = forms.IntegerField(label=_("attempts allowed (0: unlimited)"), min_value=0, max_value=100,
                                      initial=1)
    prizes = forms.CharField(label=_("prizes"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Each prize with its number, best first: 一等奖=10，二等奖=30，三等奖=60."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].max_length = 80
        self.fields["title"].widget.attrs["maxlength"] = 80

    def clean_prizes(self) -> dict[str, int]:
        parsed = rules.parse_prizes(self.cleaned_data.get("prizes") or "")
        if isinstance(parsed, list):
            raise forms.ValidationError(parsed[0])
        return parsed

    def data_for_verb(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {**super().data_for_verb(), "description": d.get("description") or "", "pass_mark": d["pass_mark"],
                "max_attempts": d["max_attempts"], "prizes": d["prizes"]}

    @staticmethod
    def initial_from(paper: Any) -> dict[str, Any]:
        return {**PaperForm.initial_from(paper), "description": paper.description, "pass_mark": paper.pass_mark,
                "max_attempts": paper.max_attempts,
                "prizes": "，".join(f"{k}={v}" for k, v in (paper.prizes or {}).items())}
