"""Accounts pages: log-in and log-out, the home page (概览), my account, password, API tokens, the scope
switcher, account management (账号与权限) for administrators, and a worker's own record (我的信息)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gongjiang.core import audit, history, registry
from gongjiang.core.errors import DomainError
from gongjiang.core.ids import mask_mobile
from gongjiang.core.models import AuditEvent
from gongjiang.core.pages import Sorting, apply_domain_error, export, paginate, render_page, wants_export
from gongjiang.core.types import logged_in

from .. import queries, services
from ..auth import AccountDisabled
from ..choices import OrgKind
from ..forms.accounts import (
    CadreAccountForm,
    GrantForm,
    LoginForm,
    MyRecordForm,
    PasswordChangeForm,
    TokenForm,
)
from ..middleware import current_scope
from ..models import ApiToken, Org, Person, RoleGrant, User, UserQuerySet
from ..scoping import grant_orgs, parent_path, scope_for

# Above this many people in a subtree the home page does not count front-line and migrant workers row by
# row (a province has millions); those figures then come from the statistics module's pre-aggregates.
HOME_CHILD_LIMIT = 50
ORG_CHOICES_LIMIT = 15


# ---------------------------------------------------------------------------------------------
# Log-in, log-out, password


def _landing(user: User) -> str:
    """Workers land on their own record, cadres on the overview."""
    return reverse("orgs:my_record") if user.person_id and not grant_orgs(user) else reverse("orgs:home")


def _safe_next(request: HttpRequest, url: str | None) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return None


def login_refused_message() -> str:
    """The one answer to every failed log-in — unknown name, wrong password, or an address throttled after too
    many failures — so that the page never tells whether an account exists (orgs.throttle)."""
    return _("The user name or password is wrong, or there were too many attempts; please try again later.")


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or _landing(request.user))
    form = LoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        login_name, password = form.cleaned_data["username"].strip(), form.cleaned_data["password"]
        try:
            user = authenticate(request, username=login_name, password=password)
        except AccountDisabled:  # told only to someone who typed the right password
            form.add_error(None, _("This account is disabled. Ask your union administrator to enable it."))
        else:
            if user is None:
                form.add_error(None, login_refused_message())
            else:
                login(request, user)
                # Restore the scope the user last switched to.
                if user.current_scope_id and any(o.pk == user.current_scope_id for o in grant_orgs(user)):
                    request.session["scope_org_id"] = user.current_scope_id
                return redirect(next_url or _landing(user))
    return render(request, "orgs/accounts/login.html", {"form": form, "next": next_url or ""})


def logout_view(request: HttpRequest) -> HttpResponse:
    """Log-out is a POST (a link cannot log anyone out); a GET asks for confirmation."""
    if request.method == "POST":
        logout(request)
        messages.success(request, _("You have logged out."))
        return redirect("orgs:login")
    if not request.user.is_authenticated:
        return redirect("orgs:login")
    return render(request, "orgs/accounts/logout.html")


@sensitive_post_parameters()
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.get(pk=request.user.pk)  # the real object (request.user is a lazy proxy)
        try:
            services.change_password(actor=user, old_password=form.cleaned_data["old_password"],
                                     new_password=form.cleaned_data["new_password"])
        except DomainError as e:
            if e.field == "password":
                e.errors = {"new_password": e.message}
            apply_domain_error(form, e)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return redirect("orgs:account")
    return render(request, "orgs/accounts/password_change.html", {"form": form})


# ---------------------------------------------------------------------------------------------
# My account, API tokens, scope switcher


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = logged_in(request.user)
    grants = RoleGrant.objects.filter(user=user).select_related("org").order_by("org__path", "role")
    return render(request, "orgs/accounts/account.html", {
        "grants": grants, "active_tokens": ApiToken.objects.filter(user=user, revoked_at=None).count()})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Issue (the key is shown once, in this response only), list and revoke personal API tokens."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.issue_api_token(actor=logged_in(request.user), name=form.cleaned_data["name"])
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=logged_in(request.user)).order_by("revoked_at", "-created_at")
    response = render(request, "orgs/accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key})
    response.headers["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=logged_in(request.user)), pk=pk)
    try:
        services.revoke_api_token(actor=logged_in(request.user), token=token)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The token %(name)s is revoked; programs using it can no longer log in.")
                         % {"name": token.name})
    return redirect("orgs:api_tokens")


@require_POST
@login_required
def switch_scope(request: HttpRequest) -> HttpResponse:
    """Look at another of the orgs the user holds a role on. Any other org is a 404."""
    try:
        org_id = int(request.POST.get("org", ""))
    except ValueError:
        raise Http404 from None
    org = next((o for o in grant_orgs(request.user) if o.pk == org_id), None)
    if org is None:
        raise Http404
    services.set_current_scope(actor=logged_in(request.user), org=org)
    request.session["scope_org_id"] = org.pk
    back = _safe_next(request, request.POST.get("next") or request.headers.get("Referer"))
    return redirect(back or "orgs:home")


# ---------------------------------------------------------------------------------------------
# Home (概览)


def _figures(scope: Org, everything: bool) -> dict[str, Any]:
    """Active units by kind, people, member, front-line and migrant totals from the pre-aggregated subtree
    counters (counters.py): never a count over people or over the subtree's units (`everything`: the scope is the
    root of the whole tree, so it reaches no unit through an affiliation outside its subtree)."""
    by_kind = queries.units_by_kind(scope, covers_everything=everything)
    totals = scope.reach_totals()
    return {
        "kinds": [(label, by_kind[value]) for value, label in OrgKind.choices if by_kind.get(value)],
        "people": totals["people"], "members": totals["members"],
        "front_line": totals["front_line"], "migrant": totals["migrant"],
    }


def _children(scope: Org) -> tuple[list[Org], int]:
    """The scope's direct children with their subtree totals, read from the counters."""
    children = list(Org.objects.filter(path__startswith=scope.path, depth=scope.depth + 1)[:HOME_CHILD_LIMIT])
    queries.with_subtree_totals(children)
    return children, scope.numchild


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The overview of the current scope. A constant number of queries whatever the size of the province."""
    user = request.user
    scope = current_scope(request)  # request.scope_org is a lazy object, never None itself
    if scope is None:
        # Not a cadre: the page that fits the account (a worker's record, a judge's sheets, an evaluator's periods),
        # as the apps registered them (core.registry.register_landing).
        landing = registry.landing_url(user)
        if landing and landing != request.path:
            return redirect(landing)
        return render(request, "orgs/home.html", {"scope": None})
    children, child_total = _children(scope)
    everything = scope.covers_everything()
    events_qs = AuditEvent.objects.all() if everything else AuditEvent.objects.filter(
        org_path__startswith=scope.path)
    events = history.describe(events_qs.select_related("actor").order_by("-id")[:10], lines=2, brief=True)
    can_change = scope.can_change(user)
    return render(request, "orgs/home.html", {
        "scope": scope,
        "trail": scope.ancestors_and_self(),
        "figures": _figures(scope, everything),
        "children": children,
        "child_total": child_total,
        "todo": registry.todo_items(user),
        "panels": registry.home_panels(request, scope),
        "events": events,
        "can_change": can_change,
        "can_manage": _is_manager(logged_in(user)),
    })


# ---------------------------------------------------------------------------------------------
# Account management (账号与权限)


def _is_manager(user: User) -> bool:
    """An administrator of some subtree (or a superuser)."""
    return not scope_for(user, "manage").is_empty


def _require_manager(user: User) -> None:
    """Only administrators manage accounts; others are told so (403)."""
    if not _is_manager(user):
        raise PermissionDenied(_("Only administrators manage accounts."))


def _managed_accounts(user: User) -> UserQuerySet:
    return User.objects.for_user(user, "manage")


def _split_grants(user: User, account: User) -> tuple[list[RoleGrant], int]:
    """The account's roles on orgs the user can see, and how many more it holds elsewhere: an org outside the
    user's scope is counted, never named."""
    grants = list(account.grants.all())
    shown = [g for g in grants if g.org.in_scope(user)]
    return shown, len(grants) - len(shown)


