"""The org tree's verbs: validating an org's fields, creating, correcting, moving (with its subtree and its
industry-union affiliation), deactivating and reactivating an org, and rebuilding the pre-aggregated
counters."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core import scoping as core_scoping
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.ids import IdentifierError, validate_credit_code
from gongjiang.core.services import require, verb

from .. import counters, rules, tree_version
from ..choices import OrgKind
from ..models import Org, Person, User
from .common import _require_below

ORG_FIELDS = ["name", "short_name", "code", "kind", "region_code", "credit_code", "industry", "ownership",
              "employee_count", "address", "contact_name", "contact_phone", "industry_union", "is_active"]
EDITABLE_ORG_FIELDS = set(ORG_FIELDS) - {"is_active"}


def _clean_org_data(data: dict[str, Any], *, instance: Org | None = None, parent: Org | None = None) -> dict[str, Any]:
    """Validate org fields; raise DomainError naming every bad field."""
    errors: dict[str, str] = {}
    clean = dict(data)
    if "name" in clean:
        clean["name"] = (clean["name"] or "").strip()
        if not clean["name"]:
            errors["name"] = _("Please enter the name.")
    if "code" in clean:
        clean["code"] = (clean["code"] or "").strip()
        if not clean["code"]:
            errors["code"] = _("Please enter the code.")
        elif Org.objects.filter(code=clean["code"]).exclude(pk=getattr(instance, "pk", None)).exists():
            errors["code"] = _("The code %(code)s is already used by another organisation.") % {"code": clean["code"]}
    if clean.get("credit_code"):
        try:
            clean["credit_code"] = validate_credit_code(clean["credit_code"])
        except IdentifierError as e:
            errors["credit_code"] = str(e)
        else:
            if Org.objects.filter(credit_code=clean["credit_code"]).exclude(pk=getattr(instance, "pk", None)).exists():
                errors["credit_code"] = _("This credit code is already registered for another organisation.")
    if clean.get("region_code") and not (len(clean["region_code"]) == 6 and clean["region_code"].isdigit()):
        errors["region_code"] = _("The region code must be 6 digits (GB/T 2260).")
    if clean.get("contact_phone"):
        phone = clean["contact_phone"].strip()
        if not (phone.replace("-", "").isdigit() and 7 <= len(phone.replace("-", "")) <= 12):
            errors["contact_phone"] = _("The contact phone must be a mobile or landline number.")
    kind = clean.get("kind", getattr(instance, "kind", None))
    if "kind" in clean and kind not in OrgKind.values:
        errors["kind"] = _("Unknown organisation kind.")
    elif parent is not None and kind and not rules.can_be_child(parent.kind, kind):
        errors["kind"] = _("A %(kind)s cannot be placed under a %(parent)s.") % {
            "kind": OrgKind(kind).label, "parent": OrgKind(parent.kind).label}
    iu = clean.get("industry_union")
    if iu is not None and iu.kind != OrgKind.INDUSTRY:
        errors["industry_union"] = _("The affiliated union must be an industry union.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    return clean


def _inherited_industry_path(parent: Org | None, industry_union: Org | None) -> str:
    if industry_union is not None:
        return industry_union.path
    return parent.industry_path if parent is not None else ""


@verb
def create_org(*, actor: User, parent: Org | None, **data: Any) -> Org:
    """Add an org under `parent` (None creates a root: superusers only)."""
    if parent is None:
        if not getattr(actor, "is_superuser", False):
            raise PermissionDeniedError(_("Only a system administrator can create a root organisation."))
    else:
        counters.lock(Org.objects.get(pk=parent.pk).path)  # root first: see counters.lock
        parent = Org.objects.select_for_update().get(pk=parent.pk)
        require(parent, actor, "change")
        if not parent.is_active:
            raise DomainError(_("%(org)s is deactivated; reactivate it before adding units.") % {"org": parent.name})
    data = _clean_org_data(data, parent=parent)
    data["industry_path"] = _inherited_industry_path(parent, data.get("industry_union"))
    org: Org  # treebeard's manager has no types
    if parent is None:
        org = Org.objects.add_root(create_kwargs=data)
    else:
        org = Org.objects.add_child(parent, create_kwargs=data)
    counters.org_added(org)
    audit.record(actor, "orgs.org.created", org, after=audit.snapshot(org, ORG_FIELDS))
    return org


@verb
def update_org(*, actor: User, org: Org, **data: Any) -> Org:
    unknown = set(data) - EDITABLE_ORG_FIELDS
    if unknown:  # the tree fields, counters and activation change only through their own verbs
        raise TypeError(f"update_org() cannot change {', '.join(sorted(unknown))}")
    if "kind" in data:  # a new kind changes the units-by-kind counters up the chain: root first (counters.lock)
        counters.lock(Org.objects.get(pk=org.pk).path)
    org = Org.objects.select_for_update().get(pk=org.pk)
    old_kind = org.kind
    require(org, actor, "change")
    if data.get("kind") == org.kind:
        data.pop("kind")
    iu = data.get("industry_union")
    if "kind" in data or ("industry_union" in data and (iu.pk if iu is not None else None) != org.industry_union_id):
        _require_below(org, actor)  # the kind and the affiliation are the union above's to change
    parent = Org.objects.get_parent(org)
    data = _clean_org_data(data, instance=org, parent=parent if "kind" in data else None)
    if "kind" in data:
        _check_kind_change(org, data["kind"])
    before = audit.snapshot(org, ORG_FIELDS)
    for k, v in data.items():
        setattr(org, k, v)
    fields = list(data)
    if "industry_union" in data:
        new_ipath = _inherited_industry_path(parent, org.industry_union)
        if new_ipath != org.industry_path:
            _repath_industry(org, new_ipath)
            org.industry_path = new_ipath
            fields.append("industry_path")
    org.save(update_fields=[*fields, "updated_at"])
    counters.kind_changed(org, old_kind)
    b, a = audit.diff(before, audit.snapshot(org, ORG_FIELDS))
    if a:
        audit.record(actor, "orgs.org.updated", org, before=b, after=a)
    return org


def _check_kind_change(org: Org, kind: str) -> None:
    """A new kind must still fit over the org's own units, and an org employing people must stay an employer."""
    child_kinds = set(Org.objects.get_children(org).values_list("kind", flat=True))
    bad = sorted(k for k in child_kinds if not rules.can_be_child(kind, k))
    if bad:
        raise DomainError(_("A %(kind)s cannot hold its current units (%(units)s); move them first.") % {
            "kind": OrgKind(kind).label, "units": "、".join(str(OrgKind(k).label) for k in bad)}, field="kind")
    if kind not in rules.EMPLOYER_KINDS and (org.person_count or Person.objects.filter(employer=org).exists()):
        raise DomainError(_("People are registered in %(org)s; a %(kind)s cannot employ people.") % {
            "org": org.name, "kind": OrgKind(kind).label}, field="kind")


