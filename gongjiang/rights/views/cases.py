"""The pages of rights cases: the worker's phone pages (file a complaint, follow its steps, add documents), and the
unions' list (filters, Excel export), hotline entry, detail with its timeline and step forms, document downloads.

Who sees what: a union whose reach holds the handling union or the workplace opens the case; only the handling
union and those above it (and the worker) see who complained — the others get the case's kind, workplace, handling
union, step and month filed, nothing more (no summary, amounts, people, notes, documents, authors, exact dates).
Every view of the personal data is audited (services.open_case)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.files import serve_file
from gongjiang.core.forms import MultipleFileField
from gongjiang.core.types import logged_in
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org
from gongjiang.orgs.plugins import is_cadre
from gongjiang.orgs.queries.orgs import page_org
from gongjiang.orgs.scoping import ancestors, grant_orgs

from .. import services
from ..models.cases import Case, CaseChannel, CaseDocument, CaseEntry, CaseKind, CaseResult, CaseStep
from ..queries import cases as queries
from ..rules import cases as rules

DATE = forms.DateInput(attrs={"type": "date"})
MONEY = {"max_digits": 12, "decimal_places": 2, "required": False}


def _regions() -> Any:
    return Org.objects.filter(kind__in=(OrgKind.COUNTY, OrgKind.TOWN), is_active=True).order_by("path")


class PhoneCaseForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind of complaint"), choices=CaseKind.choices)
    summary = forms.CharField(label=gettext_lazy("what happened"), widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=4000)
    own_employer = forms.BooleanField(label=gettext_lazy("The complaint is about my own employer"), required=False,
                                      initial=True)
    employer_name = forms.CharField(label=gettext_lazy("employer (not in the union tree)"), max_length=120,
                                    required=False)
    region = forms.ModelChoiceField(label=gettext_lazy("region of the workplace"), queryset=Org.objects.none(),
                                    required=False)
    worker_name = forms.CharField(label=gettext_lazy("worker's name"), max_length=40, required=False)
    worker_phone = forms.CharField(label=gettext_lazy("worker's mobile phone"), max_length=20, required=False)
    people = forms.IntegerField(label=gettext_lazy("workers involved"), initial=1)
    migrants = forms.IntegerField(label=gettext_lazy("migrant workers among them"), initial=0)
    claimed = forms.DecimalField(label=gettext_lazy("amount claimed (yuan)"), **MONEY)  # type: ignore[arg-type]
    ask_county = forms.BooleanField(label=gettext_lazy("handled by the county union, not the enterprise union"),
                                    required=False, help_text=gettext_lazy(
                                        "Your enterprise union will then not learn who complained."))
    files = MultipleFileField(label=gettext_lazy("Documents (pay slips, contract, photos)"), required=False)

    def __init__(self, *args: Any, has_employer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _regions()  # type: ignore[attr-defined]
        if not has_employer:
            del self.fields["own_employer"]


class HotlineCaseForm(forms.Form):
    channel = forms.ChoiceField(label=gettext_lazy("channel"),
                                choices=[c for c in CaseChannel.choices if c[0] != CaseChannel.PHONE])
    kind = forms.ChoiceField(label=gettext_lazy("kind of complaint"), choices=CaseKind.choices)
    summary = forms.CharField(label=gettext_lazy("what happened"), widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=4000)
    employer = forms.ModelChoiceField(label=gettext_lazy("employer"), queryset=Org.objects.none(), required=False)
    employer_name = forms.CharField(label=gettext_lazy("employer (not in the union tree)"), max_length=120,
                                    required=False)
    region = forms.ModelChoiceField(label=gettext_lazy("region of the workplace"), queryset=Org.objects.none(),
                                    required=False)
    worker_name = forms.CharField(label=gettext_lazy("worker's name"), max_length=40)
    worker_phone = forms.CharField(label=gettext_lazy("worker's mobile phone"), max_length=20)
    worker_id_number = forms.CharField(label=gettext_lazy("worker's ID number"), max_length=20, required=False)
    people = forms.IntegerField(label=gettext_lazy("workers involved"), initial=1)
    migrants = forms.IntegerField(label=gettext_lazy("migrant workers among them"), initial=0)
    claimed = forms.DecimalField(label=gettext_lazy("amount claimed (yuan)"), **MONEY)  # type: ignore[arg-type]
    ask_county = forms.BooleanField(label=gettext_lazy("handled by the county union, not the enterprise union"),
                                    required=False)
    filed_on = forms.DateField(label=pgettext_lazy("rights case", "filed on"), widget=DATE, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = (  # type: ignore[attr-defined]
            Org.objects.for_user(user, "change").filter(kind=OrgKind.GRASSROOTS).order_by("path"))
        self.fields["region"].queryset = _regions().filter(  # type: ignore[attr-defined]
            pk__in=Org.objects.for_user(user, "change").values("pk"))


class StepForm(forms.Form):
    step = forms.ChoiceField(label=gettext_lazy("next step"), choices=[])
    on = forms.DateField(label=gettext_lazy("date"), widget=DATE, required=False)
    note = forms.CharField(label=gettext_lazy("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(CaseStep.choices)
        nxt = (CaseStep.ACCEPTED,) if case.step == CaseStep.FILED else rules.next_steps(case.step)
        self.fields["step"].choices = [(s, labels[s]) for s in nxt]  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    public = forms.BooleanField(label=gettext_lazy("shown to the worker"), required=False)


class DocumentsForm(forms.Form):
    files = MultipleFileField(label=gettext_lazy("Files"))


class TransferForm(forms.Form):
    to = forms.ModelChoiceField(label=gettext_lazy("to the union"), queryset=Org.objects.filter(
        kind__in=(*services.cases.REGIONS, OrgKind.INDUSTRY), is_active=True).order_by("path"))
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200)


class CloseForm(forms.Form):
    result = forms.ChoiceField(label=pgettext_lazy("rights case", "result"), choices=[("", "—"), *CaseResult.choices],
                               required=False)
    recovered = forms.DecimalField(label=gettext_lazy("amount recovered (yuan)"), **MONEY)  # type: ignore[arg-type]
    helped = forms.IntegerField(label=gettext_lazy("workers helped"), required=False)
    reason = forms.CharField(label=gettext_lazy("why more than claimed was recovered"), max_length=200,
                             required=False)
    on = forms.DateField(label=gettext_lazy("date"), widget=DATE, required=False)
    note = forms.CharField(label=gettext_lazy("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)


# ---------------------------------------------------------------------------------------------
# The worker's phone pages


def _enterprise_of(user: Any) -> Org | None:
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    if person is None:
        return None
    return (Org.objects.filter(path__in=ancestors(person.employer.path), kind=OrgKind.GRASSROOTS)
            .order_by("-depth").first())


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    cases = list(Case.objects.own(request.user).select_related("handler", "employer")[:50])
    return render(request, "rights/cases/my_cases.html", {"cases": cases, "today": queries.today()})


@login_required
def case_file(request: HttpRequest) -> HttpResponse:
    enterprise = _enterprise_of(request.user)
    form = PhoneCaseForm(request.POST or None, request.FILES or None, has_employer=enterprise is not None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        own = enterprise is not None and d.get("own_employer")

        def call() -> Case:
            case = services.file_case(
                actor=logged_in(request.user), kind=d["kind"], summary=d["summary"], channel=CaseChannel.PHONE,
                employer=enterprise if own else None, employer_name="" if own else d["employer_name"],
                region=None if own else d["region"], worker_name=d["worker_name"], worker_phone=d["worker_phone"],
                people=d["people"], migrants=d["migrants"], claimed=d["claimed"], ask_county=d["ask_county"])
            if d["files"]:
                services.add_case_documents(actor=logged_in(request.user), case=case, uploads=d["files"])
            return case

        case = pages.handle(form, lambda: _atomic(call))
        if case is not None:
            messages.success(request, _("Your complaint %(number)s has been received.") % {"number": case.number})
            return redirect("rights:my_case", pk=case.pk)
    return render(request, "rights/cases/file.html", {"form": form, "enterprise": enterprise},
                  status=400 if form.is_bound and form.errors else 200)


def _atomic(call: Any) -> Any:
    from django.db import transaction

    with transaction.atomic():
        return call()


@login_required
def my_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.own(request.user).select_related("handler", "employer"), pk=pk)
    form = DocumentsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if pages.handle(form, lambda: services.add_case_documents(
                actor=logged_in(request.user), case=case, uploads=form.cleaned_data["files"])) is not None:
            messages.success(request, _("The documents have been added."))
            return redirect("rights:my_case", pk=case.pk)
    return render(request, "rights/cases/my_case.html", {
        "case": case, "entries": case.entries.filter(public=True).order_by("on", "pk"),
        "documents": case.documents.all(), "form": form, "steps": _progress(case),
        "overdue": case.is_overdue(queries.today())}, status=400 if form.is_bound and form.errors else 200)


def _progress(case: Case) -> list[tuple[str, bool, bool]]:
    """(label, reached, current) of each step for the phone page's progress bar."""
    passed = set(case.entries.filter(kind=CaseEntry.Kind.STEP).values_list("step", flat=True))
    return [(label, value in passed, value == case.step) for value, label in CaseStep.choices]


