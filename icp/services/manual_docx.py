"""The ICP manual as an editable Word document (python-docx), from the same context as the PDF.

Many firms finish their manual in Word: this gives them the same chapters, tables and forms with
real headings (Word's navigation pane and table of contents field work on them). A table of
contents field is inserted; Word fills in the page numbers when the document is opened and
updated (F9), which is Word's own behaviour for generated documents.
"""

import io
import re

from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from core.exports import local_minute_text
from core.i18n import list_separator
from icp.models import ManualLanguage
from icp.models.training import AUDIENCE_CHOICES
from icp.services.manual_content import text_pair

BILINGUAL = ManualLanguage.BILINGUAL
NAVY = RGBColor(0x0B, 0x2E, 0x4F)


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

    def x(self, value) -> str:
        """A content text (icp/services/manual_content.py) in the manual's language, or both."""
        first, second = text_pair(value, self.mode)
        return f"{first}\n{second}" if second else first

    def numbered(self, section) -> str:
        """Number and title: "附录 D 表单" then "Appendix D Forms" in a bilingual manual, a plain
        number once."""
        title_first, title_second = text_pair(section.title, self.mode)
        if not section.number:
            return f"{title_first}\n{title_second}" if title_second else title_first
        number_first, number_second = text_pair(section.number, self.mode)
        if not number_second:
            first = f"{number_first} {title_first}"
            return f"{first}\n{title_second}" if title_second else first
        return f"{number_first} {title_first}\n{number_second} {title_second}"

    def header(self):
        """Document number, revision and 受控文件 in the header of every page."""
        control = self.context["control"]
        section = self.doc.sections[0]
        paragraph = section.header.paragraphs[0]
        paragraph.text = f"{self.context['header_left']}    {self.context['header_right']}"
        for run in paragraph.runs:
            run.font.size = Pt(8)
        return control

    def blocks(self, blocks):
        for block in blocks:
            name = block[0] if isinstance(block, tuple) else type(block).__name__
            if name == "Para":
                self.para(self.x(block.text), italic=block.style == "note")
            elif name == "Subheading":
                self.doc.add_heading(self.x(block.text), level=3)
            elif name == "Bullets":
                style = "List Number" if block.numbered else "List Bullet"
                for item in block.items:
                    self.doc.add_paragraph(self.x(item), style=style)
            elif name == "Table":
                self.table(
                    [self.x(header) for header in block.headers],
                    [[self.cell(value) for value in row] for row in block.rows],
                )
            elif name == "Quote":
                paragraph = self.doc.add_paragraph()
                paragraph.paragraph_format.left_indent = Cm(1)
                paragraph.add_run(self.x(block.citation)).bold = True
                paragraph.add_run("\n" + self.x(block.text))
            elif name == "FormFields":
                self.facts([(self.x(label), self.x(value)) for label, value, _tall in block.rows])
            elif name == "Checks":
                for item in block.items:
                    self.para(f"\u2610 {self.x(item)}")
            elif name == "Signatures":
                self.facts([(self.x(block.left), ""), (self.x(block.right), "")])
            elif name == "Chart":
                self.chart(block.nodes, 0)
            elif name == "policy":
                self.prose(block[1], "body", html=True)
            elif name == "steps":
                plan = block[1]
                steps = plan.steps_en if self.mode == "en" and plan.steps_en else plan.steps_zh
                if self.mode == BILINGUAL and plan.steps_en:
                    steps = f"{plan.steps_zh or ''}\n{plan.steps_en}"  # the English after
                for line in (steps or "").splitlines():
                    if line.strip():
                        self.doc.add_paragraph(line.strip(), style="List Number")

    def joined(self, labels, *, separator=list_separator, prefix: str = "") -> str:
        """Several labels in one cell, separated by `separator()` in each language (the list
        separator unless told): in a bilingual manual the Chinese list, then the English one on
        its own line (not each label's pair in turn)."""

        def one(language):
            with translation.override(language):
                return separator().join(f"{prefix}{label}" for label in map(str, labels))

        if self.mode == BILINGUAL:
            zh, en = one("zh-hans"), one("en")
            return zh if zh == en else f"{zh}\n{en}"
        if self.mode == "en":
            return one("en")
        return one("zh-hans")

    def cell(self, value) -> str:
        if isinstance(value, tuple) and value[0] == "audience":
            labels = dict(AUDIENCE_CHOICES)
            # the labels have no commas: the list separator ("销售、物流与报关"), as in the PDF
            return self.joined([labels.get(v, v) for v in value[1].audience])
        if isinstance(value, tuple) and value[0] == "answer":
            return self.joined(
                [_("Yes"), _("Partly"), _("No"), _("N/A")],
                separator=lambda: " ",
                prefix="\u2610 ",
            )
        return self.x(value)

    def chart(self, nodes, depth: int):
        for node in nodes:
            self.para(("    " * depth) + self.b(node.body, "name"))
            for item in node.positions:
                holder = item.position.holder_display or "—"
                self.para(("    " * (depth + 1)) + f"{self.b(item.position, 'title')} · {holder}")
            self.chart(node.children, depth + 1)

    def build(self) -> bytes:
        data, ctx = self.data, self.context
        control = self.header()
        self.logo()
        title = self.doc.add_heading(self.t(_("Export control internal compliance manual")), 0)
        title.runs[0].font.color.rgb = NAVY
        self.para(self.b(data.organisation, "name"), size=16)
        facts = [
            (self.t(_("Document number")), control.document_number),
            (self.t(_("Revision")), str(control.revision)),
        ]
        if control.edition == "concise":
            facts.append((self.t(_("Edition")), self.t(_("Concise edition"))))
        self.facts(facts)

        self.heading(self.t(_("Issue order")))
        self.para(
            self.t(
                _(
                    "The Export control internal compliance manual (document number {number}, "
                    "revision {revision}) has been prepared, reviewed and approved, and is hereby "
                    "issued. It takes effect on the date of approval. Every department and "
                    "employee of the company shall comply with it."
                ),
                number=control.document_number,
                revision=control.revision,
            )
        )
        self.table(
            [
                "",
                self.t(_("Full name")),
                self.t(_("Position")),
                self.t(_("Date")),
                self.t(_("Signature")),
            ],
            [
                [
                    self.x(role),
                    signer.name if signer else "",
                    self.x(signer.position) if signer else "",
                    signer.date if signer else "",
                    "",
                ]
                for role, signer in control.signers
            ],
        )
        if not control.approved:
            self.para(
                self.t(
                    _(
                        "This revision is a draft: it is valid only after management has "
                        "approved it in the compliance records system."
                    )
                ),
                italic=True,
            )
        self.doc.add_heading(self.t(_("Revision history")), level=2)
        self.table(
            [
                self.t(_("Revision")),
                self.t(_("Date")),
                self.t(_("Reason for the revision")),
                self.t(_("Approved by")),
            ],
            [
                [
                    str(row.revision),
                    local_minute_text(row.date),
                    self.x(row.reason),
                    row.approved_by or "—",
                ]
                for row in control.history
            ],
        )
        self.doc.add_heading(self.t(_("Contents")), level=1)
        self.toc_field()

        for section in ctx["sections"]:
            text = self.numbered(section)
            if section.form:
                self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                self.doc.add_heading(text, level=2)
            else:
                self.heading(text)
            self.blocks(section.blocks)

        output = io.BytesIO()
        self.doc.core_properties.title = str(ctx["title"])
        self.doc.core_properties.author = str(ctx["organisation"])
        self.doc.save(output)
        return output.getvalue()


def manual_docx(*, context: dict) -> bytes:
    """The .docx bytes of the manual described by `context` (see manual_context)."""
    return _Writer(context).build()
