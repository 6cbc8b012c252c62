"""The auditor's review: answers (autosaved), evidence, findings and corrective actions."""

import datetime
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles as role_sets
from accounts.models import Membership
from accounts.permissions import has_role, require_role

from ..models import (
    ActionStatus,
    Answer,
    Audit,
    AuditFrozenError,
    AuditStatus,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    Severity,
)

UNSET = object()


def _team_ids(audit: Audit) -> set[int]:
    return {audit.lead_auditor_id, *audit.team.values_list("pk", flat=True)}


def item_check_reviewer(*, item: ChecklistItem, user) -> None:
    """Only a team member answers, and never on a transaction they took part in."""
    audit = item.audit
    if audit.is_signed_off:
        raise AuditFrozenError
    if user.pk not in _team_ids(audit):
        raise ValidationError(_("Only the audit team answers the checklist."))
    if user.pk in (item.involved_user_ids or []):
        raise ValidationError(
            _(
                "You created, reviewed or approved this transaction: another team member must "
                "audit it."
            )
        )


@transaction.atomic
def item_answer(*, item: ChecklistItem, user, answer=UNSET, comment=UNSET) -> ChecklistItem:
    """Save the answer and/or comment (the autosave endpoint calls it on every pause in typing).
    Saving the same values again changes nothing."""
    item_check_reviewer(item=item, user=user)
    changed = []
    if answer is not UNSET:
        if answer and answer not in Answer.values:
            raise ValidationError(_("Unknown answer."))
        if answer != item.answer:
            item.answer = answer
            changed.append("answer")
    if comment is not UNSET and comment != item.comment:
        if len(comment) > 20_000:
            raise ValidationError(_("The comment is too long."))
        item.comment = comment
        changed.append("comment")
    if changed:
        item.answered_by = user
        item.answered_at = timezone.now()
        if item.independence_conflict and item.assigned_to_id is None:
            item.assigned_to = user
            item.independence_conflict = False
        item.save()
    return item


