"""Legal provisions cited by an enforcement case: the framework's provisions (reference data),
named the way a Chinese decision names them, e.g. 《两用物项出口管制条例》第二十七条."""

from reference.citations import LAW_NAMES_ZH, article_parts, law_citations
from reference.models import LegalProvision
from reference.selectors import current_framework


def citation(provision: LegalProvision) -> str:
    """The citation in the active language."""
    return law_citations(provision.law, provision.article)


def citable_provisions() -> list[LegalProvision]:
    """The current framework's provisions of the laws we can name, in law and article order."""
    framework = current_framework()
    if framework is None:
        return []
    provisions = LegalProvision.objects.filter(framework=framework, law__in=LAW_NAMES_ZH)
    return sorted(provisions, key=lambda p: (p.law != "ECL", article_parts(p.article)))


def provision_choices() -> list[tuple[str, str]]:
    return [(p.ref_id, citation(p)) for p in citable_provisions()]


def citations_of(ref_ids: list[str]) -> list[str]:
    """The citations of a case's provisions, in the order of the laws (unknown ids left out)."""
    wanted = set(ref_ids)
    return [citation(p) for p in citable_provisions() if p.ref_id in wanted]