def _repath_industry(org: Org, new_ipath: str) -> None:
    """Descendants that inherited the old affiliation inherit the new one (those with their own keep it)."""
    Org.objects.filter(path__startswith=org.path, depth__gt=org.depth, industry_union__isnull=True,
                       industry_path=org.industry_path).update(industry_path=new_ipath)
    tree_version.changed()


@verb
def move_org(*, actor: User, org: Org, new_parent: Org) -> Org:
    """Re-parent a subtree. The actor needs change rights on the org and on the new parent."""
    counters.lock(Org.objects.get(pk=org.pk).path, Org.objects.get(pk=new_parent.pk).path)
    org = Org.objects.select_for_update().get(pk=org.pk)
    new_parent = Org.objects.get(pk=new_parent.pk)
    require(org, actor, "change")
    _require_below(org, actor)
    require(new_parent, actor, "change")
    if org.depth == 1:
        raise DomainError(_("The root organisation cannot be moved."), field="parent")
    if rules.is_move_into_own_subtree(org.path, new_parent.path):
        raise DomainError(_("An organisation cannot be moved under itself or one of its own units."),
                          field="parent")
    if not rules.can_be_child(new_parent.kind, org.kind):
        raise DomainError(_("A %(kind)s cannot be placed under a %(parent)s.") % {
            "kind": org.get_kind_display(), "parent": new_parent.get_kind_display()}, field="parent")
    if not new_parent.is_active:
        raise DomainError(_("%(org)s is deactivated.") % {"org": new_parent.name}, field="parent")
    old_parent = Org.objects.get_parent(org)
    people = org.tree_people
    old_path = org.path
    if org.kind != OrgKind.GRASSROOTS and org.kind in rules.EMPLOYER_KINDS and people:
        # Their memberships are held by the grassroots union: moving the unit would leave them behind.
        if new_parent.grassroots_union() != org.grassroots_union():
            raise DomainError(_("%(org)s has people registered; a department or team with people moves only"
                                " inside its grassroots union (transfer the members first).") % {"org": org.name},
                              field="parent")
    tree_version.changed()
    Org.objects.move(org, new_parent, "last-child")
    org.refresh_from_db()
    counters.subtree_moved(old_path, org.path, {f: getattr(org, f) for f in counters.TREE})
    core_scoping.paths_moved(old_path, org.path)  # its audit events, imports, notices, certificates follow it
    if not org.industry_union_id:
        new_ipath = new_parent.industry_path
        if new_ipath != org.industry_path:
            _repath_industry(org, new_ipath)
            Org.objects.filter(pk=org.pk).update(industry_path=new_ipath)
            org.industry_path = new_ipath
    audit.record(actor, "orgs.org.moved", org, before={"parent": old_parent.name if old_parent else None},
                 after={"parent": new_parent.name}, note=_("%(n)d people in the moved units") % {"n": people})
    return org


@verb
def deactivate_org(*, actor: User, org: Org, reason: str = "") -> Org:
    """Deactivate an org and its subtree. Orgs are never hard-deleted once they hold people or records."""
    counters.lock(Org.objects.get(pk=org.pk).path)
    org = Org.objects.select_for_update().get(pk=org.pk)
    require(org, actor, "change")
    if org.depth == 1:
        raise DomainError(_("The root organisation cannot be deactivated."))
    _require_below(org, actor)
    if not org.is_active:
        raise DomainError(_("%(org)s is already deactivated.") % {"org": org.name})
    tree_version.changed()
    n = Org.objects.filter(path__startswith=org.path, is_active=True).update(is_active=False)
    counters.subtree_deactivated(org, org.tree_active)
    audit.record(actor, "orgs.org.deactivated", org, before={"is_active": True}, after={"is_active": False},
                 note=reason or _("%(n)d units deactivated") % {"n": n})
    org.is_active = False
    return org


@verb
def reactivate_org(*, actor: User, org: Org) -> Org:
    counters.lock(Org.objects.get(pk=org.pk).path)
    org = Org.objects.select_for_update().get(pk=org.pk)
    require(org, actor, "change")
    _require_below(org, actor)
    parent = Org.objects.get_parent(org)
    if parent is not None and not parent.is_active:
        raise DomainError(_("Reactivate the parent %(org)s first.") % {"org": parent.name})
    tree_version.changed()
    Org.objects.filter(path__startswith=org.path).update(is_active=True)
    counters.subtree_reactivated(org)
    audit.record(actor, "orgs.org.reactivated", org, before={"is_active": False}, after={"is_active": True})
    org.is_active = True
    return org
