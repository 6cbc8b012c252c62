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

from core.pdf import PdfResult, render_pdf_with_stats
from icp.models import ManualLanguage, ManualVersion, Scenario
from icp.selectors.manual import ManualData, manual_data
from records.models.retention import LEGAL_MINIMUM_YEARS

TEMPLATE = "pdf/manual/manual.html"
# The document language WeasyPrint and the catalogue use for each manual language; a bilingual
# manual is a Chinese document with English beside it.
DOCUMENT_LANGUAGE = {
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


def manual_context(*, data: ManualData, language: str, number: int, requested_by=None) -> dict:
    """The template context of a manual (shared by the PDF and the benchmark)."""
    document_language = DOCUMENT_LANGUAGE[language]
    with translation.override(document_language):
        organisation_name = data.organisation.name
        title = str(_("Export control internal compliance manual"))
    if language == ManualLanguage.BILINGUAL:
        with translation.override("en"):
            title = f"{title} · {_('Export control internal compliance manual')}"
    return {
        "data": data,
        "manual_mode": language,
        "number": number,
        "title": title,
        "organisation": organisation_name,
        "requested_by": requested_by,
        "generated_at": timezone.localtime(data.data_as_of),
        "scenarios": Scenario.choices,
        "legal_minimum_years": LEGAL_MINIMUM_YEARS,
    }


def manual_render(
    *,
    organisation,
    language: str,
    number: int,
    requested_by=None,
    progress: Progress = _no_progress,
) -> RenderedManual:
    """Read the programme and render the manual (PDF and .docx). Stores nothing."""
    from icp.services.manual_docx import manual_docx

    if language not in ManualLanguage.values:
        raise ValidationError(_("Unknown manual language."), code="language")
    progress(5, str(_("Reading the programme data")))
    started = time.perf_counter()
    data = manual_data(organisation=organisation)
    collected = time.perf_counter()
    context = manual_context(data=data, language=language, number=number, requested_by=requested_by)
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
) -> ManualVersion:
    """Generate and store the next manual version. Idempotent per job: one artefact per job."""
    if job is not None:
        existing = ManualVersion.objects.filter(job=job).first()
        if existing is not None:
            return existing
    for _attempt in range(NUMBER_ATTEMPTS):
        number = _next_number(organisation)
        rendered = manual_render(
            organisation=organisation,
            language=language,
            number=number,
            requested_by=requested_by,
            progress=progress,
        )
        progress(95, str(_("Saving the version")))
        version = ManualVersion(
            organisation=organisation,
            number=number,
            language=language,
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


def manual_request(*, organisation, user, language: str):
    """Ask for a new manual version: enqueue the job (the page follows its progress)."""
    from core.jobs import job_enqueue
    from icp.selectors.manual import MANUAL_JOB_KIND

    if language not in ManualLanguage.values:
        raise ValidationError(_("Unknown manual language."), code="language")
    return job_enqueue(
        kind=MANUAL_JOB_KIND,
        organisation=organisation,
        created_by=user,
        params={"language": language},
    )
