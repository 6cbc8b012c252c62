"""The ICP manual as an editable Word document (python-docx), from the same context as the PDF.

Many firms finish their manual in Word: this gives them the same chapters, tables and forms with
real headings (Word's navigation pane and table of contents field work on them). A table of
contents field is inserted; Word fills in the page numbers when the document is opened and
updated (F9), which is Word's own behaviour for generated documents.
"""

import io
import re

from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from core.navigation import ELEMENTS
from icp.models import Duty, ManualLanguage
from icp.models.training import AUDIENCE_CHOICES

BILINGUAL = ManualLanguage.BILINGUAL
NAVY = RGBColor(0x0B, 0x2E, 0x4F)
# The same sentences as the PDF's chapters 4 and 9 (one catalogue entry each).
THRESHOLD_TEXT = _(
    "Alert threshold: names scoring at or above {threshold} (on a scale of 0 to 1) against a "
    "listed entity are decided by the compliance department. Parties are screened again "
    "whenever a list changes."
)
PURPOSE_TEXT = _(
    "This manual is the written description of the compliance programme required for a "
    "general licence application (Dual-Use Regulations 2024, Art. 16). It is generated from "
    "the compliance records themselves, so each chapter shows the programme as it is run, not "
    "as it was once described."
)


class _Writer:
    def __init__(self, context: dict):
        self.context = context
        self.data = context["data"]
        self.mode = context["manual_mode"]
        self.doc = Document()
        style = self.doc.styles["Normal"]
        style.font.name = "Noto Sans"
        style.font.size = Pt(10)
        # East Asian text takes this font in Word (the rFonts eastAsia attribute).
        style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")
        for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
            self.doc.styles[name].element.get_or_add_rPr().get_or_add_rFonts().set(
                qn("w:eastAsia"), "Noto Sans CJK SC"
            )
        # Looked up once: python-docx finds a style by name by scanning all of them.
        self.grid = self.doc.styles["Table Grid"]

    # ---- text in the manual's language ------------------------------------------------------

    def t(self, label, **params) -> str:
        def one(language):
            with translation.override(language):
                text = str(label)
            return text.format(**params) if params else text

        if self.mode == BILINGUAL:
            zh, en = one("zh-hans"), one("en")
            return zh if zh == en else f"{zh} / {en}"
        return one("en" if self.mode == "en" else "zh-hans")

    def b(self, obj, field) -> str:
        zh = getattr(obj, f"{field}_zh", "") or ""
        en = getattr(obj, f"{field}_en", "") or ""
        if self.mode == BILINGUAL:
            return f"{zh}\n{en}" if zh and en and zh != en else (zh or en)
        return (en or zh) if self.mode == "en" else (zh or en)

    def choice(self, obj, field) -> str:
        value = getattr(obj, field)
        return self.t(dict(obj._meta.get_field(field).flatchoices).get(value, value))

    # ---- building blocks --------------------------------------------------------------------

    def logo(self):
        """The organisation's logo at the top of the cover, as in the PDF."""
        logo = self.data.organisation.logo
        if not logo:
            return
        with logo.open("rb") as handle:
            self.doc.add_picture(io.BytesIO(handle.read()), height=Cm(2))

    def heading(self, text: str, level: int = 1):
        if level == 1:
            self.doc.add_page_break()
        return self.doc.add_heading(text, level=level)

    def para(self, text: str, *, italic=False, size=None):
        paragraph = self.doc.add_paragraph()
        run = paragraph.add_run(text)
        run.italic = italic
        if size:
            run.font.size = Pt(size)
        return paragraph

    def empty(self, label):
        self.para(self.t(label), italic=True)

    def table(self, headers: list[str], rows: list[list[str]]):
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.grid
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = header
            for run in cell.paragraphs[0].runs:
                run.bold = True
        # Repeat the header row on every page, as in the PDF.
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        tr_pr.append(header)
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                cell.text = str(value)
        self.doc.add_paragraph()
        return table

    def facts(self, rows: list[tuple[str, str]]):
        table = self.doc.add_table(rows=0, cols=2)
        table.style = self.grid
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].text = label
            cells[0].paragraphs[0].runs[0].bold = True
            cells[1].text = str(value)
        self.doc.add_paragraph()

    def prose(self, obj, field, *, html=False):
        def text(suffix):
            if html:
                raw = str(obj.body_html(suffix))
                raw = re.sub(r"</(p|h\d|li|tr)>", "\n", raw)
                return strip_tags(raw).strip()
            return (getattr(obj, f"{field}_{suffix}", "") or "").strip()

        zh, en = text("zh"), text("en")
        if self.mode == BILINGUAL and en:
            table = self.doc.add_table(rows=1, cols=2)
            table.rows[0].cells[0].text = zh
            table.rows[0].cells[1].text = en
            self.doc.add_paragraph()
            return
        value = (en or zh) if self.mode == "en" else (zh or en)
        for part in value.split("\n"):
            if part.strip():
                self.para(part.strip())

    def toc_field(self):
        paragraph = self.doc.add_paragraph()
        run = paragraph.add_run()
        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        instruction = OxmlElement("w:instrText")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = 'TOC \\o "1-2" \\h \\z \\u'
        separate = OxmlElement("w:fldChar")
        separate.set(qn("w:fldCharType"), "separate")
        placeholder = OxmlElement("w:t")
        placeholder.text = self.t(_("Update this field (F9) to show the page numbers."))
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        for element in (begin, instruction, separate, placeholder, end):
            run._r.append(element)

    # ---- the document -----------------------------------------------------------------------

    def build(self) -> bytes:
        data, ctx = self.data, self.context
        chapter = {item.code: item.label for item in ELEMENTS}
        self.logo()
        title = self.doc.add_heading(self.t(_("Export control internal compliance manual")), 0)
        title.runs[0].font.color.rgb = NAVY
        self.para(self.b(data.organisation, "name"), size=16)
        self.facts(
            [
                (self.t(_("Manual version")), ctx["number"]),
                (
                    self.t(_("Data as of")),
                    timezone.localtime(data.data_as_of).strftime("%Y-%m-%d %H:%M"),
                ),
                (self.t(_("Prepared by")), str(ctx.get("requested_by") or "—")),
            ]
        )
        self.doc.add_heading(self.t(_("Contents")), level=1)
        self.toc_field()

        self.heading(self.t(_("Approval")))
        policy = data.policy
        if policy:
            self.facts(
                [
                    (
                        self.t(_("Policy statement")),
                        f"v{policy.number} · {self.b(policy, 'title')}",
                    ),
                    (self.t(_("Signatory")), f"{policy.signatory_name} · {policy.signatory_title}"),
                    (
                        self.t(_("Approved")),
                        policy.approved_at.strftime("%Y-%m-%d") if policy.approved_at else "—",
                    ),
                    (self.t(_("Effective date")), str(policy.effective_date or "—")),
                ]
            )
        else:
            self.empty(_("No policy statement published yet."))
        self.doc.add_heading(self.t(_("Revision history")), level=2)
        self.table(
            [
                self.t(_("Version")),
                self.t(_("Language")),
                self.t(_("Data as of")),
                self.t(_("Requested by")),
                self.t(_("Number of pages")),
            ],
            [
                [
                    r.number,
                    self.choice(r, "language"),
                    r.data_as_of.strftime("%Y-%m-%d %H:%M"),
                    str(r.requested_by or "—"),
                    r.page_count,
                ]
                for r in data.revisions
            ]
            + [
                [
                    ctx["number"],
                    self.t(ManualLanguage(self.mode).label),
                    timezone.localtime(data.data_as_of).strftime("%Y-%m-%d %H:%M"),
                    str(ctx.get("requested_by") or "—"),
                    "—",
                ]
            ],
        )

        # 1 policy
        self.heading(f"1 {self.t(chapter['E1'])}")
        if policy:
            self.doc.add_heading(self.b(policy, "title"), level=2)
            self.prose(policy, "body", html=True)
        else:
            self.empty(_("No policy statement published yet."))

        # 2 organisation
        self.heading(f"2 {self.t(chapter['E2'])}")
        self.doc.add_heading(self.t(_("Organisation chart")), level=2)

        def body_lines(nodes, depth=0):
            for node in nodes:
                self.para(("    " * depth) + "■ " + self.b(node.body, "name").replace("\n", " / "))
                for item in node.positions:
                    position_lines(item, depth + 1)
                body_lines(node.children, depth + 1)

        def position_lines(item, depth):
            position = item.position
            self.para(
                ("    " * depth)
                + "– "
                + self.b(position, "title").replace("\n", " / ")
                + f" · {position.holder_display or '—'}"
            )
            for child in item.children:
                position_lines(child, depth + 1)

        if data.chart:
            body_lines(data.chart)
        else:
            self.empty(_("No compliance body recorded yet."))
        self.doc.add_heading(self.t(_("Position descriptions")), level=2)
        labels = dict(Duty.choices)
        self.table(
            [
                self.t(_("Position")),
                self.t(_("Holder")),
                self.t(_("Duties")),
                self.t(_("Authority")),
            ],
            [
                [
                    self.b(p, "title"),
                    p.holder_display or "—",
                    self.b(p, "duties")
                    + (
                        "\n" + "; ".join(self.t(labels.get(c, c)) for c in p.duty_codes)
                        if p.duty_codes
                        else ""
                    ),
                    self.b(p, "authority"),
                ]
                for p in data.positions
            ],
        )
        self.doc.add_heading(self.t(_("Segregation of duties")), level=2)
        self.table(
            [self.t(_("Rule")), self.t(_("Must not be combined")), self.t(_("Why"))],
            [
                [
                    self.b(rule, "name"),
                    f"{self.b(rule.position_a, 'title')} ≠ {self.b(rule.position_b, 'title')}"
                    if rule.kind == "positions"
                    else f"{self.choice(rule, 'duty_a')} ≠ {self.choice(rule, 'duty_b')}",
                    self.b(rule, "rationale"),
                ]
                for rule in data.sod_rules
            ],
        )

        # 3 risk
        self.heading(f"3 {self.t(chapter['E3'])}")
        assessment = data.assessment
        if assessment:
            self.facts(
                [
                    (self.t(_("Assessment in force")), assessment.title),
                    (self.t(_("Assessment date")), assessment.assessment_date.strftime("%Y-%m-%d")),
                    (
                        self.t(_("Approved")),
                        f"{assessment.approved_at:%Y-%m-%d} · {assessment.approved_by}",
                    ),
                ]
            )
            self.prose(assessment, "conclusion")
            self.doc.add_heading(self.t(_("Heat map")), level=2)
            for caption, grid in (
                (_("Inherent risk"), data.heat_inherent),
                (_("Residual risk"), data.heat_residual),
            ):
                self.para(self.t(caption))
                self.table(
                    [self.t(_("Impact")), "1", "2", "3", "4", "5"],
                    [[row[0].impact, *[cell.count for cell in row]] for row in grid],
                )
            self.doc.add_heading(self.t(_("Risk register")), level=2)
            self.table(
                [
                    self.t(_("Id")),
                    self.t(_("Category")),
                    self.t(_("Risk and mitigations")),
                    self.t(_("Inherent")),
                    self.t(_("Residual")),
                ],
                [
                    [
                        r.key,
                        self.choice(r, "category"),
                        f"{self.b(r, 'title')}\n{self.b(r, 'mitigation')}".strip(),
                        r.inherent_score,
                        r.residual_score,
                    ]
                    for r in data.risks
                ],
            )
        else:
            self.empty(_("No risk assessment has been approved yet."))
        self.doc.add_heading(self.t(_("Destinations that need care")), level=2)
        self.table(
            [self.t(_("Country or region")), self.t(_("Risk level")), self.t(_("Reason"))],
            [
                [str(row.country.name), self.choice(row, "level"), self.b(row, "reason")]
                for row in data.destinations
            ],
        )

        # 4 transaction review
        self.heading(f"4 {self.t(chapter['E4'])}")
        self.doc.add_heading(self.t(_("Review procedure")), level=2)
        for label in (
            _("Classify every item."),
            _("Screen every party."),
            _("Answer the red-flag questions."),
            _("Obtain the end-user certificate."),
            _("Record the licence decision."),
            _("Decide."),
        ):
            self.doc.add_paragraph(self.t(label), style="List Number")
        self.doc.add_heading(self.t(_("Restricted-party screening")), level=2)
        self.para(
            self.t(
                THRESHOLD_TEXT,
                threshold=f"{data.screening_threshold:.2f}",
            )
        )
        self.table(
            [self.t(_("List")), self.t(_("Issuer")), self.t(_("Effect of a match"))],
            [
                [self.b(lst, "name"), lst.issuer or "—", self.choice(lst, "severity")]
                for lst in data.screening_lists
            ],
        )

        # 5 emergency
        self.heading(f"5 {self.t(chapter['E5'])}")
        for plan in data.plans:
            self.doc.add_heading(self.b(plan, "title"), level=2)
            self.facts(
                [
                    (self.t(_("Scenario")), self.choice(plan, "scenario")),
                    (self.t(_("Legal basis")), plan.legal_basis or "—"),
                    (self.t(_("Contacts")), plan.contacts or "—"),
                    (self.t(_("Escalation")), plan.escalation or "—"),
                ]
            )
            self.prose(plan, "steps")
        if not data.plans:
            self.empty(_("No response plan recorded yet."))

        # 6 training
        self.heading(f"6 {self.t(chapter['E6'])}")
        audience = dict(AUDIENCE_CHOICES)
        self.doc.add_heading(self.t(_("Training plan")), level=2)
        self.table(
            [
                self.t(_("Course")),
                self.t(_("Who must take it")),
                self.t(_("Minutes")),
                self.t(_("Refresher")),
            ],
            [
                [
                    self.b(c, "topic"),
                    "; ".join(self.t(audience.get(a, a)) for a in c.audience),
                    c.duration_minutes,
                    self.t(_("every {months} months"), months=c.refresher_months)
                    if c.refresher_months
                    else self.t(_("once")),
                ]
                for c in data.courses
            ],
        )
        self.doc.add_heading(self.t(_("Coverage")), level=2)
        self.table(
            [
                self.t(_("Training function")),
                self.t(_("Members")),
                self.t(_("Current")),
                self.t(_("Coverage")),
            ],
            [
                [
                    self.t(c.label),
                    c.members,
                    c.current,
                    f"{c.percent} %" if c.percent is not None else "—",
                ]
                for c in data.coverage
            ],
        )

        # 7 audits
        self.heading(f"7 {self.t(chapter['E7'])}")
        self.doc.add_heading(self.t(_("Audit programme")), level=2)
        if data.audit_plan:
            self.table(
                [
                    self.t(_("Planned audit")),
                    self.t(_("Type")),
                    self.t(_("Recurrence")),
                    self.t(_("Next start")),
                ],
                [
                    [
                        self.b(e, "title"),
                        self.choice(e, "audit_type"),
                        self.choice(e, "recurrence"),
                        e.next_start.strftime("%Y-%m-%d"),
                    ]
                    for e in data.audit_plan
                ],
            )
        else:
            self.empty(_("No audit is planned yet."))
        self.doc.add_heading(self.t(_("Result of the last audit")), level=2)
        audit = data.last_audit
        if audit:
            findings = data.last_audit_findings
            self.facts(
                [
                    (self.t(_("Audit")), f"{audit.reference} · {self.b(audit, 'title')}"),
                    (
                        self.t(_("Signed off")),
                        f"{audit.signed_off_at:%Y-%m-%d} · {audit.signed_off_by}",
                    ),
                    (
                        self.t(_("Findings")),
                        self.t(
                            _("{major} major, {minor} minor, {observation} observations"),
                            major=findings.get("major", 0),
                            minor=findings.get("minor", 0),
                            observation=findings.get("observation", 0),
                        ),
                    ),
                ]
            )
            if audit.summary:
                self.para(audit.summary)
        else:
            self.empty(_("No audit has been signed off yet."))

        # 8 recordkeeping
        self.heading(f"8 {self.t(chapter['E8'])}")
        self.doc.add_heading(self.t(_("Retention schedule")), level=2)
        self.table(
            [
                self.t(_("Record type")),
                self.t(_("Counted from")),
                self.t(_("Years kept")),
                self.t(_("Basis")),
            ],
            [[r.record_type, r.counted_from or "—", r.years, r.basis] for r in data.retention],
        )

        # 9 the manual
        self.heading(f"9 {self.t(chapter['E9'])}")
        self.para(self.t(PURPOSE_TEXT))

        # appendices
        self.heading(f"{self.t(_('Appendix A'))} · {self.t(_('Red-flag list'))}")
        self.table(
            [self.t(_("Id")), self.t(_("Red flag")), self.t(_("Severity"))],
            [[f.ref_id, self.b(f, "text"), self.choice(f, "severity")] for f in data.red_flags],
        )
        self.heading(f"{self.t(_('Appendix B'))} · {self.t(_('Audit checklist template'))}")
        for group in data.audit_questions:
            self.doc.add_heading(f"{group.element.code} {self.b(group.element, 'name')}", level=2)
            self.table(
                [self.t(_("Id")), self.t(_("Question")), self.t(_("Result"))],
                [[q.ref_id, self.b(q, "text"), "☐ ☐ ☐ ☐"] for q in group.questions],
            )
        self.heading(f"{self.t(_('Appendix C'))} · {self.t(_('Legal provisions'))}")
        self.table(
            [self.t(_("Provision")), self.t(_("Provision text"))],
            [[f"{p.law} {p.article}", self.b(p, "text")] for p in data.provisions],
        )
        self.heading(f"{self.t(_('Appendix D'))} · {self.t(_('Forms'))}")
        forms = (
            (
                _("End-user and end-use certificate"),
                (
                    _("End user (full legal name)"),
                    _("Address and country"),
                    _("Contact person, phone, e-mail"),
                    _("Contract or order number"),
                    _("Items (description, model, quantity, value)"),
                    _("Specific end use and place of use"),
                    _("Authorised signature, name and title"),
                    _("Company stamp and date"),
                ),
            ),
            (
                _("Transaction review form"),
                (
                    _("Transaction reference"),
                    _("Customer / end user / consignee"),
                    _("Destination (and transit countries)"),
                    _("Items and classification (control code or not controlled)"),
                    _("Screening of every party (date, lists, result)"),
                    _("Red flags raised and how they were resolved"),
                    _("End-user certificate (issuer, number, valid until)"),
                    _("Licence decision"),
                    _("Decision"),
                    _("Drafted by (sales), date"),
                    _("Reviewed and decided by (compliance), date"),
                ),
            ),
            (
                _("Incident report form"),
                (
                    _("Date and time noticed"),
                    _("What is it about?"),
                    _("Transaction, customer or shipment concerned"),
                    _("What happened"),
                    _("What has been done so far (e.g. shipment stopped)"),
                    _("Reported by (optional)"),
                    _("Received by, date, reference"),
                    _("Report to MOFCOM required?"),
                ),
            ),
        )
        for index, (form_title, fields) in enumerate(forms, start=1):
            if index > 1:
                self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            self.doc.add_heading(f"D.{index} {self.t(form_title)}", level=2)
            self.facts([(self.t(field), "") for field in fields])

        output = io.BytesIO()
        self.doc.core_properties.title = str(ctx["title"])
        self.doc.core_properties.author = str(ctx["organisation"])
        self.doc.save(output)
        return output.getvalue()


def manual_docx(*, context: dict) -> bytes:
    """The .docx bytes of the manual described by `context` (see manual_context)."""
    return _Writer(context).build()
