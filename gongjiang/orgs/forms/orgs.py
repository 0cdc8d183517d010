"""Forms of the organisation pages: they parse input only; `services` validates and writes.

A `DomainError` from a service is put back on the field it names (`core.pages.apply_domain_error`), so the cadre sees
the message next to the input that caused it and nothing has been changed."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjiang.core.types import Actor

from .. import rules
from ..choices import Industry, OrgKind, Ownership
from ..models import Org


def allowed_child_kinds(parent: Org) -> list[tuple[str, Any]]:
    """The kinds of unit that may be added directly under `parent` (rules.ALLOWED_PARENTS)."""
    return [(value, label) for value, label in OrgKind.choices if rules.can_be_child(parent.kind, value)]


class OrgForm(forms.Form):
    """Create a unit under a parent, or edit one. The kind list offers only what the parent allows; any
    other kind posted is refused by the service with a message naming both kinds."""

    kind = forms.ChoiceField(label=_("Kind of unit"), choices=OrgKind.choices)
    name = forms.CharField(label=_("Unit full name"), max_length=120,
                           help_text=_("As registered, e.g. 济南钢铁集团有限公司工会."))
    short_name = forms.CharField(label=_("Short name"), max_length=40, required=False,
                                 help_text=_("Shown in the tree and breadcrumbs when given."))
    code = forms.CharField(label=_("Unit code"), max_length=32,
                           help_text=_("Unique in the whole system; used by imports to find the unit."))
    region_code = forms.CharField(label=_("Region code"), max_length=6, required=False,
                                  help_text=_("6 digits of GB/T 2260, e.g. 370102."))
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=20, required=False,
        help_text=_("18 characters (GB 32100). Expected for a grassroots union of an enterprise or institution;"
                    " may be left blank until known."))
    industry = forms.ChoiceField(label=_("Industry"), required=False, choices=[("", "—"), *Industry.choices])
    ownership = forms.ChoiceField(label=_("Ownership"), required=False, choices=[("", "—"), *Ownership.choices])
    employee_count = forms.IntegerField(label=_("Declared number of employees"), min_value=0, required=False,
                                        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                                        help_text=_("The headcount the unit reports (职工总数), whether or not its "
                                                    "workers are registered here; the registered workers are "
                                                    "counted by the platform."))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False,
                                    widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    industry_union = forms.ModelChoiceField(
        label=_("Affiliated industry union"), queryset=Org.objects.none(), required=False, empty_label="—",
        help_text=_("For an enterprise union that also belongs to an industry union (产业工会): its cadres then"
                    " see this unit too."))

    def __init__(self, *args: Any, user: Actor, parent: Org | None, instance: Org | None = None,
                 restructure: bool = True, **kw: Any) -> None:
        if instance is not None and "initial" not in kw:
            kw["initial"] = {name: getattr(instance, name) for name in self.base_fields
                             if name != "industry_union"} | {"industry_union": instance.industry_union_id}
        super().__init__(*args, **kw)
        self.instance = instance
        # Every kind is accepted by the field (so a wrong one reaches the service and gets its clear
        # message); the drop-down offers only the kinds the parent allows.
        offered = allowed_child_kinds(parent) if parent is not None else [(OrgKind.PROVINCE, OrgKind.PROVINCE.label)]
        if instance is not None and instance.kind not in {k for k, _label in offered}:
            offered = [(instance.kind, instance.get_kind_display()), *offered]
        self.fields["kind"].widget.choices = offered
        unions = Org.objects.for_user(user).filter(kind=OrgKind.INDUSTRY, is_active=True)
        if instance is not None:
            unions = unions.exclude(pk=instance.pk)
            if instance.industry_union_id:
                # An affiliation made by a higher union (a city cadre cannot see the provincial industry
                # union) stays a choice, else saving any other field would silently drop it.
                unions = Org.objects.filter(Q(pk__in=unions.values("pk")) | Q(pk=instance.industry_union_id))
        cast(forms.ModelChoiceField, self.fields["industry_union"]).queryset = unions  # the field declared above
        if not restructure:
            # A role's own org: its kind and affiliation are the union above's to change (Org.can_restructure).
            for name in ("kind", "industry_union"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Changed by the union above this one.")
        for name in ("code", "credit_code", "region_code"):
            self.fields[name].widget.attrs.setdefault("spellcheck", "false")
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")

    def service_data(self) -> dict[str, Any]:
        """The cleaned values as keyword arguments of services.create_org / update_org."""
        data = dict(self.cleaned_data)
        data["employee_count"] = data.get("employee_count") or 0
        for name in ("short_name", "region_code", "credit_code", "address", "contact_name", "contact_phone"):
            data[name] = (data.get(name) or "").strip()
        data["credit_code"] = data["credit_code"].upper()
        return data


class MoveForm(forms.Form):
    """Re-parent a subtree: the new parent is chosen from search results (a radio per candidate)."""

    parent = forms.ModelChoiceField(
        label=_("New parent unit"), queryset=Org.objects.none(), widget=forms.HiddenInput,
        error_messages={
            "required": _("Search for the new parent unit and choose one of the results."),
            "invalid_choice": _("Choose the new parent unit from the search results (units you may change)."),
        })

    def __init__(self, *args: Any, user: Actor, **kw: Any) -> None:
        super().__init__(*args, **kw)
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = Org.objects.for_user(user, "change")


class DeactivateForm(forms.Form):
    """Deactivation needs a reason: it is kept in the unit's timeline (履历)."""

    reason = forms.CharField(
        label=_("Reason"), max_length=200,
        help_text=_("E.g. the enterprise closed, or the union merged into another one."),
        error_messages={"required": _("Please give the reason for deactivating this unit.")})
