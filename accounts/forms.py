from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.translation import gettext_lazy as _

from .models import User, validate_unified_social_credit_code
from .roles import Role
from .security import normalise_username
from .signals import mail_publish


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: each field's errors under that field (or at
    the top when the form has no such field), a plain error at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class OrganisationProfileForm(forms.Form):
    """The organisation's details as they appear on the ICP manual and its forms."""

    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    unified_social_credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        required=False,
        validators=[validate_unified_social_credit_code],
        help_text=_("18 characters, as on the business licence."),
    )
    address_zh = forms.CharField(label=_("Address (Chinese)"), max_length=300, required=False)
    address_en = forms.CharField(label=_("Address (English)"), max_length=300, required=False)
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text=_("PNG or JPEG, at most 2 MB. Printed on the cover of the ICP manual."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def clean_unified_social_credit_code(self):
        return self.cleaned_data["unified_social_credit_code"].strip().upper()


class LoginForm(AuthenticationForm):
    """The login name is the e-mail address as stored (lower case, no surrounding spaces), the
    same name django-axes counts failures by (accounts.security.axes_username)."""

    def clean_username(self):
        return normalise_username(self.cleaned_data.get("username"))


def _role_field():
    return forms.ChoiceField(label=_("Role"), choices=Role.choices)


class PasswordResetQueuedForm(PasswordResetForm):
    """Django's reset form, its e-mail queued for the worker (``mail_publish``) instead of sent
    inside the request: a slow or refusing mail server neither delays the answer nor turns it
    into an error, and the answer does not differ for an address that has an account."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        html = None
        if html_email_template_name is not None:
            html = loader.render_to_string(html_email_template_name, context)
        mail_publish(
            subject=subject,
            body=loader.render_to_string(email_template_name, context),
            recipients=[to_email],
            from_email=from_email,
            html=html,
        )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = _role_field()
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)

    def clean_email(self):
        return normalise_username(self.cleaned_data["email"])


class MembershipForm(forms.Form):
    role = _role_field()
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)


class InvitationAcceptForm(forms.Form):
    """A new person's name and password (checked by the password validators)."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            user = User(email=self.email, full_name=cleaned.get("full_name") or "")
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
