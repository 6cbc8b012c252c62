"""E9 ICP manual: render the programme into a PDF (and an editable .docx) and keep each version.

`manual_render` turns the live programme data into the manual's HTML and WeasyPrint's PDF, with
the figures the benchmark reports. `manual_generate` stores one numbered `ManualVersion`; with a
job it is idempotent: a job that already produced its artefact (a retried or redelivered job
whose worker died after saving) gets that artefact back and nothing is rendered again.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts import roles as role_sets
from accounts.models import Membership
from accounts.permissions import require_role
from accounts.roles import Role
from core.jobs import job_enqueue
from core.pdf import PdfResult, render_pdf_with_stats
from icp.models import (
    ManualEdition,
    ManualLanguage,
    ManualStatus,
    ManualVersion,
    Position,
    RevisionReason,
)
from icp.models.manual import DEFAULT_DOCUMENT_NUMBER
from icp.selectors.manual import ManualData, manual_data, manual_is_stale
from icp.services.manual_chapters import manual_sections
from icp.services.manual_content import Bilingual, L, Label, text_pair
from records.models.retention import LEGAL_MINIMUM_YEARS

TEMPLATE = "pdf/manual/manual.html"
# The document language WeasyPrint and the catalogue use for each manual language; a bilingual
# manual is a Chinese document with English beside it.
DOCUMENT_LANGUAGE: dict[str, str] = {
    ManualLanguage.CHINESE: "zh-hans",
    ManualLanguage.ENGLISH: "en",
    ManualLanguage.BILINGUAL: "zh-hans",
}
NUMBER_ATTEMPTS = 3

Progress = Callable[[int, str], None]


@dataclass
class RenderedManual:
    data: ManualData
    pdf: PdfResult
    docx: bytes
    collect_seconds: float
    docx_seconds: float

    @property
    def overhead_seconds(self) -> float:
        """The app's own share: reading the data and rendering the template."""
        return self.collect_seconds + self.pdf.template_seconds

    @property
    def weasyprint_seconds(self) -> float:
        return self.pdf.layout_seconds + self.pdf.write_seconds

    @property
    def total_seconds(self) -> float:
        return self.collect_seconds + self.pdf.total_seconds + self.docx_seconds


def _no_progress(percent: int, step: str = "") -> None:
    return None


@dataclass
class Signer:
    name: str
    position: object  # a content text (Label or Bilingual)
    date: str


@dataclass
class RevisionRow:
    revision: int
    date: object
    reason: object
    approved_by: str


@dataclass
class DocumentControl:
    """What makes the manual a controlled document: its number, revision, edition and the
    people who prepared (编制), reviewed (审核) and approved (批准) it."""

    document_number: str
    revision: int
    edition: str
    prepared: Signer | None
    reviewed: Signer | None
    approved: Signer | None
    history: list

    @property
    def signers(self) -> list:
        return [
            (L(_("Prepared by")), self.prepared),
            (L(_("Reviewed by")), self.reviewed),
            (L(_("Approved by")), self.approved),
        ]


def _person(user) -> str:
    return (user.get_full_name() if hasattr(user, "get_full_name") else "") or str(user)


def _signer(*, organisation, user, when) -> Signer | None:
    """A person on the issue page: name, position (their compliance position, else their role)
    and the date, in local time."""
    if user is None:
        return None
    position = (
        Position.objects.for_organisation(organisation)
        .filter(holder=user, is_active=True)
        .order_by("-is_head", "order")
        .first()
    )
    title: Bilingual | Label | str
    if position is not None:
        title = Bilingual(position.title_zh, position.title_en)
    else:
        membership = Membership.objects.filter(organisation=organisation, user=user).first()
        title = L(Role(membership.role).label) if membership else ""
    date = timezone.localtime(when).strftime("%Y-%m-%d") if when else ""
    return Signer(name=_person(user), position=title, date=date)