# ---------------------------------------------------------------------------------------------
# The unions' pages


def _cadre(request: HttpRequest) -> None:
    if not is_cadre(request.user):
        raise PermissionDenied(_("This page is for union cadres."))


def _org(request: HttpRequest) -> Org:
    org = page_org(request)
    if org is None:
        roots = grant_orgs(request.user)
        if not roots:
            raise Http404
        org = roots[0]
    return org


def _flag(request: HttpRequest, name: str) -> bool:
    return request.GET.get(name) in ("1", "on", "true")


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    org = _org(request)
    kind, step = request.GET.get("kind", ""), request.GET.get("step", "")
    overdue, migrant = _flag(request, "overdue"), _flag(request, "migrant")
    qs = queries.case_list(request.user, org, kind=kind, step=step, overdue=overdue, migrant=migrant)
    if pages.wants_export(request):
        rows = list(qs.filter(pk__in=Case.objects.seen_by(request.user).values("pk"))[:20000])
        services.export_cases(actor=logged_in(request.user), org=org, case_ids=[c.pk for c in rows])
        headers = [_("number"), _("kind of complaint"), _("channel"), _("employer"), _("handling union"),
                   _("worker's name"), _("worker's mobile phone"), _("workers involved"),
                   _("migrant workers among them"), _("amount claimed (yuan)"), pgettext("rights case", "step"),
                   pgettext("rights case", "filed on"),
                   _("deadline of the step"), _("closed on"), pgettext("rights case", "result"),
                   _("amount recovered (yuan)"),
                   _("workers helped")]
        return pages.export(f"{org.display_name}{_('rights cases')}", headers, [
            [c.number, c.get_kind_display(), c.get_channel_display(), c.employer_label, c.handler.display_name,
             c.worker_name_masked, c.worker_phone_masked, c.people, c.migrants, c.claimed, c.get_step_display(),
             c.filed_on, c.due_on, c.closed_on, c.get_result_display(), c.recovered, c.helped] for c in rows])
    page = pages.paginate(request, qs, 50)
    cases = list(page.object_list)
    seen = queries.identified(request.user, cases)
    year = queries.today().year
    return render(request, "rights/cases/list.html", {
        "org": org, "page": page, "rows": [(c, c.pk in seen) for c in cases], "kinds": CaseKind.choices,
        "steps": CaseStep.choices, "kind": kind, "step": step, "overdue": overdue, "migrant": migrant,
        "today": queries.today(), "figures": queries.figures(org, year), "year": year,
        "can_enter": bool(Org.objects.for_user(request.user, "change").exists())})


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    form = HotlineCaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        case = pages.handle(form, lambda: services.file_case(
            actor=logged_in(request.user), channel=d["channel"], kind=d["kind"], summary=d["summary"],
            employer=d["employer"], employer_name=d["employer_name"], region=d["region"],
            worker_name=d["worker_name"], worker_phone=d["worker_phone"], worker_id_number=d["worker_id_number"],
            people=d["people"], migrants=d["migrants"], claimed=d["claimed"], ask_county=d["ask_county"],
            filed_on=d["filed_on"]))
        if case is not None:
            messages.success(request, _("Case %(number)s recorded.") % {"number": case.number})
            return redirect("rights:case_detail", pk=case.pk)
    return render(request, "rights/form.html", {
        "form": form, "title": _("Enter a rights case"), "back": reverse("rights:case_list"),
        "intro": _("A complaint received on the 12351 hotline or at the union's office. It goes to the employer's "
                   "union, or to the county union when the workplace has none or the worker asks for it.")},
        status=400 if form.is_bound and form.errors else 200)


