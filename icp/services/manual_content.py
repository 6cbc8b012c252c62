"""The ICP manual's content as one structure, read by the PDF template and the Word writer.

The manual is the company's controlled document: it states the company's own rules (本公司……)
with the frequencies, owners and thresholds taken from the organisation's records (or a sensible
default), and describes procedures. It prints nothing of the reference library's research
apparatus (confidence, source codes, notes) and no live figures (coverage, findings, scores):
those belong to the web library and the operation reports.

`manual_sections(data=..., edition=...)` returns the chapters as `Section`s of blocks. A text
in a block is a `Label` (a catalogue string with `{name}` parameters), a `Bilingual` value from
a record (`*_zh` / `*_en`), or a plain string (a name, a date). Both renderers resolve a text in
the manual's language, or in Chinese and English for a bilingual manual, with `text_pair`.
Legal citations are written in each language's own form inside the catalogue strings
(《出口管制法》第十五条 / Export Control Law, Art. 15); verbatim quotations of the law are in
`LAW_QUOTES`, copied from the published texts (a test compares them).
"""

import re
from dataclasses import dataclass, field
from itertools import zip_longest

from django.utils import translation
from django.utils.translation import gettext_lazy as _

FULL = "full"
CONCISE = "concise"


@dataclass(frozen=True)
class Label:
    text: object  # a lazy catalogue string
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Bilingual:
    zh: str
    en: str


_MIXED = re.compile(r"^(.*?[\u3400-\u9fff][^A-Za-z]*?)\s*/?\s+([A-Za-z].*)$")


def split_bilingual(text: str) -> Bilingual:
    """A one-field value written with both languages ("总经理 / General Manager", "总经理 General
    Manager"), as people type them into a single text box: its Chinese and English parts."""
    text = (text or "").strip()
    if " / " in text:
        zh, _sep, en = text.partition(" / ")
        return Bilingual(zh.strip(), en.strip())
    match = _MIXED.match(text)
    if match:
        return Bilingual(match.group(1).strip(), match.group(2).strip())
    return Bilingual(text, text)


def L(text, **params) -> Label:
    return Label(text, params)


def bilingual(obj, name: str) -> Bilingual:
    return Bilingual(getattr(obj, f"{name}_zh", "") or "", getattr(obj, f"{name}_en", "") or "")


def _in(language: str, value) -> str:
    if isinstance(value, Label):
        with translation.override(language):
            text = str(value.text)
            params = {
                key: _in(language, param) if isinstance(param, Label | Bilingual) else param
                for key, param in value.params.items()
            }
        return text.format(**params) if params else text
    if isinstance(value, Bilingual):
        if language == "en":
            return value.en or value.zh
        return value.zh or value.en
    return "" if value is None else str(value)


def text_pair(value, mode: str) -> tuple[str, str]:
    """(first, second): the text in the manual's language, and for a bilingual manual the
    English beside it ("" when there is none or it is the same)."""
    if mode == "bilingual":
        zh, en = _in("zh-hans", value), _in("en", value)
        return zh, ("" if en == zh else en)
    return _in("en" if mode == "en" else "zh-hans", value), ""


# ---- blocks ------------------------------------------------------------------------------


@dataclass
class Para:
    text: object
    style: str = ""  # "", "lead", "note"


@dataclass
class Bullets:
    items: list
    numbered: bool = False


@dataclass
class Table:
    headers: list
    rows: list  # lists of texts
    widths: list = field(default_factory=list)  # percent per column, or empty

    @property
    def columns(self) -> list:
        """(header, width percent or None) for each column."""
        return list(zip_longest(self.headers, self.widths[: len(self.headers)]))


@dataclass
class Facts:
    rows: list  # (label, value)


@dataclass
class Quote:
    citation: object
    text: object


@dataclass
class Subheading:
    text: object
    anchor: str = ""


@dataclass
class FormFields:
    """A blank form: labels with room to write; `tall` rows get more room."""

    rows: list  # (label, value or "", tall: bool)


