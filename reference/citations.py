"""Provisions of PRC law named the way a Chinese decision names them, e.g.
《两用物项出口管制条例》第二十七条; in English "Dual-Use Items Export Control Regulations,
Art. 27"."""

import re

from django.utils.translation import gettext_lazy as _

from core.i18n import current_language_suffix, joined, semicolon_joined

LAW_NAMES_ZH = {"ECL": "《出口管制法》", "REGS": "《两用物项出口管制条例》"}
LAW_NAMES_EN = {
    "ECL": _("Export Control Law"),
    "REGS": _("Dual-Use Items Export Control Regulations"),
}
DIGITS = "一二三四五六七八九"


def chinese_number(number: int) -> str:
    """1..99 in Chinese numerals as articles are numbered: 十, 十二, 二十七."""
    if not 1 <= number <= 99:
        raise ValueError(number)
    if number < 10:
        return DIGITS[number - 1]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else DIGITS[tens - 1]) + "十" + (DIGITS[ones - 1] if ones else "")


def article_parts(article: str) -> tuple[int, int | None]:
    """ "27" -> (27, None); "5(4)" and "Art. 5(4)" -> (5, 4): article and paragraph."""
    match = re.fullmatch(r"(?:Art\.\s*)?(\d+)(?:\((\d+)\))?", article.strip())
    if match is None:
        raise ValueError(article)
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def citation_zh(law: str, article: str) -> str:
    """One article in its Chinese citation form whatever the active language: documents the
    company files cite PRC law so."""
    return LAW_NAMES_ZH[law] + _article_zh(article)


def _article_zh(article: str) -> str:
    if "-" in article:
        first, last = article.split("-", 1)
        return f"{_article_zh(first)}至{_article_zh(last)}"
    number, paragraph = article_parts(article)
    return f"第{chinese_number(number)}条" + (
        f"第{chinese_number(paragraph)}款" if paragraph else ""
    )


def _article_en(article: str) -> str:
    """ "Art. 5(4)" -> "5(4)", "15-16" as it is; raises on anything else."""
    cited = []
    for part in article.split("-"):
        number, paragraph = article_parts(part)
        cited.append(f"{number}({paragraph})" if paragraph else str(number))
    return "-".join(cited)


def law_citations(law: str, text: str) -> str:
    """Several articles as the reference data writes them under one law ("Art. 24; ECL Arts.
    15-16", "Arts. 26, 29", "25(1)"), cited in the active language:
    《两用物项出口管制条例》第二十四条；《出口管制法》第十五条至第十六条. Raises ValueError on
    anything else."""
    english = current_language_suffix() == "en"
    groups = []
    for chunk in text.split(";"):
        current, chunk = law, chunk.strip()
        head, _space, rest = chunk.partition(" ")
        if head in LAW_NAMES_ZH:
            current, chunk = head, rest
        chunk = re.sub(r"^Arts?\.\s*", "", chunk.strip())
        articles = [part.strip() for part in chunk.split(",") if part.strip()]
        if not articles:
            raise ValueError(text)
        if english:
            label = "Art." if len(articles) == 1 and "-" not in articles[0] else "Arts."
            cited = joined(_article_en(article) for article in articles)
            groups.append(f"{LAW_NAMES_EN[current]}, {label} {cited}")
        else:
            groups.append(LAW_NAMES_ZH[current] + joined(_article_zh(a) for a in articles))
    return semicolon_joined(groups)
