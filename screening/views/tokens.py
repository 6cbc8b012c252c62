from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from accounts.selectors import api_token_get, api_token_list
from accounts.tokens import api_token_create, api_token_revoke
from screening.forms import ApiTokenForm


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def token_list(request):
    """Compliance managers create and revoke the tokens their ERP uses. A new token is shown
    once, on this page, right after it is created."""
    form = ApiTokenForm(
        request.POST or None, organisation=request.organisation, initial={"user": request.user}
    )
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = api_token_create(
                organisation=request.organisation,
                user=form.cleaned_data["user"],
                name=form.cleaned_data["name"],
                created_by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Token created. Copy it now: it will not be shown again."))
            form = ApiTokenForm(organisation=request.organisation, initial={"user": request.user})
    tokens = api_token_list(organisation=request.organisation)
    return render(
        request,
        "screening/token_list.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def token_revoke(request, pk):
    token = api_token_get(organisation=request.organisation, pk=pk)
    api_token_revoke(token=token, user=request.user)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("screening:token_list")
