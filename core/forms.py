"""Helpers shared by the forms of every app."""

from django import forms
from django.utils.translation import gettext_lazy as _

# The helper lives in accounts (the bottom layer, whose own pages use it) and is the same for
# every app: import it from here.
from accounts.forms import add_service_errors

__all__ = ["CommentForm", "add_service_errors"]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
