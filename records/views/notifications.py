"""The notification centre: the list, the bell, marking read, reminder settings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.lists import ScopedListView

from ..forms import PreferenceForm
from ..models import Notification
from ..selectors import notification_get
from ..services.reminders import (
    notification_mark_read,
    notifications_unread_count,
    preference_for,
    preference_save,
    reminder_kinds,
)


class NotificationListView(ScopedListView):
    model = Notification
    roles = roles.ALL_MEMBERS
    template_name = "records/notification_list.html"
    search_fields = ("title",)

    def get_base_queryset(self):
        queryset = super().get_base_queryset().filter(user=self.request.user)
        if self.request.GET.get("show") == "unread":
            queryset = queryset.filter(read_at__isnull=True)
        return queryset.order_by("read_at", "-created_at", "-pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            unread=notifications_unread_count(
                user=self.request.user, organisation=self.organisation
            ),
            show=self.request.GET.get("show", ""),
        )


@require_POST
@organisation_required()
def notification_read(request, pk):
    notification = notification_get(organisation=request.organisation, user=request.user, pk=pk)
    notification_mark_read(user=request.user, organisation=request.organisation, pk=pk)
    if notification.url and request.POST.get("open"):
        return redirect(notification.url)
    return redirect("records:notification_list")


@require_POST
@organisation_required()
def notification_read_all(request):
    count = notification_mark_read(user=request.user, organisation=request.organisation)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked as read.",
            "%(count)d notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    return redirect("records:notification_list")


@organisation_required()
def notification_bell(request):
    """The navbar bell's count, loaded by htmx after the page (no query on every page)."""
    count = notifications_unread_count(user=request.user, organisation=request.organisation)
    return render(request, "records/_bell.html", {"count": count})


@organisation_required()
def preferences(request):
    preference = preference_for(request.user)
    kinds = [kind for kind, _label in reminder_kinds()]
    initial = {
        "language": preference.language,
        "email_digest": preference.email_digest,
        "enabled_kinds": [k for k in kinds if k not in (preference.disabled_kinds or [])],
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        preference_save(
            user=request.user,
            language=form.cleaned_data["language"],
            email_digest=form.cleaned_data["email_digest"],
            disabled_kinds=[k for k in kinds if k not in form.cleaned_data["enabled_kinds"]],
        )
        messages.success(request, _("Your reminder settings are saved."))
        return redirect(reverse("records:preferences"))
    return render(request, "records/preferences.html", {"form": form})