def _grants_text(user: User, account: User) -> str:
    shown, hidden = _split_grants(user, account)
    parts = [f"{g.org.name} {g.get_role_display()}" for g in shown]
    if hidden:
        parts.append(_("%(n)d more outside your scope") % {"n": hidden})
    return "；".join(parts)


def _status(account: User) -> str:
    return _("Active") if account.is_active else _("Disabled")


# The columns the account list sorts by (?sort=name, ?sort=-login): the status active first; the last log-in the
# latest first, accounts never used after every used one in both directions. The default: by user name (its unique
# index).
ACCOUNT_SORTING = Sorting(
    {"username": "username", "name": "full_name", "status": "-is_active", "login": ("logged_in", "last_login")},
    default="username", first_descending=("login",),
    annotations={"logged_in": Case(When(last_login__isnull=True, then=Value(0)), default=Value(1),
                                   output_field=IntegerField())})


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    _require_manager(logged_in(request.user))
    qs = _managed_accounts(logged_in(request.user))
    q = request.GET.get("q", "").strip()
    if q:
        # The site's one people search (a name part, the last four of the ID number, a mobile tail, a whole ID or
        # mobile number) on the account and its worker record, beside the user name and the roles' unions.
        qs = qs.filter(Q(username__icontains=q) | Q(grants__org__name__contains=q)
                       | queries.people_q(q, name="full_name", mobile="phone", ids=False)
                       | queries.people_q(q, "person__"))
    kind = request.GET.get("kind", "")
    if kind == "cadre":
        qs = qs.filter(grants__isnull=False)
    elif kind == "worker":
        qs = qs.filter(person__isnull=False, grants__isnull=True)
    status = request.GET.get("status", "")
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "disabled":
        qs = qs.filter(is_active=False)
    sort = ACCOUNT_SORTING(request)
    grants = Prefetch("grants", RoleGrant.objects.select_related("org").order_by("org__path"))
    qs = sort.apply(qs.distinct().select_related("person").prefetch_related(grants))
    if wants_export(request):
        headers = [_("User name"), _("Full name"), _("Mobile number"), _("Roles"), _("Worker record"), _("Status"),
                   _("Last log-in")]
        rows = ([a.username, a.full_name, mask_mobile(a.phone or ""), _grants_text(logged_in(request.user), a),
                 a.person.name if a.person else "", _status(a),
                 formats.date_format(timezone.localtime(a.last_login), "Y-m-d H:i") if a.last_login else ""]
                for a in qs.iterator(chunk_size=2000))
        return export(_("accounts"), headers, rows)
    page = paginate(request, qs)
    page.object_list = list(page.object_list)
    for a in page.object_list:
        a.shown_grants, a.hidden_grants = _split_grants(logged_in(request.user), a)
    # htmx restoring a pushed URL from history needs the whole page, not the fragment.
    restoring = request.headers.get("HX-History-Restore-Request") == "true"
    context = {"page": page, "rows": page.object_list, "q": q, "kind": kind, "status": status, "sort": sort}
    return render_page(request, "orgs/accounts/account_list.html", context,
                       fragment=None if restoring else "orgs/accounts/_account_results.html")


