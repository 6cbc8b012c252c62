"""The audit report PDF: summary, score per element (an SVG bar chart), findings, corrective
actions and the checklist with answers and evidence; stored as numbered versions with SHA-256."""

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.i18n import joined, localised
from core.pdf import render_pdf_with_stats
from records.models import Document

from .. import selectors
from ..models import Audit, AuditReport
from .checklist import evidence_kind_label
from .checklist_sample import sample_reason_label

LANGUAGES = ("zh-hans", "en")


def score_chart_svg(rows: list[dict]) -> str:
    """A horizontal bar chart of the score per element, drawn as SVG (no chart library)."""
    bar_height, gap, label_width, width = 18, 8, 190, 520
    height = max(1, len(rows)) * (bar_height + gap) + 30
    scale = (width - label_width - 50) / 100
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    for tick in (0, 50, 100):
        x = label_width + tick * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}" stroke="#ccc" '
            f'stroke-width="0.5"/><text x="{x:.1f}" y="{height - 6}" font-size="9" '
            f'text-anchor="middle">{tick}%</text>'
        )
    for index, row in enumerate(rows):
        y = index * (bar_height + gap) + 4
        score = row["score"]
        colour = (
            "#999"
            if score is None
            else "#2e7d32"
            if score >= 80
            else "#f9a825"
            if score >= 50
            else "#c62828"
        )
        label = _escape(row["label"])
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 5}" font-size="9" '
            f'text-anchor="end">{label}</text>'
        )
        bar = 0 if score is None else max(1.0, score * scale)
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{bar:.1f}" height="{bar_height}" '
            f'fill="{colour}"/>'
        )
        value = "—" if score is None else f"{score}%"
        parts.append(
            f'<text x="{label_width + bar + 4:.1f}" y="{y + bar_height - 5}" '
            f'font-size="9">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def report_context(*, audit: Audit) -> dict:
    """Everything the report shows, read with a fixed number of queries."""
    audit = selectors.audit_get(organisation=audit.organisation, pk=audit.pk)
    progress = selectors.audit_progress(audit=audit)
    elements = selectors.elements_by_code(audit.template.framework)
    score_rows = []
    for code in audit.elements:
        element = elements.get(code)
        figures = progress["by_element"].get(code, {"score": None, "total": 0, "answered": 0})
        score_rows.append(
            {
                "code": code,
                "label": f"{code} {localised(element, 'name') if element else ''}".strip(),
                "score": figures.get("score"),
                "total": figures.get("total", 0),
                "answered": figures.get("answered", 0),
            }
        )
    scored = [row["score"] for row in score_rows if row["score"] is not None]
    findings = list(selectors.findings_of(audit=audit))
    items = list(
        audit.items.filter(withdrawn=False)
        .select_related("answered_by", "transaction")
        .order_by("position", "pk")
    )
    documents = _documents_by_item(audit, items)
    for item in items:
        item.evidence_rows = [
            {"kind": evidence_kind_label(link.get("kind", "")), "label": link.get("label", "")}
            for link in item.evidence
        ] + [
            {"kind": _("Document"), "label": f"{doc.original_name} · SHA-256 {doc.sha256[:12]}"}
            for doc in documents.get(str(item.pk), [])
        ]
        item.sample_reason_labels = joined(
            sample_reason_label(code) for code in item.sample_reason.split(", ") if code
        )
    return {
        "audit": audit,
        "title": _("Audit report %(reference)s") % {"reference": audit.reference},
        "organisation": audit.organisation,
        "progress": progress,
        "score_rows": score_rows,
        "overall_score": round(sum(scored) / len(scored)) if scored else None,
        "chart_svg": score_chart_svg(score_rows),
        "findings": findings,
        "items": items,
        "addenda": list(audit.addenda.select_related("author")),
        "elements": elements,
        "printed_at": timezone.now(),
    }


def _documents_by_item(audit, items) -> dict[str, list]:
    from django.contrib.contenttypes.models import ContentType

    from ..models import ChecklistItem

    grouped: dict[str, list] = {}
    for doc in Document.objects.filter(
        organisation=audit.organisation,
        content_type=ContentType.objects.get_for_model(ChecklistItem),
        object_id__in=[str(item.pk) for item in items],
    ).order_by("uploaded_at"):
        grouped.setdefault(doc.object_id, []).append(doc)
    return grouped


def report_render(*, audit: Audit, language: str) -> tuple[bytes, int]:
    if language not in LANGUAGES:
        raise ValueError(f"Unsupported language {language!r}")
    with translation.override(language):
        context = report_context(audit=audit)
        result = render_pdf_with_stats("pdf/audit_report.html", context, language=language)
    return result.pdf, result.page_count


def report_generate(*, audit: Audit, user, language: str, progress=None) -> AuditReport:
    """Render the report and store it as the audit's next version with its SHA-256."""
    progress = progress or (lambda percent, step="": None)
    progress(10, gettext_lazy("Collecting the audit"))
    pdf, pages = report_render(audit=audit, language=language)
    progress(80, gettext_lazy("Storing the report"))
    for _attempt in range(3):
        try:
            with transaction.atomic():
                version = (audit.reports.aggregate(m=Max("version"))["m"] or 0) + 1
                report = AuditReport(
                    organisation=audit.organisation,
                    audit=audit,
                    version=version,
                    language=language,
                    sha256=hashlib.sha256(pdf).hexdigest(),
                    size=len(pdf),
                    page_count=pages,
                    generated_by=user,
                    audit_signed_off=audit.is_signed_off,
                )
                report.file.save(
                    f"{audit.reference}-v{version}-{language}.pdf", ContentFile(pdf), save=False
                )
                report.save()
                return report
        except IntegrityError:
            continue  # two reports rendered at once: take the next number
    raise IntegrityError("Could not number the report version.")
