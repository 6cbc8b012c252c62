"""E1 Compliance policy statement: every write and every rule of the version workflow.

draft --submit--> submitted --approve--> approved --publish--> published --> superseded
                  submitted --return---> draft       (when the next version is published)

Compliance managers draft, submit and publish; management approves or returns with a comment;
every active member acknowledges the published version once.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles as role_sets
from accounts.models import Membership, Organisation, User
from accounts.permissions import require_role
from icp.models import PolicyAcknowledgement, PolicyStatus, PolicyVersion
from icp.models.policy import OPEN_STATUSES

from .policy_template import POLICY_TEMPLATE

EDITABLE_FIELDS = (
    "title_zh",
    "title_en",
    "body_zh",
    "body_en",
    "signatory",
    "signatory_name",
    "signatory_title",
    "effective_date",
    "review_due_date",
    "change_note",
)


def _membership(*, organisation: Organisation, user: User) -> Membership | None:
    return Membership.objects.active().filter(organisation=organisation, user=user).first()


def _require_role(*, organisation: Organisation, user: User, roles, action: str) -> Membership:
    return require_role(organisation=organisation, user=user, roles=roles, message=action)


def _require_status(version: PolicyVersion, *statuses: str) -> None:
    if version.status not in statuses:
        raise ValidationError(
            _("Version %(number)s is %(status)s; this step is not possible now."),
            params={"number": version.number, "status": version.get_status_display().lower()},
            code="wrong_status",
        )


def _require_same_organisation(version: PolicyVersion, organisation: Organisation) -> None:
    if version.organisation_id != organisation.pk:
        raise PermissionDenied("other organisation")


def _require_no_open_version(organisation: Organisation) -> None:
    open_version = (
        PolicyVersion.objects.for_organisation(organisation)
        .filter(status__in=OPEN_STATUSES)
        .first()
    )
    if open_version is not None:
        raise ValidationError(
            _(
                "Version %(number)s is still in preparation (%(status)s); finish or publish it "
                "before starting another."
            ),
            params={
                "number": open_version.number,
                "status": open_version.get_status_display().lower(),
            },
            code="open_version_exists",
        )


def default_review_due_date(effective_date: datetime.date) -> datetime.date:
    """The annual review: one year after the effective date (28 February for 29 February)."""
    try:
        return effective_date.replace(year=effective_date.year + 1)
    except ValueError:
        return effective_date.replace(year=effective_date.year + 1, day=28)


def _validate_signatory(*, organisation: Organisation, signatory: User | None) -> None:
    if signatory is None:
        return
    membership = _membership(organisation=organisation, user=signatory)
    if membership is None or membership.role not in role_sets.APPROVERS:
        raise ValidationError(
            {"signatory": _("The signatory must be a management member of this organisation.")},
            code="signatory_not_management",
        )


def _apply_fields(version: PolicyVersion, fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(version, name, value)
    if version.signatory is not None and not version.signatory_name:
        version.signatory_name = version.signatory.get_full_name()
    if version.effective_date and not version.review_due_date:
        version.review_due_date = default_review_due_date(version.effective_date)
    if (
        version.effective_date
        and version.review_due_date
        and version.review_due_date <= version.effective_date
    ):
        raise ValidationError(
            {"review_due_date": _("The review must be due after the effective date.")},
            code="review_before_effective",
        )


def _next_number(organisation: Organisation) -> int:
    current = PolicyVersion.objects.for_organisation(organisation).aggregate(n=Max("number"))["n"]
    return (current or 0) + 1


@transaction.atomic
def policy_create_draft(
    *,
    organisation: Organisation,
    user: User,
    fields: dict | None = None,
    based_on: PolicyVersion | None = None,
) -> PolicyVersion:
    """A new draft, from the bilingual template unless `fields` give the text. Only one version
    may be in preparation at a time."""
    _require_role(
        organisation=organisation, user=user, roles=role_sets.PROGRAMME_EDITORS, action="draft"
    )
    _require_no_open_version(organisation)
    fields = dict(fields or {})
    _validate_signatory(organisation=organisation, signatory=fields.get("signatory"))
    version = PolicyVersion(
        organisation=organisation,
        number=_next_number(organisation),
        created_by=user,
        based_on=based_on,
        title_zh=POLICY_TEMPLATE["title_zh"],
        title_en=POLICY_TEMPLATE["title_en"],
        body_zh=POLICY_TEMPLATE["body_zh"],
        body_en=POLICY_TEMPLATE["body_en"],
    )
    _apply_fields(version, fields)
    version.full_clean(exclude=["signatory_name", "signatory_title"])
    try:
        version.save()
    except IntegrityError as exc:  # a colleague started one at the same moment
        raise ValidationError(
            _("Another version was started at the same time; reload the page."),
            code="open_version_exists",
        ) from exc
    return version


@transaction.atomic
def policy_update_draft(*, version: PolicyVersion, user: User, fields: dict) -> PolicyVersion:
    """Change a draft. Submitted, approved and published versions are never edited."""
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    _require_role(
        organisation=version.organisation,
        user=user,
        roles=role_sets.PROGRAMME_EDITORS,
        action="edit",
    )
    if version.is_frozen:
        raise ValidationError(
            _("Version %(number)s is approved and frozen; create a new version to change it."),
            params={"number": version.number},
            code="frozen",
        )
    _require_status(version, PolicyStatus.DRAFT)
    _validate_signatory(organisation=version.organisation, signatory=fields.get("signatory"))
    _apply_fields(version, fields)
    version.full_clean(exclude=["signatory_name", "signatory_title"])
    version.save()
    return version


@transaction.atomic
def policy_submit(*, version: PolicyVersion, user: User) -> PolicyVersion:
    """Send a complete draft to management for approval."""
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    _require_role(
        organisation=version.organisation,
        user=user,
        roles=role_sets.PROGRAMME_EDITORS,
        action="submit",
    )
    _require_status(version, PolicyStatus.DRAFT)
    missing = {}
    if not version.body_zh.strip():
        missing["body_zh"] = _("The Chinese statement is required.")
    if not version.body_en.strip():
        missing["body_en"] = _("The English statement is required.")
    if not version.signatory_name.strip():
        missing["signatory_name"] = _("Name the principal person in charge who signs.")
    if not version.signatory_title.strip():
        missing["signatory_title"] = _("Give the signatory's title.")
    if version.effective_date is None:
        missing["effective_date"] = _("Set the date the policy takes effect.")
    if missing:
        raise ValidationError(missing, code="incomplete")
    _validate_signatory(organisation=version.organisation, signatory=version.signatory)
    version.status = PolicyStatus.SUBMITTED
    version.submitted_by = user
    version.submitted_at = timezone.now()
    version.save()
    return version


def policy_approvers(*, version: PolicyVersion) -> list[User]:
    """Who may approve: the named signatory, or else any management member."""
    if version.signatory is not None:
        return [version.signatory]
    return [
        membership.user
        for membership in Membership.objects.active()
        .filter(organisation=version.organisation, role__in=role_sets.APPROVERS)
        .select_related("user")
    ]


def _require_approver(version: PolicyVersion, user: User, action: str) -> None:
    _require_role(
        organisation=version.organisation, user=user, roles=role_sets.APPROVERS, action=action
    )
    if version.signatory_id and version.signatory_id != user.pk:
        raise PermissionDenied(
            _("Only the signatory, %(name)s, may approve or return this version.")
            % {"name": version.signatory}
        )


@transaction.atomic
def policy_approve(*, version: PolicyVersion, user: User, comment: str = "") -> PolicyVersion:
    """Management signs the submitted text; from now on it is frozen and fingerprinted."""
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    _require_approver(version, user, "approve")
    _require_status(version, PolicyStatus.SUBMITTED)
    version.status = PolicyStatus.APPROVED
    version.approved_by = user
    version.approved_at = timezone.now()
    version.approval_comment = comment.strip()
    version.content_sha256 = version.content_fingerprint()
    version.save()
    return version


@transaction.atomic
def policy_return(*, version: PolicyVersion, user: User, comment: str) -> PolicyVersion:
    """Management sends a submitted version back to draft, saying why."""
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    _require_approver(version, user, "return")
    _require_status(version, PolicyStatus.SUBMITTED)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"comment": _("Say what has to change before you can approve.")},
            code="comment_required",
        )
    version.status = PolicyStatus.DRAFT
    version.returned_by = user
    version.returned_at = timezone.now()
    version.return_comment = comment
    version.save()
    return version


@transaction.atomic
def policy_publish(*, version: PolicyVersion, user: User) -> PolicyVersion:
    """Make an approved version the one in force; the previously published one is superseded."""
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    _require_role(
        organisation=version.organisation,
        user=user,
        roles=role_sets.PROGRAMME_EDITORS,
        action="publish",
    )
    _require_status(version, PolicyStatus.APPROVED)
    if version.content_sha256 != version.content_fingerprint():
        # The database was changed behind the application's back: do not publish it.
        raise ValidationError(
            _("The text no longer matches what was approved; it cannot be published."),
            code="fingerprint_mismatch",
        )
    now = timezone.now()
    previous = list(
        PolicyVersion.objects.select_for_update()
        .for_organisation(version.organisation)
        .filter(status=PolicyStatus.PUBLISHED)
    )
    for old in previous:
        old.status = PolicyStatus.SUPERSEDED
        old.superseded_at = now
        old.superseded_by = version
        old.save()
    version.status = PolicyStatus.PUBLISHED
    version.published_by = user
    version.published_at = now
    version.save()
    return version


@transaction.atomic
def policy_new_version_from(*, version: PolicyVersion, user: User) -> PolicyVersion:
    """A new draft copying the text of `version` (usually the published one), for the annual
    review or any change. The source is left untouched."""
    version = PolicyVersion.objects.get(pk=version.pk)
    _require_role(
        organisation=version.organisation,
        user=user,
        roles=role_sets.PROGRAMME_EDITORS,
        action="new version",
    )
    if version.status == PolicyStatus.DRAFT:
        raise ValidationError(
            _("Version %(number)s is still a draft: edit it instead."),
            params={"number": version.number},
            code="source_is_draft",
        )
    _require_no_open_version(version.organisation)
    effective = None
    review_due = None
    if version.review_due_date:
        effective = version.review_due_date
        review_due = default_review_due_date(effective)
    return policy_create_draft(
        organisation=version.organisation,
        user=user,
        fields={
            "title_zh": version.title_zh,
            "title_en": version.title_en,
            "body_zh": version.body_zh,
            "body_en": version.body_en,
            "signatory": version.signatory,
            "signatory_name": version.signatory_name,
            "signatory_title": version.signatory_title,
            "effective_date": effective,
            "review_due_date": review_due,
        },
        based_on=version,
    )


@transaction.atomic
def policy_acknowledge(
    *, version: PolicyVersion, user: User, language: str = ""
) -> PolicyAcknowledgement:
    """Record the member's "I have read and will comply" for the published version. Once only;
    an acknowledgement is never changed or withdrawn."""
    version = PolicyVersion.objects.get(pk=version.pk)
    membership = _membership(organisation=version.organisation, user=user)
    if membership is None:
        raise PermissionDenied("not a member")
    if version.status != PolicyStatus.PUBLISHED:
        raise ValidationError(
            _("Only the published policy can be acknowledged."), code="not_published"
        )
    if PolicyAcknowledgement.objects.filter(version=version, user=user).exists():
        raise ValidationError(
            _("You have already acknowledged version %(number)s."),
            params={"number": version.number},
            code="already_acknowledged",
        )
    try:
        with transaction.atomic():
            return PolicyAcknowledgement.objects.create(
                organisation=version.organisation,
                version=version,
                user=user,
                language=(language or "")[:10],
            )
    except IntegrityError as exc:  # a double click
        raise ValidationError(
            _("You have already acknowledged version %(number)s."),
            params={"number": version.number},
            code="already_acknowledged",
        ) from exc