def _org_choices(user: User, q: str) -> list[Org]:
    """Active orgs the user administers matching a name or code, each with its parent's name (2 queries)."""
    if not q:
        return []
    orgs = list(Org.objects.for_user(user, "manage").filter(is_active=True)
                .filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code__istartswith=q))
                .order_by("depth", "path")[:ORG_CHOICES_LIMIT])
    parents = {o.path: o for o in Org.objects.filter(path__in={parent_path(o.path) for o in orgs if o.depth > 1})}
    for o in orgs:
        o.parent_name = parents[parent_path(o.path)].name if parent_path(o.path) in parents else ""
    return orgs


@login_required
def account_org_search(request: HttpRequest) -> HttpResponse:
    """HTMX: the org chooser's list (radio buttons named `org`), restricted to the user's manage scopes."""
    user = logged_in(request.user)
    _require_manager(user)
    q = request.GET.get("org_q", "").strip()
    return render(request, "orgs/accounts/_org_choices.html", {"choices": _org_choices(user, q), "q": q})


def _chooser_context(request: HttpRequest, form: GrantForm) -> dict[str, Any]:
    """The chooser shows the org picked so far (after an error, checked), or else the current scope as a
    suggestion (not checked: granting at the top of one's scope must be a deliberate choice)."""
    if form.is_bound:
        # Only an org the user can see is shown back: an id from outside their scope reads as a missing one.
        chosen = form.cleaned_data.get("org") if hasattr(form, "cleaned_data") else None
        if chosen is None and str(form.data.get("org", "")).isdigit():
            chosen = Org.objects.filter(pk=form.data["org"]).first()
        if chosen is not None and not chosen.in_scope(request.user):
            chosen = None
        return {"chosen": chosen, "chosen_checked": True}
    scope = current_scope(request)
    return {"chosen": scope if scope is not None and scope.can_manage(request.user) else None,
            "chosen_checked": False}


@sensitive_post_parameters("password")
@login_required
def account_create(request: HttpRequest) -> HttpResponse:
    _require_manager(logged_in(request.user))
    form = CadreAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            account = services.create_cadre_account(actor=logged_in(request.user), username=d["username"],
                                                    full_name=d["full_name"], password=d["password"],
                                                    org=d["org"], role=d["role"], phone=d["phone"])
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, _("The account %(user)s is open. Tell the cadre the user name and the initial "
                                        "password.") % {"user": account.username})
            return redirect("orgs:account_detail", pk=account.pk)
    return render(request, "orgs/accounts/account_create.html", {"form": form, **_chooser_context(request, form)})


def _account_page(request: HttpRequest, account: User, grant_form: GrantForm | None = None) -> HttpResponse:
    grant_form = grant_form or GrantForm()
    grants = list(account.grants.select_related("org", "granted_by").order_by("org__path", "role"))
    shown = [g for g in grants if g.org.in_scope(request.user)]
    for g in shown:
        g.revocable = request.user.is_superuser or g.org.can_manage(request.user)
    return render(request, "orgs/accounts/account_detail.html", {
        "account": account, "grants": shown, "hidden_grants": len(grants) - len(shown),
        "can_manage": account.can_manage_account(request.user), "form": grant_form,
        "timeline": history.describe(audit.timeline(account, limit=20)), **_chooser_context(request, grant_form)})


