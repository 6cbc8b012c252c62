"""The group robots of an organisation: its compliance managers configure them and send a test
message; auditors and management see them (masked). Thin: the rules are in services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.forms import add_service_errors

from . import services
from .forms import ChannelForm
from .selectors import channel_get, channel_list


@organisation_required(roles=roles.PROGRAMME_READERS)
def settings_view(request):
    """The robots and, for compliance managers, the form adding one."""
    form = ChannelForm()
    if request.method == "POST":
        if request.membership.role not in roles.PROGRAMME_EDITORS:
            raise PermissionDenied
        form = ChannelForm(request.POST)
        if form.is_valid():
            try:
                services.channel_save(
                    organisation=request.organisation, actor=request.user, data=form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The group robot has been added."))
                return redirect("notices:settings")
    channels = channel_list(organisation=request.organisation)
    return render(
        request,
        "notices/settings.html",
        {
            "channels": channels,
            "form": form,
            "can_edit": request.membership.role in roles.PROGRAMME_EDITORS,
        },
    )


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def channel_edit(request, pk):
    channel = channel_get(organisation=request.organisation, pk=pk)
    initial = {
        "platform": channel.platform,
        "name": channel.name,
        "language": channel.language,
        "is_active": channel.is_active,
    }
    form = ChannelForm(initial=initial, editing=True)
    if request.method == "POST":
        form = ChannelForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.channel_save(
                    organisation=request.organisation,
                    actor=request.user,
                    data=form.cleaned_data,
                    channel=channel,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The group robot has been changed."))
                return redirect("notices:settings")
    return render(
        request,
        "notices/channel_form.html",
        {"channel": channel, "form": form},
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def channel_test(request, pk):
    channel = channel_get(organisation=request.organisation, pk=pk)
    job = services.channel_test(channel=channel, actor=request.user)
    messages.info(request, _("The test message is on its way; this page shows the outcome."))
    return redirect("core:job_detail", job_id=job.pk)