@dataclass
class Checks:
    """Tick boxes."""

    items: list


@dataclass
class Signatures:
    left: object
    right: object


@dataclass
class Chart:
    """The organisation chart (nested boxes in the PDF, an outline in Word)."""

    nodes: list


@dataclass
class Section:
    anchor: str
    number: str
    title: object
    blocks: list = field(default_factory=list)
    level: int = 1
    form: bool = False  # a form starts on its own page


# ---- the law, quoted ---------------------------------------------------------------------

ECL = "export-control-law-2020.md"
REGS = "dual-use-regulations-2024.md"

# Verbatim from the published texts (tests/icp/test_manual_text.py checks each against
# ../shared/reference/law/). Only these are printed as the law's words; everything else in the
# manual is the company's own rule and cites the article it follows.
LAW_QUOTES = {
    ("ECL", 15): (
        ECL,
        "出口经营者应当向国家出口管制管理部门提交管制物项的最终用户和最终用途证明文件，"
        "有关证明文件由最终用户或者最终用户所在国家和地区政府机构出具。",
    ),
    ("ECL", 16): (
        ECL,
        "管制物项的最终用户应当承诺，未经国家出口管制管理部门允许，不得擅自改变相关管制物项的"
        "最终用途或者向任何第三方转让。",
    ),
    ("REGS", 24): (
        REGS,
        "出口经营者申请两用物项出口许可时应当提交最终用户出具的最终用户和最终用途证明文件。"
        "国务院商务主管部门可以要求出口经营者同时提交由最终用户所在国家和地区政府机构出具或者"
        "认证的最终用户和最终用途证明文件。",
    ),
    ("REGS", 27): (
        REGS,
        "出口经营者应当妥善保存与两用物项出口有关的最终用户和最终用途证明文件以及合同、发票、"
        "账册、单据、业务函电等相关资料，保存期限不少于5年。法律、行政法规另有规定的，从其规定。",
    ),
}

QUOTE_CITATIONS = {
    ("ECL", 15): _("Export Control Law, Art. 15"),
    ("ECL", 16): _("Export Control Law, Art. 16, para. 1"),
    ("REGS", 24): _("Dual-Use Items Export Control Regulations, Art. 24, para. 1"),
    ("REGS", 27): _("Dual-Use Items Export Control Regulations, Art. 27"),
}
QUOTE_TRANSLATIONS = {
    ("ECL", 15): _(
        "An exporter shall submit to the State export control administration documents "
        "certifying the end user and end use of the controlled items; the documents are issued "
        "by the end user or by a government body of the end user's country or region. "
        "(Unofficial translation.)"
    ),
    ("ECL", 16): _(
        "The end user of controlled items shall undertake not to change the end use of the "
        "items or transfer them to any third party without the permission of the State export "
        "control administration. (Unofficial translation.)"
    ),
    ("REGS", 24): _(
        "An exporter applying for a dual-use export licence shall submit the end-user and "
        "end-use certificate issued by the end user. The State Council's commerce department may "
        "require the exporter to submit "
        "as well a certificate issued or authenticated by a government body of the end user's "
        "country or region. (Unofficial translation.)"
    ),
    ("REGS", 27): _(
        "Exporters shall properly keep the end-user and end-use certificates and the contracts, "
        "invoices, account books, documents, business correspondence and other materials "
        "relating to dual-use exports for not less than five years; where laws or "
        "administrative regulations provide otherwise, those provisions apply. (Unofficial "
        "translation.)"
    ),
}


class LawQuote:
    """A quotation: the official Chinese text, or in English our marked translation."""

    def __init__(self, key):
        self.key = key

    @property
    def citation(self):
        return L(QUOTE_CITATIONS[self.key])

    @property
    def text(self):
        return Bilingual(LAW_QUOTES[self.key][1], str_en(QUOTE_TRANSLATIONS[self.key]))


def str_en(label) -> str:
    with translation.override("en"):
        return str(label)


def quote(key) -> Quote:
    q = LawQuote(key)
    return Quote(citation=q.citation, text=q.text)
