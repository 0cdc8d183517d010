"""Forms of the people pages: they parse input only; the services validate and write.

A `DomainError` raised by a service is put back on the form field it names (`core.pages.apply_domain_error`), so
every error shows next to the input that caused it and nothing is changed."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from gongjiang.core.forms import DateInput

from ..choices import ETHNICITIES, Education, MembershipStatus, Political, SkillGrade
from ..models import Occupation, Org
from ..occupations import find_trade


def _blank(choices: Any, label: Any = "—") -> list[tuple[Any, Any]]:
    return [("", label), *choices]


class PersonForm(forms.Form):
    """Create or correct a worker's record. On edit the ID number may stay blank (unchanged)."""

    name = forms.CharField(label=_("Name"), max_length=40)
    id_number = forms.CharField(
        label=_("ID number"), max_length=20, required=False,
        help_text=_("18-character resident ID number; birth date and gender are taken from it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}))
    gender = forms.ChoiceField(label=_("Gender"), required=False,
                               choices=[("", _("From the ID number")), ("M", _("Male")), ("F", _("Female"))])
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput(),
                                 help_text=_("Optional; if given it must agree with the ID number."))
    mobile = forms.CharField(label=_("Mobile phone"), max_length=20, required=False,
                             widget=forms.TextInput(attrs={"type": "tel", "inputmode": "numeric"}))
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=10, required=False,
                                widget=forms.TextInput(attrs={"list": "ethnicities"}),
                                help_text=_("One of the 56 ethnic groups, e.g. 汉族."))
    education = forms.ChoiceField(label=_("Education"), required=False, choices=_blank(Education.choices))
    political_status = forms.ChoiceField(label=_("Political status"), required=False,
                                         choices=_blank(Political.choices))
    employer = forms.ModelChoiceField(label=_("Unit"), queryset=Org.objects.none(), required=False,
                                      help_text=_("The union, department or team the worker belongs to."))
    post = forms.CharField(label=_("Post"), max_length=60, required=False)
    trade = forms.CharField(label=_("Trade"), max_length=120, required=False,
                            help_text=_("Occupation code or name of the national classification, e.g. 6-18-01-01 "
                                        "or 车工."))
    skill_grade = forms.TypedChoiceField(label=_("Skill grade"), choices=SkillGrade.choices, coerce=int,
                                         required=False,
                                         empty_value=0)  # type: ignore[arg-type]  # any value; the stubs say str
    is_front_line = forms.BooleanField(label=_("Front-line worker"), required=False)
    is_migrant = forms.BooleanField(label=_("Migrant worker"), required=False)
    employment_start = forms.DateField(label=_("Employed since"), required=False, widget=DateInput())
    # Only when creating: join the union at once.
    join = forms.BooleanField(label=_("Join the union now"), required=False)
    member_since = forms.DateField(label=_("Member since"), required=False, widget=DateInput())
    card_no = forms.CharField(label=_("Membership card number"), max_length=30, required=False)

    ethnicities = ETHNICITIES

    def __init__(self, *args: Any, creating: bool, employers: Any = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.creating = creating
        if creating:
            self.fields["id_number"].required = True
            del self.fields["employer"]
        else:
            # Birth date follows the ID number: on a correction it is not asked (nor shown to staff who may not
            # see the number); a new ID number brings its own.
            for name in ("join", "member_since", "card_no", "skill_grade", "birth_date"):
                del self.fields[name]
            self.fields["id_number"].help_text = _("Leave blank to keep the registered number.")
            if employers is None:
                del self.fields["employer"]
            else:
                cast(forms.ModelChoiceField, self.fields["employer"]).queryset = employers  # declared above
                self.fields["employer"].required = True

    def clean_trade(self) -> Occupation | None:
        text = self.cleaned_data.get("trade", "")
        if not text:
            return None
        trade = find_trade(text)
        if trade is None:
            raise forms.ValidationError(_("“%(v)s” is not an occupation of the national classification "
                                          "(e.g. 6-18-01-01 or 车工)."), params={"v": text})
        return trade

    def service_data(self) -> dict[str, Any]:
        """The cleaned values as the keyword arguments of create_person/update_person."""
        d = dict(self.cleaned_data)
        data: dict[str, Any] = {k: d[k] for k in ("name", "mobile", "ethnicity", "education", "political_status",
                                                  "post", "trade", "is_front_line", "is_migrant",
                                                  "employment_start")}
        for k in ("mobile", "ethnicity"):
            data[k] = (data[k] or "").strip()
        if d.get("id_number"):
            data["id_number"] = d["id_number"]
        if d.get("gender"):
            data["gender"] = d["gender"]
        if d.get("birth_date"):
            data["birth_date"] = d["birth_date"]
        if "employer" in self.fields and d.get("employer") is not None:
            data["employer"] = d["employer"]
        if self.creating and d.get("skill_grade"):
            data["skill_grade"] = d["skill_grade"]
        return data

    def membership_data(self) -> dict[str, Any] | None:
        if not self.creating or not self.cleaned_data.get("join"):
            return None
        return {"member_since": self.cleaned_data.get("member_since"),
                "card_no": self.cleaned_data.get("card_no") or ""}


class SkillGradeForm(forms.Form):
    grade = forms.TypedChoiceField(label=_("Skill grade"), coerce=int,
                                   choices=[c for c in SkillGrade.choices if c[0] != SkillGrade.NONE])
    certificate_no = forms.CharField(label=_("Certificate number"), max_length=40, required=False)
    certified_on = forms.DateField(label=_("Certified on"), required=False, widget=DateInput())
    trade = forms.CharField(label=_("Trade"), max_length=120, required=False,
                            help_text=_("Leave blank for the worker's registered trade."))

    clean_trade = PersonForm.clean_trade


class JoinUnionForm(forms.Form):
    member_since = forms.DateField(label=_("Member since"), required=False, widget=DateInput())
    card_no = forms.CharField(label=_("Membership card number"), max_length=30, required=False)


class MembershipStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[])
    reason = forms.CharField(label=_("Reason"), max_length=200,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Recorded in the worker's history."), required=False)

    def __init__(self, *args: Any, current: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        allowed = [MembershipStatus.ACTIVE, MembershipStatus.LEFT, MembershipStatus.SUSPENDED]
        cast(forms.ChoiceField, self.fields["status"]).choices = [(s.value, s.label) for s in allowed if s != current]


class WorkerAccountForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150,
                               help_text=_("The worker can also log in with their mobile number."))
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput(render_value=False),
                               help_text=_("At least 8 characters, not only digits; tell it to the worker in "
                                           "person."))
    password2 = forms.CharField(label=_("Repeat the password"), widget=forms.PasswordInput(render_value=False))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class PersonFilterForm(forms.Form):
    """The filters of the person list (GET)."""

    YES_NO = [("", _("All")), ("1", _("Yes")), ("0", _("No"))]

    q = forms.CharField(
        label=_("Find a worker"), required=False, max_length=40,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                      "placeholder": _("Name, last 4 of the ID number or mobile")}),
        help_text=_("Part of the name; the last four characters of the ID number; the end of the mobile number; "
                    "or a whole ID or mobile number."))
    trade = forms.CharField(label=_("Trade"), required=False, max_length=60,
                            widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Code or name")}))
    grade = forms.ChoiceField(label=_("Skill grade"), required=False,
                              choices=[("", _("All")), *[(str(v), lbl) for v, lbl in SkillGrade.choices]])
    front_line = forms.ChoiceField(label=_("Front-line"), required=False, choices=YES_NO)
    migrant = forms.ChoiceField(label=_("Migrant worker"), required=False, choices=YES_NO)
    membership = forms.ChoiceField(label=_("Membership"), required=False,
                                   choices=[("", _("All")), *MembershipStatus.choices, ("none", _("Not a member"))])

    FILTERS = ("q", "trade", "grade", "front_line", "migrant", "membership")

    def has_filters(self) -> bool:
        return any((self.cleaned_data.get(k) or "") != "" for k in self.FILTERS)