def _managed_account(request: HttpRequest, pk: int) -> User:
    return get_object_or_404(_managed_accounts(logged_in(request.user)).select_related("person__employer"), pk=pk)


@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_page(request, _managed_account(request, pk))


@require_POST
@login_required
def account_grant(request: HttpRequest, pk: int) -> HttpResponse:
    account = _managed_account(request, pk)
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            grant = services.grant_role(actor=logged_in(request.user), user=account, org=form.cleaned_data["org"],
                                        role=form.cleaned_data["role"])
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, _("%(user)s is now %(role)s of %(org)s.") % {
                "user": account, "role": grant.get_role_display(), "org": grant.org.name})
            return redirect("orgs:account_detail", pk=account.pk)
    return _account_page(request, account, form)


@require_POST
@login_required
def account_revoke(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    account = _managed_account(request, pk)
    grant = get_object_or_404(RoleGrant.objects.filter(user=account).select_related("org"), pk=grant_pk)
    try:
        services.revoke_role(actor=logged_in(request.user), grant=grant)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The role %(role)s on %(org)s is revoked.") % {
            "role": grant.get_role_display(), "org": grant.org.name})
    return redirect("orgs:account_detail", pk=account.pk)


@require_POST
@login_required
def account_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    account = _managed_account(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_account_active(actor=logged_in(request.user), user=account, active=active)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The account is enabled; its failed log-ins are forgotten.") if active
                         else _("The account is disabled; it can no longer log in."))
    return redirect("orgs:account_detail", pk=account.pk)


# ---------------------------------------------------------------------------------------------
# My record (a worker's self-service)


def _my_person(request: HttpRequest) -> Person | None:
    return (Person.objects.for_user(request.user, "self")
            .select_related("employer", "trade", "membership__union").first())


@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    person = _my_person(request)
    if person is None:
        return render(request, "orgs/accounts/my_record.html", {"person": None})
    initial = {f: getattr(person, f) for f in MyRecordForm.FIELDS}
    form = MyRecordForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in MyRecordForm.FIELDS if form.cleaned_data[f] != initial[f]}
        try:
            if changes:
                services.update_person(actor=logged_in(request.user), person=person, **changes)
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, _("Your corrections are saved.") if changes else _("Nothing was changed."))
            return redirect("orgs:my_record")
    return _render_my_record(request, person, form)


def _render_my_record(request: HttpRequest, person: Person, form: MyRecordForm, id_number: str = "",
                      fragment: str | None = None) -> HttpResponse:
    return render_page(request, "orgs/accounts/my_record.html", {
        "person": person, "form": form, "membership": getattr(person, "membership", None), "id_number": id_number,
        "employer_trail": person.employer.ancestors_and_self()[1:],
        "grades": person.grade_records.select_related("trade"),
        "panels": registry.detail_panels(request, "orgs.person", person) if fragment is None else []},
        fragment=fragment)


@require_POST
@login_required
def my_record_reveal(request: HttpRequest) -> HttpResponse:
    """The worker sees their own full ID number (audited like every reveal)."""
    person = _my_person(request)
    if person is None:
        raise Http404
    try:
        id_number = services.reveal_id_number(actor=logged_in(request.user), person=person)
    except DomainError as e:
        raise PermissionDenied(e.message) from None
    initial = {f: getattr(person, f) for f in MyRecordForm.FIELDS}
    return _render_my_record(request, person, MyRecordForm(initial=initial), id_number=id_number,
                             fragment="orgs/accounts/_id_number.html")


urlpatterns = [
    path("", home, name="home"),
    path("login/", login_view, name="login"),
    path("logout/", logout_view, name="logout"),
    path("account/", account, name="account"),
    path("account/password/", password_change, name="password_change"),
    path("account/tokens/", api_tokens, name="api_tokens"),
    path("account/tokens/<id:pk>/revoke/", api_token_revoke, name="api_token_revoke"),
    path("scope/", switch_scope, name="switch_scope"),
    path("accounts/", account_list, name="account_list"),
    path("accounts/new/", account_create, name="account_create"),
    path("accounts/org-choices/", account_org_search, name="account_org_search"),
    path("accounts/<id:pk>/", account_detail, name="account_detail"),
    path("accounts/<id:pk>/grant/", account_grant, name="account_grant"),
    path("accounts/<id:pk>/grants/<id:grant_pk>/revoke/", account_revoke, name="account_revoke"),
    path("accounts/<id:pk>/active/", account_set_active, name="account_set_active"),
    path("me/", my_record, name="my_record"),
    path("me/id-number/", my_record_reveal, name="my_record_reveal"),
]
