"""The general-licence application pack: the three written descriptions that
《两用物项出口管制条例》第十六条第二款 asks of an applicant for a general licence, written in the
company's voice from the records of one period, as a PDF and an editable Word document.

`licence_pack_request` checks the period and starts the background job; `licence_pack_render`
(run by the job) reads the figures and lays out both files. Nothing here is stored as a record:
the files are the job's results.
"""

import datetime
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django_countries import countries

from core.i18n import joined, semicolon_joined
from core.jobs import job_enqueue
from core.pdf import render_pdf
from icp.selectors.licence_pack import LICENCE_PACK_JOB_KIND, PackFigures, licence_pack_figures

TEMPLATE = "pdf/licence_pack.html"
LANGUAGES = ("zh-hans", "en")
MAX_PERIOD_DAYS = 3 * 366  # a general licence runs for at most three years (第十五条)


@dataclass
class Section:
    title: str
    paragraphs: list
    table_head: tuple = ()
    table: tuple = ()


def _check_period(*, start, end, language, today) -> None:
    errors = {}
    if language not in LANGUAGES:
        errors["language"] = _("Choose Chinese or English.")
    if start > end:
        errors["end"] = _("The end of the period must not be before its start.")
    elif end > today:
        errors["end"] = _("The period must not end in the future.")
    elif (end - start).days > MAX_PERIOD_DAYS:
        errors["start"] = _("The period may cover at most three years.")
    if errors:
        raise ValidationError(errors)


def licence_pack_request(*, organisation, user, start, end, language="zh-hans", today=None):
    """Start generating the pack for the period; bad input raises ValidationError and starts
    nothing."""
    from django.utils import timezone

    _check_period(start=start, end=end, language=language, today=today or timezone.localdate())
    return job_enqueue(
        kind=LICENCE_PACK_JOB_KIND,
        organisation=organisation,
        created_by=user,
        params={"start": start.isoformat(), "end": end.isoformat(), "language": language},
    )


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _country(code) -> str:
    return str(countries.name(code)) or str(code)


def _number(value) -> str:
    text = f"{value:f}" if hasattr(value, "as_tuple") else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _operation(f: PackFigures) -> Section:
    """(一) 两用物项出口管制内部合规制度运行情况说明."""
    bodies = "、".join(body.name_zh for body in f.bodies) if f.bodies else ""
    paragraphs = [
        _(
            "This description is submitted under Article 16, second paragraph, item (1) of the "
            "Regulations on Export Control of Dual-Use Items and covers the period from %(start)s "
            "to %(end)s."
        )
        % {"start": _day(f.start), "end": _day(f.end)},
    ]
    if f.policy_version:
        paragraphs.append(
            _(
                "Policy statement: the Company's export-control compliance policy statement is in "
                "force in version %(version)s; %(done)s of %(total)s staff members have "
                "acknowledged it."
            )
            % {"version": f.policy_version, "done": f.acknowledged, "total": f.members}
        )
    else:
        paragraphs.append(_("Policy statement: the Company has not yet published its policy."))
    paragraphs.append(
        _("Organisation: the Company has set up %(count)s compliance bodies: %(names)s.")
        % {"count": len(f.bodies), "names": bodies or "—"}
    )
    paragraphs.append(
        _("Risk assessment: the Company carried out %(count)s risk assessments in the period.")
        % {"count": f.assessments}
    )
    paragraphs.append(
        _(
            "Transaction review: the Company reviewed %(total)s transactions; %(approved)s were "
            "approved, %(rejected)s refused and %(held)s put on hold."
        )
        % {
            "total": f.transactions,
            "approved": f.approved,
            "rejected": f.rejected,
            "held": f.on_hold,
        }
    )
    paragraphs.append(
        _(
            "Screening: the Company screened parties %(screenings)s times; the screenings "
            "raised %(hits)s possible matches, each decided by the compliance manager."
        )
        % {"screenings": f.screenings, "hits": f.hits}
    )
    for row in f.coverage:
        if row.percent is not None:
            paragraphs.append(
                _("Training: %(function)s — %(current)s of %(members)s people current (%(pct)s%%).")
                % {
                    "function": row.label,
                    "current": row.current,
                    "members": row.members,
                    "pct": row.percent,
                }
            )
    paragraphs.append(
        _(
            "Audit: the Company carried out %(audits)s audits, which recorded %(findings)s "
            "findings; %(actions)s corrective actions were opened, %(closed)s of them verified "
            "as closed."
        )
        % {
            "audits": f.audits,
            "findings": f.findings,
            "actions": f.actions,
            "closed": f.actions_closed,
        }
    )
    paragraphs.append(
        _(
            "Incidents and reports: %(incidents)s incidents were recorded; %(reported)s were "
            "reported to the Ministry of Commerce."
        )
        % {"incidents": f.incidents, "reported": f.incidents_reported}
    )
    return Section(
        title=_(
            "Description of the operation of the internal compliance programme for dual-use "
            "items export control"
        ),
        paragraphs=paragraphs,
    )


