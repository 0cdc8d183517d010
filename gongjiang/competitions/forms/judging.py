"""Forms of the judging pages: they parse input only; the services (services.judging, services.results)
validate and write, and their refusals are shown next to the input that caused them.

A mark arrives one aspect at a time (the sheet saves as the judge types); `mark_input` turns the posted
fields of one aspect into the service's input by the aspect's kind, and `initial_inputs` turns a saved mark
back into what the inputs show, so a reloaded page shows every saved mark. `SheetView` is the sheet as the
page shows it: its `AspectRow`s grouped by section and criterion, and its running total."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import AspectKind
from ..models import Aspect, Mark, Scheme, Sheet
from ..rules import aspect_marks, marking


def points(value: int | None) -> str:
    """Hundredths as a person writes the mark: 1850 → "18.5", 2000 → "20" (None → "")."""
    if value is None:
        return ""
    return format(marking.from_hundredths(value).normalize(), "f")


def mark_input(aspect: Aspect, worldskills: bool, data: Any) -> dict[str, Any]:
    """The service's input for one aspect from the posted fields: binary `achieved` (1/0), tolerance
    `deviation`, deduction `fault_<item>` counts, WorldSkills judgement `score` (0–3), otherwise `mark`.
    Nothing is judged here: an empty or wrong value goes to the service, which refuses it in Chinese."""
    kind = aspect.kind
    if kind == AspectKind.BINARY:
        return {"achieved": {"1": True, "0": False}.get(str(data.get("achieved", "")))}
    if kind == AspectKind.TOLERANCE:
        return {"deviation": str(data.get("deviation", "")).strip()}
    if kind == AspectKind.DEDUCTION:
        faults: dict[str, Any] = {}
        for code, *_rest in aspect.deductions:
            count = str(data.get(f"fault_{code}", "")).strip()
            if count not in ("", "0"):
                faults[str(code)] = int(count) if count.isdigit() else count
        return {"faults": faults}
    if kind == AspectKind.JUDGEMENT and worldskills:
        return {"score": str(data.get("score", "")).strip()}
    return {"mark": str(data.get("mark", "")).strip()}


def initial_inputs(aspect: Aspect, mark: Mark | None, worldskills: bool) -> dict[str, Any]:
    """What the inputs of an aspect show for a saved mark (empty when not marked yet)."""
    faults = {}
    if mark is not None and aspect.kind == AspectKind.DEDUCTION:
        faults = {str(k): v for k, v in (mark.raw.get("faults") or {}).items()}
    out: dict[str, Any] = {
        "achieved": None, "deviation": "", "score": None, "mark": "",
        "faults": [{"code": str(code), "amount": str(amount), "description": rest[0] if rest else "",
                    "count": faults.get(str(code), 0)} for code, amount, *rest in aspect.deductions],
    }
    if mark is None or mark.value is None:
        return out
    if aspect.kind == AspectKind.BINARY:
        out["achieved"] = mark.raw.get("achieved")
    elif aspect.kind == AspectKind.TOLERANCE:
        out["deviation"] = mark.raw.get("deviation", "")
    elif aspect.kind == AspectKind.JUDGEMENT and worldskills:
        out["score"] = mark.value // 100
    elif aspect.kind != AspectKind.DEDUCTION:
        out["mark"] = points(mark.value)
    return out


@dataclass
class AspectRow:
    """One aspect on a sheet: its inputs (from the saved mark), the saved value shown back, a refusal."""

    aspect: Aspect
    mark: Mark | None
    worldskills: bool
    inputs: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    saved_now: bool = False

    @property
    def kind(self) -> str:
        return "worldskills" if self.worldskills else self.aspect.kind

    @property
    def marked(self) -> bool:
        return self.mark is not None and self.mark.value is not None

    @property
    def saved(self) -> str:
        """The aspect's mark as computed from the judge's input (a WorldSkills score as 0–3)."""
        if not self.marked:
            return ""
        assert self.mark is not None and self.mark.value is not None
        if self.worldskills:
            return str(self.mark.value // 100)
        return points(self.mark.value)

    @property
    def max_mark(self) -> str:
        return points(self.aspect.max_mark)

    @property
    def step(self) -> str:
        return points(self.aspect.step)

    @property
    def bands(self) -> list[tuple[str, str]]:
        return [(str(u), str(m)) for u, m in self.aspect.bands]


@dataclass
class SheetView:
    """A sheet with its aspects grouped by section and criterion, and its running total."""

    sheet: Sheet
    scheme: Scheme
    rows: list[AspectRow]

    @property
    def worldskills(self) -> bool:
        return self.scheme.judgement_method == marking.WORLDSKILLS

    @property
    def sections(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for row in self.rows:
            a = row.aspect
            if not out or out[-1]["code"] != a.section_code:
                out.append({"code": a.section_code, "name": a.section_name, "criteria": []})
            criteria = out[-1]["criteria"]
            if not criteria or criteria[-1]["code"] != a.criterion_code:
                criteria.append({"code": a.criterion_code, "name": a.criterion_name, "rows": []})
            criteria[-1]["rows"].append(row)
        return out

    @property
    def marked(self) -> int:
        return sum(1 for r in self.rows if r.marked)

    @property
    def total(self) -> str:
        """The sheet's running total: the sum of its aspects' marks (a WorldSkills score counted as its share
        of the max)."""
        value = sum((aspect_marks.judge_points(r.mark.value, r.aspect.max_mark, r.worldskills)  # type: ignore[union-attr]
                     for r in self.rows if r.marked), Decimal(0))
        return format(value.quantize(Decimal("0.01")).normalize(), "f")

    @property
    def max_total(self) -> str:
        return points(sum(r.aspect.max_mark for r in self.rows))

    @property
    def unmarked(self) -> list[AspectRow]:
        return [r for r in self.rows if not r.marked]

    def row(self, aspect_id: Any) -> AspectRow | None:
        return next((r for r in self.rows if str(r.aspect.pk) == str(aspect_id)), None)


class ReasonForm(forms.Form):
    """The chief judge's reason for returning a signed sheet or changing a locked mark (it goes in the log)."""

    reason = forms.CharField(label=_("Reason"), max_length=300,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))


class DecryptForm(forms.Form):
    """The round's supervisor confirms decryption on the chief judge's device with their own password."""

    supervisor_username = forms.CharField(label=_("Supervisor's user name"), max_length=150,
                                          widget=forms.TextInput(attrs={"autocomplete": "off",
                                                                        "autocapitalize": "none"}))
    supervisor_password = forms.CharField(label=_("Supervisor's password"), max_length=128,
                                          widget=forms.PasswordInput(attrs={"autocomplete": "off"}))


class WitnessForm(forms.Form):
    """The witnesses of the re-check draw (at least two: the supervisor and another); each may give a number
    that goes into the draw's seed."""

    WITNESSES = 3

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        for i in range(1, self.WITNESSES + 1):
            self.fields[f"name_{i}"] = forms.CharField(label=_("Witness %(n)s") % {"n": i}, max_length=40,
                                                       required=False)
            self.fields[f"number_{i}"] = forms.CharField(
                label=_("Number chosen by witness %(n)s") % {"n": i}, max_length=20, required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"name_{i}"], self[f"number_{i}"]) for i in range(1, self.WITNESSES + 1)]

    def witnesses(self) -> list[dict[str, str]]:
        d = self.cleaned_data
        return [{"name": d.get(f"name_{i}", ""), "number": d.get(f"number_{i}", "")}
                for i in range(1, self.WITNESSES + 1) if d.get(f"name_{i}", "").strip()]
