"""E7 findings and their corrective actions: raising, assigning, updating, verifying."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from audits import selectors
from audits.forms import (
    ActionForm,
    ActionUpdateForm,
    ActionVerifyForm,
    FindingForm,
)
from audits.models import (
    ActionStatus,
    CorrectiveAction,
    Finding,
)
from audits.services import review as review_services
from audits.views.common import audit_or_404, error_message, form_messages, item_or_404
from core.forms import add_service_errors
from core.lists import ScopedListView


@organisation_required(roles=roles.AUDITORS)
def finding_create(request, pk):
    audit = audit_or_404(request, pk)
    item = None
    item_id = request.GET.get("item") or request.POST.get("item")
    if item_id:
        item = item_or_404(request, audit, item_id)
    initial = {}
    if item is not None:
        initial = {
            "element_code": item.element_code,
            "description": item.comment,
            "severity": "minor",
        }
    form = FindingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            finding = review_services.finding_raise(
                audit=audit, user=request.user, item=item, **form.cleaned_data
            )
        except ValidationError as error:
            error_message(request, error)
        else:
            messages.success(request, _("Finding %(code)s raised.") % {"code": finding.code})
            return redirect(finding)
    return render(request, "audits/finding_form.html", {"audit": audit, "item": item, "form": form})


def _finding(request, pk) -> Finding:
    return selectors.finding_get(organisation=request.organisation, pk=pk)


@organisation_required(roles=roles.PROGRAMME_READERS)
def finding_detail(request, pk):
    return _render_finding_detail(request, _finding(request, pk))


def _render_finding_detail(request, finding, action_form=None):
    return render(
        request,
        "audits/finding_detail.html",
        {
            "finding": finding,
            "audit": finding.audit,
            "actions": finding.actions.select_related("owner", "verified_by"),
            "action_form": action_form or ActionForm(organisation=request.organisation),
            "can_assign": review_services.action_can_assign(finding=finding, user=request.user),
        },
    )


@require_POST
@organisation_required(roles=roles.AUDIT_FOLLOW_UP)
def action_create(request, pk):
    finding = _finding(request, pk)
    form = ActionForm(request.POST, organisation=request.organisation)
    if form.is_valid():
        try:
            review_services.action_create(finding=finding, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Corrective action assigned."))
            return redirect(f"{finding.get_absolute_url()}#actions")
    # E.g. signed off meanwhile: the page has no form to show the errors under.
    if not review_services.action_can_assign(finding=finding, user=request.user):
        messages.error(request, " ".join(form_messages(form)))
        return redirect(f"{finding.get_absolute_url()}#actions")
    # Shown again with the action as typed and the errors under its fields.
    return _render_finding_detail(request, finding, action_form=form)


class ActionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=ActionStatus.choices)

    class Meta:
        model = CorrectiveAction
        fields = ["status"]


class ActionListView(ScopedListView):
    """Corrective actions. Staff see only the ones they own; everyone may narrow to theirs."""

    model = CorrectiveAction
    roles = roles.ALL_MEMBERS
    template_name = "audits/action_list.html"
    filterset_class = ActionFilter
    search_fields = ("description", "finding__title", "finding__audit__reference")
    export_filename = "corrective-actions"
    export_columns = (
        (gettext_lazy("Audit"), "finding.audit.reference"),
        (gettext_lazy("Finding"), "finding"),
        (gettext_lazy("Corrective action"), "description"),
        (gettext_lazy("Owner"), "owner"),
        (gettext_lazy("Due"), "due_date"),
        (gettext_lazy("Status"), "get_status_display"),
        (gettext_lazy("Verified by"), "verified_by"),
        (gettext_lazy("Verified"), "verified_at"),
    )

    def get_base_queryset(self):
        own_only = self.membership.role not in roles.PROGRAMME_READERS or self.request.GET.get(
            "mine"
        )
        return selectors.action_list(
            organisation=self.organisation, user=self.request.user if own_only else None
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            today=timezone.localdate(),
            can_see_all=self.membership.role in roles.PROGRAMME_READERS,
        )


def _action(request, pk) -> CorrectiveAction:
    action = selectors.corrective_action_get(organisation=request.organisation, pk=pk)
    if (
        request.membership.role not in roles.PROGRAMME_READERS
        and action.owner_id != request.user.pk
    ):
        raise PermissionDenied
    return action


@organisation_required(roles=roles.ALL_MEMBERS)
def action_detail(request, pk):
    return _render_action_detail(request, _action(request, pk))


def _render_action_detail(request, action, **bound_forms):
    """The action's page; `bound_forms` (a form that failed) replace the empty ones."""
    return render(
        request,
        "audits/action_detail.html",
        {
            "action": action,
            "finding": action.finding,
            "update_form": bound_forms.get("update_form")
            or ActionUpdateForm(
                initial={"status": action.status, "progress_note": action.progress_note}
            ),
            "verify_form": bound_forms.get("verify_form") or ActionVerifyForm(),
            "can_update": review_services.action_can_update(action=action, user=request.user),
            "can_verify": review_services.action_can_verify(action=action, user=request.user),
            "is_reader": request.membership.role in roles.PROGRAMME_READERS,
        },
    )


@require_POST
@organisation_required(roles=roles.ALL_MEMBERS)
def action_update(request, pk):
    action = _action(request, pk)
    if not review_services.action_can_update(action=action, user=request.user):
        raise PermissionDenied
    form = ActionUpdateForm(request.POST)
    if form.is_valid():
        try:
            review_services.action_update(action=action, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Corrective action updated."))
            return redirect(action)
    # Shown again with the status and note as typed and the error under the form.
    return _render_action_detail(request, action, update_form=form)


@require_POST
@organisation_required(roles=roles.AUDITORS)
def action_verify(request, pk):
    action = _action(request, pk)
    form = ActionVerifyForm(request.POST)
    if form.is_valid():
        try:
            review_services.action_verify(action=action, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Verification recorded."))
            return redirect(action)
    if not review_services.action_can_verify(
        action=action, user=request.user
    ):  # the page has no verification form for this user
        messages.error(request, " ".join(form_messages(form)))
        return redirect(action)
    # Shown again with the result and note as typed and the error under the form.
    return _render_action_detail(request, action, verify_form=form)
