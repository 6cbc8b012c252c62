"""What the audit pages share: fetching the audit and its item, who is on the team."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.roles import Role
from audits import selectors
from audits.models import (
    Audit,
    ChecklistItem,
)


def form_messages(form) -> list[str]:
    """Every error of a failed form, for a message when the page cannot show the form."""
    return [str(message) for messages_ in form.errors.values() for message in messages_]


def error_message(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def audit_or_404(request, pk) -> Audit:
    try:
        return selectors.audit_get(organisation=request.organisation, pk=pk)
    except Audit.DoesNotExist as exc:
        raise Http404 from exc


def item_or_404(request, audit, item_pk) -> ChecklistItem:
    return selectors.checklist_item_get(audit=audit, pk=item_pk)


def is_auditor(request) -> bool:
    return request.membership.role == Role.AUDITOR


def in_team(request, audit) -> bool:
    return is_auditor(request) and (
        request.user.pk == audit.lead_auditor_id
        or any(member.pk == request.user.pk for member in audit.team.all())
    )
