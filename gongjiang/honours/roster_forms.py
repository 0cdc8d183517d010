"""The forms of a holder's record: a status change (调动, 退休, 去世; 在职 again after a move) and a revocation
(撤销荣誉称号) with its reason, the decision's document number and the revoking union."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjiang.orgs.models import Org

from .choices import HolderStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")  # what <input type="date"> reads


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("new status"), choices=[
        (s.value, s.label) for s in (HolderStatus.MOVED, HolderStatus.RETIRED, HolderStatus.DECEASED,
                                     HolderStatus.ACTIVE)])
    on = forms.DateField(label=_("date"), widget=DateInput)
    reason = forms.CharField(label=_("reason"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("For a move: the new unit; for a retirement or a death: anything to note."))
    document = forms.CharField(label=_("decision's document number"), required=False, max_length=60)

    def __init__(self, *args: Any, allowed: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed is not None and not self.is_bound:  # offer only the changes the holder's status allows
            status: Any = self.fields["status"]
            status.choices = [c for c in status.choices if c[0] in allowed]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Why the title is revoked, as the decision says."))
    document = forms.CharField(label=_("decision's document number"), max_length=60,
                               help_text=_("e.g. 鲁工发〔2026〕12号"))
    body = forms.ModelChoiceField(label=_("revoking union"), queryset=Org.objects.none(), empty_label=None)
    on = forms.DateField(label=_("date of the decision"), widget=DateInput, required=False)

    def __init__(self, *args: Any, bodies: list[Org], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body: Any = self.fields["body"]
        body.queryset = Org.objects.filter(pk__in=[b.pk for b in bodies])
