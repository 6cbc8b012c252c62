"""Rendering the manual: the document control block, the template's context, and the HTML, PDF
and .docx made from the live programme data."""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from accounts.roles import Role
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
from icp.selectors.manual import ManualData, manual_data
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