def document_control(
    *,
    data: ManualData,
    number: int,
    edition: str,
    document_number: str,
    reason: str,
    requested_by=None,
    version: ManualVersion | None = None,
) -> DocumentControl:
    """The document control of revision `number` (with its approvals when `version` has them)."""
    organisation = data.organisation
    history = [
        RevisionRow(
            revision=earlier.number,
            date=timezone.localtime(earlier.approved_at),
            reason=L(RevisionReason(earlier.revision_reason).label),
            approved_by=_person(earlier.approved_by) if earlier.approved_by else "",
        )
        for earlier in data.revisions
        if earlier.status == ManualStatus.APPROVED and earlier.number < number
    ]
    approved_at = version.approved_at if version else None
    history.append(
        RevisionRow(
            revision=number,
            date=timezone.localtime(approved_at or data.data_as_of),
            reason=L(RevisionReason(reason).label),
            approved_by=_person(version.approved_by) if version and version.approved_by else "",
        )
    )
    return DocumentControl(
        document_number=document_number,
        revision=number,
        edition=edition,
        prepared=_signer(
            organisation=organisation,
            user=requested_by,
            when=version.created_at if version else data.data_as_of,
        ),
        reviewed=_signer(
            organisation=organisation,
            user=version.reviewed_by if version else None,
            when=version.reviewed_at if version else None,
        ),
        approved=_signer(
            organisation=organisation,
            user=version.approved_by if version else None,
            when=approved_at,
        ),
        history=history,
    )


def manual_context(
    *,
    data: ManualData,
    language: str,
    number: int,
    requested_by=None,
    edition: str = ManualEdition.FULL,
    document_number: str = DEFAULT_DOCUMENT_NUMBER,
    reason: str = RevisionReason.ANNUAL_REVIEW,
    version: ManualVersion | None = None,
    foreign_law_annex: bool = False,
) -> dict:
    """The template context of a manual (shared by the PDF, the .docx and the benchmark)."""
    document_language = DOCUMENT_LANGUAGE[language]
    with translation.override(document_language):
        organisation_name = data.organisation.name
        title = str(_("Export control internal compliance manual"))
    if language == ManualLanguage.BILINGUAL:
        with translation.override("en"):
            title = f"{title} · {_('Export control internal compliance manual')}"
    control = document_control(
        data=data,
        number=number,
        edition=edition,
        document_number=document_number,
        reason=reason,
        requested_by=requested_by,
        version=version,
    )
    header = L(
        _("Document number {number} · Revision {revision} · Controlled document"),
        number=document_number,
        revision=number,
    )
    first, second = text_pair(header, language)
    return {
        "data": data,
        "manual_mode": language,
        "number": number,
        "title": title,
        "organisation": organisation_name,
        "header_left": title,
        "header_right": f"{first} / {second}" if second else first,
        "control": control,
        "sections": manual_sections(
            data=data,
            edition=edition,
            legal_minimum_years=LEGAL_MINIMUM_YEARS,
            foreign_law_annex=foreign_law_annex,
        ),
        "requested_by": requested_by,
        "generated_at": timezone.localtime(data.data_as_of),
    }


def manual_render(
    *,
    organisation,
    language: str,
    number: int,
    requested_by=None,
    progress: Progress = _no_progress,
    edition: str = ManualEdition.FULL,
    document_number: str = DEFAULT_DOCUMENT_NUMBER,
    reason: str = RevisionReason.ANNUAL_REVIEW,
    version: ManualVersion | None = None,
    foreign_law_annex: bool = False,
) -> RenderedManual:
    """Read the programme and render the manual (PDF and .docx). Stores nothing. The
    foreign-law risk annex is printed only when `foreign_law_annex` is chosen."""
    from icp.services.manual_docx import manual_docx

    if language not in ManualLanguage.values:
        raise ValidationError(_("Unknown manual language."), code="language")
    progress(5, str(_("Reading the programme data")))
    started = time.perf_counter()
    data = manual_data(organisation=organisation)
    collected = time.perf_counter()
    context = manual_context(
        data=data,
        language=language,
        number=number,
        requested_by=requested_by,
        edition=edition,
        document_number=document_number,
        reason=reason,
        version=version,
        foreign_law_annex=foreign_law_annex,
    )
    progress(15, str(_("Laying out the pages")))
    pdf = render_pdf_with_stats(TEMPLATE, context, language=DOCUMENT_LANGUAGE[language])
    progress(80, str(_("Writing the Word document")))
    docx_started = time.perf_counter()
    with translation.override(DOCUMENT_LANGUAGE[language]):
        docx = manual_docx(context=context)
    docx_seconds = time.perf_counter() - docx_started
    return RenderedManual(
        data=data,
        pdf=pdf,
        docx=docx,
        collect_seconds=collected - started,
        docx_seconds=docx_seconds,
    )


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