def _visible(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(Case.objects.for_user(request.user, "view").select_related(
        "handler", "employer", "region", "site", "worker"), pk=pk)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    case = _visible(request, pk)
    identified = services.open_case(actor=logged_in(request.user), case=case, channel="page")
    handle = case.can_handle(request.user)
    context: dict[str, Any] = {"case": case, "identified": identified, "today": queries.today(),
                               "overdue": case.is_overdue(queries.today())}
    if identified:
        context.update({
            "entries": case.entries.select_related("author").order_by("on", "pk"), "documents": case.documents.all(),
            "deadlines": rules.DEADLINE_DAYS})
    else:  # the steps only: no text, no author, the month
        context["entries"] = case.entries.filter(kind=CaseEntry.Kind.STEP).only("step", "on", "kind")
    if handle and identified and not case.is_closed:
        context.update({"step_form": StepForm(case=case), "note_form": NoteForm(), "documents_form": DocumentsForm(),
                        "transfer_form": TransferForm(), "close_form": CloseForm()
                        if rules.can_close(case.step) else None})
    return render(request, "rights/cases/detail.html", context)


ACTIONS = ("step", "note", "documents", "transfer", "close")


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One of the detail page's forms: a verb; refused, the page again with the message beside its field."""
    _cadre(request)
    if action not in ACTIONS:
        raise Http404
    case = _visible(request, pk)
    if not case.can_handle(request.user):
        raise PermissionDenied(_("You may not handle this case."))
    actor = logged_in(request.user)
    form: forms.Form
    if action == "step":
        form = StepForm(request.POST, case=case)
        call: Any = lambda d: (services.accept_case(actor=actor, case=case, on=d["on"], note=d["note"])  # noqa: E731
                               if d["step"] == CaseStep.ACCEPTED else
                               services.advance_case(actor=actor, case=case, step=d["step"], on=d["on"],
                                                     note=d["note"]))
    elif action == "note":
        form = NoteForm(request.POST)
        call = lambda d: services.add_case_note(actor=actor, case=case, text=d["text"], public=d["public"])  # noqa: E731
    elif action == "documents":
        form = DocumentsForm(request.POST, request.FILES)
        call = lambda d: services.add_case_documents(actor=actor, case=case, uploads=d["files"])  # noqa: E731
    elif action == "transfer":
        form = TransferForm(request.POST)
        call = lambda d: services.transfer_case(actor=actor, case=case, to=d["to"], reason=d["reason"])  # noqa: E731
    else:
        form = CloseForm(request.POST)
        call = lambda d: services.close_case(  # noqa: E731
            actor=actor, case=case, result=d["result"], recovered=d["recovered"], helped=d["helped"],
            reason=d["reason"], on=d["on"], note=d["note"])
    if form.is_valid() and pages.handle(form, lambda: call(form.cleaned_data)) is not None:
        messages.success(request, _("Saved."))
        if action == "transfer" and not Case.objects.for_user(request.user, "view").filter(pk=case.pk).exists():
            return redirect("rights:case_list")
        return redirect("rights:case_detail", pk=case.pk)
    return render(request, "rights/form.html", {
        "form": form, "title": f"{case.number} · {_('Handle the case')}", "back": case.get_absolute_url()},
        status=400)


@login_required
def case_document(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    """A document, to the worker and to those who may see the worker's identity (audited); a 404 to anyone else."""
    case = get_object_or_404(Case.objects.select_related("handler"), pk=pk)
    if not case.can_see_worker(request.user) or not (
            case.is_own(request.user) or Case.objects.for_user(request.user, "view").filter(pk=pk).exists()):
        raise Http404
    document = get_object_or_404(CaseDocument, pk=doc, case=case)
    services.open_case(actor=logged_in(request.user), case=case, channel="document")
    return serve_file(document.file, document.name, document.content_type)
