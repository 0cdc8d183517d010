"""Forms of the accounts pages: log-in, password, tokens, cadre accounts and grants, a worker's own record.

Forms only parse input; the services validate the rules and their DomainError is put back on the form
(`add_domain_error`) so every refusal names the field it is about.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import ETHNICITIES, Education, Political, Role
from ..models import Org


class LoginForm(forms.Form):
    username = forms.CharField(label=_("User name or mobile number"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True,
                                                             "autocapitalize": "none"}),
                               error_messages={"required": _("Please enter your user name or mobile number.")})
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                               error_messages={"required": _("Please enter your password.")})


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                                   error_messages={"required": _("Please enter your current password.")})
    new_password = forms.CharField(label=_("New password"), strip=False,
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                   help_text=_("At least 8 characters, not only digits, not a common password."),
                                   error_messages={"required": _("Please enter the new password.")})
    new_password2 = forms.CharField(label=_("New password again"), strip=False,
                                    widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                    error_messages={"required": _("Please enter the new password a second time.")})

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns
        if data.get("new_password") and data.get("new_password2") and data["new_password"] != data["new_password2"]:
            self.add_error("new_password2", _("The two new passwords differ."))
        return data


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What is the token for?"), max_length=60,
                           help_text=_("For example: the HR system of Jinan Steel."),
                           error_messages={"required": _("Please name the token (what it is for).")})


class OrgField(forms.IntegerField):
    """An org chosen with the search-as-you-type chooser (radio buttons named after the field).

    Any existing org is accepted here: whether the actor may grant on it is the service's question. The service
    names an org the actor can see; one out of their sight it answers with this field's own "invalid" message,
    exactly as an id that does not exist."""

    default_error_messages = {
        "required": _("Choose the organisation: type part of its name or code and pick it from the list."),
        "invalid": _("Choose the organisation from the list."),
    }

    def clean(self, value: Any) -> Org | None:
        pk = super().clean(value)
        if pk is None:
            return None
        org = Org.objects.filter(pk=pk).first()
        if org is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return org


ROLE_HELP = _("Administrator: manages the units below and their accounts. Staff: edits. Viewer: reads only.")


class GrantForm(forms.Form):
    org = OrgField(label=_("Organisation"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.STAFF, help_text=ROLE_HELP,
                             error_messages={"required": _("Choose the role.")})


class CadreAccountForm(GrantForm):
    username = forms.CharField(label=_("User name"), max_length=150,
                               help_text=_("Used to log in; letters, digits and @ . + - _ only."),
                               error_messages={"required": _("Please enter the user name.")})
    full_name = forms.CharField(label=_("Full name"), max_length=40,
                                error_messages={"required": _("Please enter the cadre's full name.")})
    phone = forms.CharField(label=_("Mobile number"), max_length=11, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
                            help_text=_("Optional; the cadre can also log in with it."))
    password = forms.CharField(label=_("Initial password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text=_("Tell it to the cadre in person; they should change it after logging in."),
                               error_messages={"required": _("Please set an initial password.")})

    field_order = ["username", "full_name", "phone", "password", "org", "role"]

    def clean_username(self) -> str:
        from django.contrib.auth.validators import UnicodeUsernameValidator

        value: str = self.cleaned_data["username"].strip()
        try:
            UnicodeUsernameValidator()(value)
        except forms.ValidationError:
            raise forms.ValidationError(_("Use letters, digits and @ . + - _ only in the user name.")) from None
        return value


class MyRecordForm(forms.Form):
    """The fields a worker may correct on their own record (services.update_person allows exactly these)."""

    mobile = forms.CharField(label=_("Mobile number"), max_length=20, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    education = forms.ChoiceField(label=_("Education"), required=False,
                                  choices=[("", _("(not given)")), *Education.choices])
    political_status = forms.ChoiceField(label=_("Political status"), required=False,
                                         choices=[("", _("(not given)")), *Political.choices])
    ethnicity = forms.ChoiceField(label=_("Ethnicity"), required=False,
                                  choices=[("", _("(not given)")), *[(e, e) for e in ETHNICITIES]])
    post = forms.CharField(label=_("Post"), max_length=60, required=False,
                           help_text=_("Your job or position, for example 炼钢工 or 班长."))

    FIELDS = ("mobile", "education", "political_status", "ethnicity", "post")