def _licences(f: PackFigures) -> Section:
    """(二) 两用物项出口许可证件申领及使用情况说明."""
    paragraphs = [
        _(
            "This description is submitted under Article 16, second paragraph, item (2) of the "
            "Regulations on Export Control of Dual-Use Items. In the period the Company held "
            "%(count)s export licences; exports drew on them %(uses)s times, for a total "
            "quantity of %(quantity)s."
        )
        % {
            "count": len(f.licences),
            "uses": f.drawdowns,
            "quantity": _number(f.drawdown_quantity),
        },
        _("%(count)s of these licences expired or fall due by the end of the period.")
        % {"count": len(f.expiring)},
    ]
    rows = tuple(
        (
            licence.number,
            str(licence.get_kind_display()),
            f"{_day(licence.valid_from)} – {_day(licence.valid_until)}",
            _number(licence.quantity_limit) if licence.quantity_limit is not None else "—",
            _number(licence.used or 0),
            str(licence.uses),
        )
        for licence in f.licences
    )
    head = (
        _("Licence number"),
        _("Kind"),
        _("Valid"),
        _("Quantity limit"),
        _("Quantity used"),
        _("Uses"),
    )
    return Section(
        title=_("Description of the application for and use of dual-use items export licences"),
        paragraphs=paragraphs,
        table_head=head,
        table=rows,
    )


def _channels(f: PackFigures) -> Section:
    """(三) 两用物项出口渠道及最终用户有关情况说明."""
    paragraphs = [
        _(
            "This description is submitted under Article 16, second paragraph, item (3) of the "
            "Regulations on Export Control of Dual-Use Items. In the period the Company exported "
            "under %(count)s approved transactions to %(destinations)s destinations."
        )
        % {"count": f.approved, "destinations": len(f.destinations)},
    ]
    if f.destinations:
        paragraphs.append(
            _("Destinations: %(list)s.")
            % {
                "list": joined(
                    _("%(country)s (%(count)s)") % {"country": _country(code), "count": count}
                    for code, count in f.destinations
                )
            }
        )
    if f.end_uses:
        paragraphs.append(
            _("Stated end uses: %(list)s.")
            % {
                # end uses are free text and may have commas of their own
                "list": semicolon_joined(
                    _("%(use)s (%(count)s)") % {"use": use, "count": count}
                    for use, count in f.end_uses
                )
            }
        )
    rows = tuple((name, _country(country), str(count)) for name, country, count in f.end_users)
    return Section(
        title=_("Description of the export channels and end users of dual-use items"),
        paragraphs=paragraphs,
        table_head=(_("Main end users"), _("Country"), _("Transactions")),
        table=rows,
    )


def licence_pack_sections(*, figures: PackFigures) -> list[Section]:
    return [_operation(figures), _licences(figures), _channels(figures)]


def _docx(*, organisation_name: str, sections: list[Section]) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Noto Sans"  # creates the run properties the East Asian font goes in
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")
    doc.add_heading(organisation_name, level=0)
    for number, section in enumerate(sections):
        if number:
            doc.add_page_break()
        doc.add_heading(section.title, level=1)
        for paragraph in section.paragraphs:
            doc.add_paragraph(paragraph)
        if section.table:
            table = doc.add_table(rows=1, cols=len(section.table_head), style="Table Grid")
            for cell, text in zip(table.rows[0].cells, section.table_head, strict=True):
                cell.text = str(text)
            for row in section.table:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = str(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def licence_pack_render(*, organisation, start, end, language="zh-hans", progress=None):
    """Read the period's figures and return (pdf bytes, docx bytes)."""
    progress = progress or (lambda percent, step="": None)
    progress(10, _("Reading the records of the period"))
    figures = licence_pack_figures(organisation=organisation, start=start, end=end)
    with translation.override(language):
        sections = licence_pack_sections(figures=figures)
        title = _("General licence application pack")
    progress(40, _("Laying out the pages"))
    pdf = render_pdf(
        TEMPLATE,
        {"title": title, "organisation": organisation.name, "sections": sections},
        language=language,
    )
    progress(85, _("Writing the Word document"))
    docx = _docx(organisation_name=organisation.name, sections=sections)
    return pdf, docx
