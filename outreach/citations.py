"""Legal provisions cited by an enforcement case: the framework's provisions (reference data),
named the way a Chinese decision names them, e.g. 《两用物项出口管制条例》第二十七条."""

import re

from django.utils.translation import gettext_lazy as _

from core.i18n import current_language_suffix
from reference.models import LegalProvision
from reference.selectors import current_framework

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


def _parts(article: str) -> tuple[int, int | None]:
    """ "27" -> (27, None); "5(4)" -> (5, 4): article and paragraph."""
    match = re.fullmatch(r"(\d+)(?:\((\d+)\))?", article.strip())
    if match is None:
        raise ValueError(article)
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def citation_zh(law: str, article: str) -> str:
    number, paragraph = _parts(article)
    text = f"{LAW_NAMES_ZH[law]}第{chinese_number(number)}条"
    return text + (f"第{chinese_number(paragraph)}款" if paragraph else "")


def citation_en(law: str, article: str) -> str:
    return f"{LAW_NAMES_EN[law]}, Art. {article}"


def citation(provision: LegalProvision) -> str:
    """The citation in the active language."""
    if current_language_suffix() == "en":
        return citation_en(provision.law, provision.article)
    return citation_zh(provision.law, provision.article)


def citable_provisions() -> list[LegalProvision]:
    """The current framework's provisions of the laws we can name, in law and article order."""
    framework = current_framework()
    if framework is None:
        return []
    provisions = LegalProvision.objects.filter(framework=framework, law__in=LAW_NAMES_ZH)
    return sorted(provisions, key=lambda p: (p.law != "ECL", _parts(p.article)))


def provision_choices() -> list[tuple[str, str]]:
    return [(p.ref_id, citation(p)) for p in citable_provisions()]


def citations_of(ref_ids: list[str]) -> list[str]:
    """The citations of a case's provisions, in the order of the laws (unknown ids left out)."""
    wanted = set(ref_ids)
    return [citation(p) for p in citable_provisions() if p.ref_id in wanted]