def _internal_path(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        raise ValidationError(_("Link to a page of this application (a path starting with /)."))
    try:
        resolve(parts.path)
    except Resolver404 as exc:
        raise ValidationError(_("No page of this application has this address.")) from exc
    return (
        parts.path
        + (f"?{parts.query}" if parts.query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )


def item_link_add(*, item: ChecklistItem, user, url: str, label: str) -> ChecklistItem:
    """Add a link to a record of the app as evidence (the page itself checks who may open it)."""
    item_check_reviewer(item=item, user=user)
    path = _internal_path(url)
    label = (label or path).strip()[:200]
    if any(link.get("url") == path for link in item.evidence):
        return item
    item.evidence = [
        *item.evidence,
        {"kind": "link", "label": label, "url": path, "added_by": str(user)},
    ]
    item.save()
    return item


@transaction.atomic
def finding_raise(
    *,
    audit: Audit,
    user,
    title: str,
    description: str,
    severity: str,
    root_cause: str = "",
    element_code: str = "",
    item: ChecklistItem | None = None,
) -> Finding:
    """Record a finding (numbered F01, F02 ... per audit). The item, if given, must be answered
    partially or non-compliant."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.is_signed_off:
        raise AuditFrozenError
    if user.pk not in _team_ids(audit):
        raise ValidationError(_("Only the audit team raises findings."))
    if severity not in Severity.values:
        raise ValidationError(_("Choose a severity."))
    if item is not None:
        if item.audit_id != audit.pk:
            raise ValidationError(_("The item belongs to another audit."))
        if item.answer not in (Answer.PARTIAL, Answer.NON_COMPLIANT):
            raise ValidationError(
                _("Answer the item partially compliant or non-compliant before raising a finding.")
            )
        element_code = element_code or item.element_code
    if element_code not in {f"E{n}" for n in range(1, 10)}:
        raise ValidationError(_("Choose the element the finding concerns."))
    number = (audit.findings.aggregate(m=Max("number"))["m"] or 0) + 1
    return Finding.objects.create(
        organisation=audit.organisation,
        audit=audit,
        number=number,
        item=item,
        element_code=element_code,
        title=title.strip(),
        description=description.strip(),
        severity=severity,
        root_cause=root_cause.strip(),
        raised_by=user,
    )


def finding_update(*, finding: Finding, user, **values) -> Finding:
    if finding.audit.is_signed_off:
        raise AuditFrozenError
    if user.pk not in _team_ids(finding.audit):
        raise ValidationError(_("Only the audit team changes findings."))
    for field in ("title", "description", "severity", "root_cause", "element_code"):
        if field in values:
            setattr(finding, field, values[field])
    finding.save()
    return finding


def _check_member(organisation, user) -> None:
    if not Membership.objects.active().filter(organisation=organisation, user=user).exists():
        raise ValidationError(_("The owner must be a member of the organisation."))


def action_can_assign(*, finding: Finding, user) -> bool:
    """Whether `action_create` would take a corrective action for `finding` from `user`: an
    auditor or a compliance manager of its organisation, before the audit is signed off."""
    return not finding.audit.is_signed_off and has_role(
        roles=role_sets.AUDIT_FOLLOW_UP, organisation=finding.organisation, user=user
    )


def action_create(
    *, finding: Finding, user, description: str, owner, due_date: datetime.date
) -> CorrectiveAction:
    """Assign a corrective action (before sign-off; afterwards the follow-up only progresses):
    auditors assign them, compliance managers too."""
    require_role(
        roles=role_sets.AUDIT_FOLLOW_UP,
        organisation=finding.organisation,
        user=user,
        message=_("Only an auditor or a compliance manager assigns a corrective action."),
    )
    if Audit.objects.filter(pk=finding.audit_id, status=AuditStatus.SIGNED_OFF).exists():
        raise AuditFrozenError
    _check_member(finding.organisation, owner)
    if not description.strip():
        raise ValidationError(_("Describe the corrective action."))
    return CorrectiveAction.objects.create(
        organisation=finding.organisation,
        finding=finding,
        description=description.strip(),
        owner=owner,
        due_date=due_date,
        created_by=user,
    )


def action_can_update(*, action: CorrectiveAction, user) -> bool:
    """Whether `action_update` would let `user` report progress: the owner, whatever their role,
    or a compliance manager of the action's organisation, until an auditor has verified it."""
    return action.status != ActionStatus.VERIFIED and (
        action.owner_id == user.pk
        or has_role(roles=role_sets.PROGRAMME_EDITORS, organisation=action.organisation, user=user)
    )


def action_can_verify(*, action: CorrectiveAction, user) -> bool:
    """Whether `action_verify` would take a verification from `user` now: an auditor of the
    action's organisation other than the owner, once the owner has reported it done."""
    return (
        action.status == ActionStatus.DONE
        and action.owner_id != user.pk
        and has_role(roles=role_sets.AUDITORS, organisation=action.organisation, user=user)
    )


def action_update(
    *, action: CorrectiveAction, user, status: str, progress_note: str = ""
) -> CorrectiveAction:
    """The owner (or a compliance manager) reports progress, up to "done". Only an auditor
    closes it, by verifying."""
    if action.owner_id != user.pk:
        require_role(
            roles=role_sets.PROGRAMME_EDITORS,
            organisation=action.organisation,
            user=user,
            message=_("Only the owner or a compliance manager updates this action."),
        )
    if action.status == ActionStatus.VERIFIED:
        raise ValidationError(_("An auditor verified this action: it is closed."))
    if status not in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE):
        raise ValidationError(_("An auditor closes the action by verifying it."))
    if status == ActionStatus.DONE and not (progress_note or action.progress_note).strip():
        raise ValidationError(_("Say what was done."))
    action.status = status
    if progress_note:
        action.progress_note = progress_note.strip()
    action.completed_at = timezone.now() if status == ActionStatus.DONE else None
    action.save()
    return action


def action_verify(*, action: CorrectiveAction, user, accepted: bool, note: str) -> CorrectiveAction:
    """An auditor other than the owner checks the work: accepted closes the action, otherwise it
    goes back to the owner as in progress."""
    require_role(
        roles=role_sets.AUDITORS,
        organisation=action.organisation,
        user=user,
        message=_("Only an auditor verifies a corrective action."),
    )
    if action.owner_id == user.pk:
        raise ValidationError(_("The owner of an action cannot verify it."))
    if action.status != ActionStatus.DONE:
        raise ValidationError(_("The owner has not reported the action done yet."))
    if not note.strip():
        raise ValidationError(_("Record what you checked."))
    action.verification_note = note.strip()
    if accepted:
        action.status = ActionStatus.VERIFIED
        action.verified_by = user
        action.verified_at = timezone.now()
    else:
        action.status = ActionStatus.IN_PROGRESS
        action.completed_at = None
    action.save()
    return action
