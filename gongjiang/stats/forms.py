"""The form of a new data request (报表任务): title, period, due day, instructions, the platform's metrics to ask for
(prefilled in every return), up to five indicators only the lower unions know, and the unions that report. The verb
checks it all again (services.requests.issue_request): the form only shapes the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjiang.orgs import facts
from gongjiang.orgs.models import Org

from .queries import dashboard

EXTRA_ROWS = 5


class RequestForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    period = forms.CharField(label=_("reporting period"), max_length=10, help_text=_(
        "A year (2026), a month (2026-11) or a day (2026-11-30): the figures of this period are asked for."))
    due = forms.DateField(label=_("report by"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("instructions"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    metrics = forms.MultipleChoiceField(
        label=_("The platform's figures"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Each union's return is prefilled with its figure from the platform; it checks and reports it."))
    recipients = forms.ModelMultipleChoiceField(label=_("Unions that report"), queryset=Org.objects.none(),
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, children: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metrics"].choices = [
            (m.key, f"{dashboard.app_label(m.app)} · {m.label}（{dashboard.unit(m)}）") for m in facts.metrics()]
        self.fields["recipients"].queryset = children
        self.fields["recipients"].label_from_instance = lambda o: o.display_name
        for n in range(1, EXTRA_ROWS + 1):
            self.fields[f"extra_{n}_label"] = forms.CharField(label=_("name"), required=False, max_length=60)
            self.fields[f"extra_{n}_unit"] = forms.CharField(label=_("unit of measure"), required=False,
                                                             max_length=12)
            self.fields[f"extra_{n}_places"] = forms.IntegerField(label=_("decimals"), required=False, min_value=0,
                                                                  max_value=4)
            self.fields[f"extra_{n}_negative"] = forms.BooleanField(label=_("may be negative"), required=False)

    def extra_rows(self) -> list[list[forms.BoundField]]:
        return [[self[f"extra_{n}_{part}"] for part in ("label", "unit", "places", "negative")]
                for n in range(1, EXTRA_ROWS + 1)]

    def indicators(self) -> list[dict[str, Any]]:
        """The form's indicators in order: the metrics ticked, then the extra rows with a name."""
        d = self.cleaned_data
        found: list[dict[str, Any]] = [{"metric": key} for key in d.get("metrics") or []]
        for n in range(1, EXTRA_ROWS + 1):
            label = (d.get(f"extra_{n}_label") or "").strip()
            if label:
                found.append({"label": label, "unit": d.get(f"extra_{n}_unit") or "",
                              "places": d.get(f"extra_{n}_places") or 0, "negative": d.get(f"extra_{n}_negative")})
        return found
