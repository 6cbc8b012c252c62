"""The manual's numbered versions: generating one (idempotent with a job), requesting one, and
its review, approval and issue as the controlled copy."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles as role_sets
from accounts.permissions import require_role
from core.jobs import job_enqueue
from icp.models import (
    ManualEdition,
    ManualLanguage,
    ManualStatus,
    ManualVersion,
    RevisionReason,
)
from icp.models.manual import DEFAULT_DOCUMENT_NUMBER
from icp.selectors.manual import manual_is_stale

from .rendering import Progress, _no_progress, manual_render

NUMBER_ATTEMPTS = 3


def _next_number(organisation) -> int:
    newest = ManualVersion.objects.for_organisation(organisation).aggregate(n=Max("number"))["n"]
    return (newest or 0) + 1


def manual_generate(
    *,
    organisation,
    language: str,
    requested_by=None,
    job=None,
    progress: Progress = _no_progress,
    edition: str = ManualEdition.FULL,
    document_number: str = "",
    reason: str = "",
    foreign_law_annex: bool = False,
) -> ManualVersion:
    """Generate and store the next manual revision, a draft awaiting review and approval.
    Idempotent per job: one artefact per job."""
    if job is not None:
        existing = ManualVersion.objects.filter(job=job).first()
        if existing is not None:
            return existing
    previous = ManualVersion.objects.for_organisation(organisation).order_by("-number").first()
    document_number = (document_number or "").strip() or (
        previous.document_number if previous else DEFAULT_DOCUMENT_NUMBER
    )
    reason = reason or (RevisionReason.ANNUAL_REVIEW if previous else RevisionReason.FIRST_ISSUE)
    for _attempt in range(NUMBER_ATTEMPTS):
        number = _next_number(organisation)
        rendered = manual_render(
            organisation=organisation,
            language=language,
            number=number,
            requested_by=requested_by,
            progress=progress,
            edition=edition,
            document_number=document_number,
            reason=reason,
            foreign_law_annex=foreign_law_annex,
        )
        progress(95, str(_("Saving the version")))
        version = ManualVersion(
            organisation=organisation,
            number=number,
            language=language,
            edition=edition,
            document_number=document_number,
            revision_reason=reason,
            foreign_law_annex=foreign_law_annex,
            job=job,
            requested_by=requested_by,
            data_as_of=rendered.data.data_as_of,
            policy_version=rendered.data.policy,
            pdf_sha256=hashlib.sha256(rendered.pdf.pdf).hexdigest(),
            page_count=rendered.pdf.page_count,
            docx_sha256=hashlib.sha256(rendered.docx).hexdigest(),
            generation_seconds=round(rendered.total_seconds, 2),
        )
        version.pdf.save(version.filename("pdf"), ContentFile(rendered.pdf.pdf), save=False)
        version.docx.save(version.filename("docx"), ContentFile(rendered.docx), save=False)
        try:
            with transaction.atomic():
                version.save()
            return version
        except IntegrityError:
            version.pdf.delete(save=False)
            version.docx.delete(save=False)
            if job is not None:
                # Another delivery of the same job finished first: that artefact is the one.
                existing = ManualVersion.objects.filter(job=job).first()
                if existing is not None:
                    return existing
            # Otherwise another job took the number: render again with the next one.
    raise ValidationError(
        _("Could not allocate a version number; please try again."), code="number"
    )


def _check_request(*, language: str, edition: str, document_number: str, reason: str) -> None:
    errors = {}
    if language not in ManualLanguage.values:
        errors["language"] = _("Unknown manual language.")
    if edition not in ManualEdition.values:
        errors["edition"] = _("Choose the full or the concise edition.")
    if reason and reason not in RevisionReason.values:
        errors["revision_reason"] = _("Choose the reason for the revision.")
    number = (document_number or "").strip()
    if len(number) > 40 or (number and not all(c.isalnum() or c in "-_./" for c in number)):
        errors["document_number"] = _(
            "A document number has at most 40 letters, digits and the signs - _ . /"
        )
    if errors:
        raise ValidationError(errors)


def manual_request(
    *,
    organisation,
    user,
    language: str,
    edition: str = ManualEdition.FULL,
    document_number: str = "",
    reason: str = "",
    foreign_law_annex: bool = False,
):
    """Ask for a new manual revision: enqueue the job (the page follows its progress). The
    foreign-law risk annex is left out unless the company chooses it."""
    from icp.selectors.manual import MANUAL_JOB_KIND

    _check_request(
        language=language, edition=edition, document_number=document_number, reason=reason
    )
    return job_enqueue(
        kind=MANUAL_JOB_KIND,
        organisation=organisation,
        created_by=user,
        params={
            "language": language,
            "edition": edition,
            "document_number": (document_number or "").strip(),
            "reason": reason,
            "foreign_law_annex": bool(foreign_law_annex),
        },
    )


def _locked(version: ManualVersion) -> ManualVersion:
    return ManualVersion.objects.select_for_update().get(pk=version.pk)


@transaction.atomic
def manual_review(*, version: ManualVersion, user) -> ManualVersion:
    """A compliance manager other than the preparer confirms the draft (审核)."""
    require_role(organisation=version.organisation, user=user, roles=role_sets.PROGRAMME_EDITORS)
    version = _locked(version)
    if version.status != ManualStatus.DRAFT:
        raise ValidationError(_("Only a draft can be reviewed."), code="status")
    if version.requested_by_id == user.pk:
        raise ValidationError(
            _("The person who prepared the manual cannot also review it."), code="same_person"
        )
    version.status = ManualStatus.REVIEWED
    version.reviewed_by = user
    version.reviewed_at = timezone.now()
    version.save()
    return version


@transaction.atomic
def manual_approve(*, version: ManualVersion, user):
    """Management approves a reviewed revision (批准); the controlled copy, with the three names
    and dates on its issue page, is then rendered by a job. Refused when the programme changed
    after the draft was made: the reviewed text would no longer be the one approved."""
    from icp.selectors.manual import MANUAL_JOB_KIND

    require_role(organisation=version.organisation, user=user, roles=role_sets.APPROVERS)
    version = _locked(version)
    if version.status != ManualStatus.REVIEWED:
        raise ValidationError(_("Only a reviewed revision can be approved."), code="status")
    if user.pk in (version.requested_by_id, version.reviewed_by_id):
        raise ValidationError(
            _("The approver must be someone other than the preparer and the reviewer."),
            code="same_person",
        )
    if manual_is_stale(organisation=version.organisation, manual=version):
        raise ValidationError(
            _(
                "The compliance records changed after this draft was made; ask for a new "
                "revision and approve that one."
            ),
            code="stale",
        )
    version.status = ManualStatus.APPROVED
    version.approved_by = user
    version.approved_at = timezone.now()
    version.save()
    return job_enqueue(
        kind=MANUAL_JOB_KIND,
        organisation=version.organisation,
        created_by=user,
        params={"issue": version.pk},
    )


def manual_issue(*, version: ManualVersion, progress: Progress = _no_progress) -> ManualVersion:
    """Render the controlled copy of an approved revision in place of its draft files.
    Idempotent: a revision already issued is returned as it is. The draft's files are kept in
    storage (what the reviewer read), the version points at the controlled copy."""
    version = ManualVersion.objects.select_related("organisation").get(pk=version.pk)
    if version.status != ManualStatus.APPROVED:
        raise ValidationError(_("Only an approved revision can be issued."), code="status")
    if version.issued_at is not None:
        return version
    rendered = manual_render(
        organisation=version.organisation,
        language=version.language,
        number=version.number,
        requested_by=version.requested_by,
        progress=progress,
        edition=version.edition,
        document_number=version.document_number,
        reason=version.revision_reason,
        version=version,
        foreign_law_annex=version.foreign_law_annex,
    )
    progress(95, str(_("Saving the version")))
    stem = version.filename("pdf")[: -len(".pdf")]
    version.pdf.save(f"{stem}-issued.pdf", ContentFile(rendered.pdf.pdf), save=False)
    version.docx.save(f"{stem}-issued.docx", ContentFile(rendered.docx), save=False)
    version.pdf_sha256 = hashlib.sha256(rendered.pdf.pdf).hexdigest()
    version.docx_sha256 = hashlib.sha256(rendered.docx).hexdigest()
    version.page_count = rendered.pdf.page_count
    version.issued_at = timezone.now()
    version.save()
    return version
