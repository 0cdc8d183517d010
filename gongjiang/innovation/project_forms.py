"""The forms of the innovation project pages: the list's filters, registering a project, and the forms of a project's
page (a stage decision, progress, a milestone, a member, the subsidy, a spending, files). Amounts are yuan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Holder, ProjectRole, Stage
from .forms import MultipleFileField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what a date input's value must look like


def yuan_field(label: Any, required: bool = True, **kw: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, min_value=Decimal(0), max_digits=14,
                              decimal_places=2, **kw)


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or member"), required=False)
    stage = forms.ChoiceField(label=_("Project stage"), required=False, choices=[("", _("All")), *Stage.choices])
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    overdue = forms.BooleanField(label=_("Milestones overdue"), required=False)


class PersonNameMixin(forms.Form):
    """A worker named as the union knows them: the name, and the last four digits of the mobile when two colleagues
    share it."""

    name = forms.CharField(label=_("Name"), max_length=40)
    mobile_tail = forms.RegexField(label=_("Last 4 digits of the mobile"), regex=r"^[0-9]{4}$", required=False,
                                   help_text=_("Only when two colleagues share the name."))


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=120)
    holder = forms.ChoiceField(label=_("Held by"), choices=Holder.choices, initial=Holder.TEAM)
    org = forms.ModelChoiceField(label=_("Holding unit"), queryset=None,  # type: ignore[arg-type]
                                 help_text=_("A team for a team's project, the enterprise's union or a department "
                                             "for a studio, the enterprise's union for an enterprise's project."))
    studio_name = forms.CharField(label=_("Studio"), max_length=80, required=False,
                                  help_text=_("Only for a studio, e.g. 王军劳模创新工作室."))
    problem = forms.CharField(label=_("Problem to solve"), widget=forms.Textarea(attrs={"rows": 3}))
    goal = forms.CharField(label=_("Goal"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    leader_name = forms.CharField(label=_("Leader (name)"), max_length=40)
    leader_mobile_tail = forms.RegexField(label=_("Leader's mobile, last 4 digits"), regex=r"^[0-9]{4}$",
                                          required=False, help_text=_("Only when two colleagues share the name."))
    requested = yuan_field(_("Subsidy requested (yuan)"), required=False)

    def __init__(self, *args: Any, orgs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs  # type: ignore[attr-defined]


class AdvanceForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the decision"), widget=forms.Textarea(attrs={"rows": 2}),
                             required=False)


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=120)
    due = forms.DateField(label=_("Due date"), widget=DATE)


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE)


class MemberForm(PersonNameMixin):
    role = forms.ChoiceField(label=_("Role"), choices=ProjectRole.choices, initial=ProjectRole.MEMBER)


class FundingForm(forms.Form):
    requested = yuan_field(_("Subsidy requested (yuan)"))
    granted = yuan_field(_("Subsidy granted (yuan)"), required=False,
                         help_text=_("Empty while the union has not decided."))
    reason = forms.CharField(label=_("Reason"), required=False,
                             help_text=_("Needed when more is granted than was requested."))


class SpendingForm(forms.Form):
    spent_on = forms.DateField(label=_("Spending date"), widget=DATE)
    amount = forms.DecimalField(label=_("Spending amount (yuan)"), max_digits=14, decimal_places=2)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)


class ProjectFilesForm(forms.Form):
    files = MultipleFileField(label=_("Files"), help_text=_("PDF, images, Word, Excel; at most 10 MB each."))
