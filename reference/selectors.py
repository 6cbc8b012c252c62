"""Reads of the reference library: the current framework version and its elements."""

from django.db.models import Count, Prefetch
from django.http import Http404

from .models import AuditQuestion, Element, LegalProvision, ReferenceFramework, Requirement


def current_framework() -> ReferenceFramework | None:
    return ReferenceFramework.objects.filter(is_current=True).order_by("code").first()


def element_list():
    """The current framework's nine elements, with counts for the overview cards."""
    framework = current_framework()
    if framework is None:
        return Element.objects.none()
    return (
        Element.objects.filter(framework=framework)
        .annotate(requirement_count=Count("requirements", distinct=True))
        .order_by("order")
    )


def element_get(*, code: str) -> Element:
    framework = current_framework()
    element = (
        Element.objects.filter(framework=framework, code=code.upper())
        .prefetch_related(
            Prefetch("requirements", queryset=Requirement.objects.order_by("ref_id")),
            Prefetch("audit_questions", queryset=AuditQuestion.objects.order_by("ref_id")),
        )
        .first()
        if framework
        else None
    )
    if element is None:
        raise Http404
    return element


def provisions_for(element: Element) -> list[LegalProvision]:
    """Legal provisions cited by the element's requirements (e.g. 'REGS Art. 25' -> REGS-25)."""
    cited = set()
    for requirement in element.requirements.all():
        law = requirement.source
        for chunk in requirement.article.replace(";", ",").split(","):
            chunk = chunk.strip()
            if chunk.split(" ")[0] in ("ECL", "REGS"):
                law, chunk = chunk.split(" ", 1)
            article = chunk.replace("Arts.", "").replace("Art.", "").strip()
            for part in article.split("-") if "-" in article else [article]:
                number = part.split("(")[0].strip()
                if number.isdigit() and law in ("ECL", "REGS"):
                    cited.add(f"{law}-{number}")
    return list(
        LegalProvision.objects.filter(framework=element.framework, ref_id__in=cited).order_by(
            "law", "ref_id"
        )
    )
