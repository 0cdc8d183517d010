"""The forms of the bank pages: a bank (its union among those the user changes, name, description, shared), a
question (one form, its fields shown by type: the options and letters of a choice question, 正确/错误, the blanks of a
fill-in — read as the Excel template reads a row, so the page and the file accept the same writing) and an import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjiang.orgs.models import Org

from .banks_imports import TEXT_FORMATS
from .choices import Difficulty, Kind
from .formats import FORMATS, excel
from .models import Question
from .rules.banks import Draft

KIND_WORDS = {"single": "单选", "multiple": "多选", "truefalse": "判断", "fill": "填空"}


class BankForm(forms.Form):
    org = forms.ModelChoiceField(label=_("Owner"), queryset=Org.objects.none())
    name = forms.CharField(label=_("Bank name"), max_length=80)
    description = forms.CharField(label=_("Description"), max_length=300, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    shared = forms.BooleanField(label=_("Shared with the unions below"), required=False, initial=True,
                                help_text=_("The unions below may use the bank's questions in their own challenges "
                                            "and contests; only your union changes it."))

    def __init__(self, *args: Any, orgs: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        if editing:
            del self.fields["org"]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Question type"), choices=Kind.choices)
    stem = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Mark a fill-in question's blanks with ____ or （  ）."))
    option_a = forms.CharField(label=_("Option A"), required=False)
    option_b = forms.CharField(label=_("Option B"), required=False)
    option_c = forms.CharField(label=_("Option C"), required=False)
    option_d = forms.CharField(label=_("Option D"), required=False)
    option_e = forms.CharField(label=_("Option E"), required=False)
    option_f = forms.CharField(label=_("Option F"), required=False)
    answer = forms.CharField(label=_("Answer"), required=False,
                             help_text=_("Choice: the letters (A,C or AC). True or false: 正确 or 错误. Fill-in: the "
                                         "answer of each blank, blanks separated by ；, a blank's accepted variants "
                                         "by |."))
    explanation = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    difficulty = forms.TypedChoiceField(label=_("Difficulty"), choices=Difficulty.choices, coerce=int,
                                        initial=Difficulty.MEDIUM)
    score = forms.DecimalField(label=_("Score"), max_digits=5, decimal_places=1, initial=1)
    tags = forms.CharField(label=_("Knowledge points"), required=False, help_text=_("Separate them with 、"))

    OPTION_FIELDS = excel.OPTION_KEYS

    def __init__(self, *args: Any, kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shown_kind = kind
        if kind in ("truefalse", "fill"):
            for name in self.OPTION_FIELDS:
                self.fields[name].widget = forms.HiddenInput()

    def draft(self) -> Draft | None:
        """The question written in the form, or None with every problem on its field."""
        data = self.cleaned_data
        row = {k: data.get(k) or "" for k in excel.TEMPLATE_KEYS}
        row["kind"] = KIND_WORDS.get(data.get("kind", ""), "")
        row["difficulty"] = str(data.get("difficulty") or "")
        row["score"] = str(data.get("score") or "")
        draft, errors = excel.read_row(row)
        for key, message in errors.items():
            self.add_error(key if key in self.fields else None, message)
        return draft

    @staticmethod
    def initial_of(q: Question) -> dict[str, Any]:
        initial: dict[str, Any] = {"kind": q.kind, "stem": q.stem, "answer": excel.answer_text(q),
                                   "explanation": q.explanation, "difficulty": q.difficulty, "score": q.score,
                                   "tags": "、".join(t.name for t in q.tags.all())}
        for key, option in zip(excel.OPTION_KEYS, q.options, strict=False):
            initial[key] = option
        return initial


class ImportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=list(FORMATS.items()), initial="excel")
    file = forms.FileField(label=_("File"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload, fmt = data.get("file"), data.get("format")
        if upload is not None and fmt:
            name = (upload.name or "").lower()
            expected = ".xlsx" if fmt == "excel" else (".xml" if fmt == "moodlexml" else ".txt")
            if (fmt in TEXT_FORMATS and not name.endswith((expected, ".gift"))) or (fmt == "excel" and not \
                    name.endswith(".xlsx")):
                self.add_error("file", _("A file of this format ends with %(ext)s.") % {"ext": expected})
        return data
