"""Scoped reads for the audit pages: every function takes the organisation and prefetches what
its page shows, so the number of queries does not grow with the number of rows."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from reference.models import Element
from reference.selectors import current_framework

from .models import (
    ActionStatus,
    Answer,
    Audit,
    AuditPlan,
    AuditReport,
    ChecklistItem,
    ChecklistTemplate,
    CorrectiveAction,
    Finding,
    PlanEntry,
    TemplateQuestion,
)

ANSWER_SCORES = {Answer.COMPLIANT: 1.0, Answer.PARTIAL: 0.5, Answer.NON_COMPLIANT: 0.0}


def audit_list(*, organisation):
    return (
        Audit.objects.for_organisation(organisation)
        .select_related("lead_auditor")
        .annotate(
            item_count=Count("items", filter=Q(items__withdrawn=False), distinct=True),
            answered_count=Count(
                "items", filter=Q(items__withdrawn=False) & ~Q(items__answer=""), distinct=True
            ),
            finding_count=Count("findings", distinct=True),
        )
        .order_by("-planned_start", "-pk")
    )


def audit_get(*, organisation, pk) -> Audit:
    return (
        Audit.objects.for_organisation(organisation)
        .select_related("lead_auditor", "template", "previous", "signed_off_by", "generation_job")
        .prefetch_related("team")
        .get(pk=pk)
    )


def audit_progress(*, audit: Audit) -> dict:
    """Counts by answer, overall and per element (one query)."""
    rows = (
        audit.items.filter(withdrawn=False)
        .values("element_code", "answer")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = answered = 0
    by_answer = {value: 0 for value in Answer.values}
    by_element: dict[str, dict] = {}
    for row in rows:
        element = by_element.setdefault(
            row["element_code"], {"total": 0, "answered": 0, "points": 0.0, "scored": 0}
        )
        element["total"] += row["n"]
        total += row["n"]
        if row["answer"]:
            answered += row["n"]
            element["answered"] += row["n"]
            by_answer[row["answer"]] += row["n"]
            if row["answer"] in ANSWER_SCORES:
                element["points"] += ANSWER_SCORES[row["answer"]] * row["n"]
                element["scored"] += row["n"]
    for element in by_element.values():
        element["score"] = (
            round(100 * element["points"] / element["scored"]) if element["scored"] else None
        )
    return {
        "total": total,
        "answered": answered,
        "percent": round(100 * answered / total) if total else 0,
        "by_answer": by_answer,
        "by_element": by_element,
    }


def elements_by_code(framework=None) -> dict[str, Element]:
    framework = framework or current_framework()
    return {e.code: e for e in Element.objects.filter(framework=framework).order_by("order")}


def checklist_items(*, audit: Audit, element: str = "", answer: str = "", mine_user=None):
    items = audit.items.select_related("transaction", "assigned_to", "answered_by").order_by(
        "position", "pk"
    )
    if element:
        items = items.filter(element_code=element)
    if answer == "open":
        items = items.filter(answer="", withdrawn=False)
    elif answer:
        items = items.filter(answer=answer)
    if mine_user is not None:
        items = items.filter(Q(assigned_to=mine_user) | Q(assigned_to__isnull=True))
    return items


def item_neighbours(*, items, item: ChecklistItem) -> tuple[int | None, int | None]:
    """The previous and next item ids in the filtered order (one query: ids only)."""
    ids = list(items.values_list("pk", flat=True))
    try:
        index = ids.index(item.pk)
    except ValueError:
        return None, ids[0] if ids else None
    return (
        ids[index - 1] if index > 0 else None,
        ids[index + 1] if index + 1 < len(ids) else None,
    )


def findings_of(*, audit: Audit):
    return (
        Finding.objects.filter(audit=audit)
        .select_related("item", "raised_by")
        .prefetch_related("actions__owner", "actions__verified_by")
    )


def finding_is_open_q():
    unverified = CorrectiveAction.objects.filter(finding=OuterRef("pk")).exclude(
        status=ActionStatus.VERIFIED
    )
    return Exists(unverified) | ~Exists(CorrectiveAction.objects.filter(finding=OuterRef("pk")))


def action_list(*, organisation, user=None):
    """Corrective actions; with `user`, only the ones that user owns."""
    actions = CorrectiveAction.objects.for_organisation(organisation).select_related(
        "finding__audit", "owner", "verified_by"
    )
    if user is not None:
        actions = actions.filter(owner=user)
    return actions


def reports_of(*, audit: Audit):
    return AuditReport.objects.filter(audit=audit).select_related("generated_by")


def template_list(*, organisation):
    return (
        ChecklistTemplate.objects.visible_to(organisation)
        .select_related("framework", "based_on")
        .annotate(
            question_count=Count("questions", distinct=True),
            active_count=Count("questions", filter=Q(questions__is_active=True), distinct=True),
        )
        .order_by("organisation_id", "-framework__is_current", "name_zh")
    )


# --- one record of the organisation, 404 for another organisation's -----------------------------


def checklist_item_get(*, audit: Audit, pk) -> ChecklistItem:
    """An item of the checklist of `audit` (already the organisation's), 404 otherwise."""
    return get_object_or_404(
        ChecklistItem.objects.filter(audit=audit).select_related(
            "transaction", "assigned_to", "answered_by", "previous_finding", "audit"
        ),
        pk=pk,
    )


def finding_get(*, organisation, pk) -> Finding:
    return get_object_or_404(
        Finding.objects.for_organisation(organisation).select_related("audit", "item", "raised_by"),
        pk=pk,
    )


def corrective_action_get(*, organisation, pk) -> CorrectiveAction:
    return get_object_or_404(
        CorrectiveAction.objects.for_organisation(organisation).select_related(
            "finding__audit", "owner", "verified_by", "created_by"
        ),
        pk=pk,
    )


def report_get(*, organisation, pk) -> AuditReport:
    return get_object_or_404(
        AuditReport.objects.for_organisation(organisation).select_related("audit"), pk=pk
    )


def template_get(*, organisation, pk) -> ChecklistTemplate:
    """A checklist template the organisation sees (its own or a standard one), 404 otherwise."""
    return get_object_or_404(
        ChecklistTemplate.objects.visible_to(organisation).select_related("framework"), pk=pk
    )


def question_get(*, organisation, pk) -> TemplateQuestion:
    """A question of one of the organisation's own templates, 404 otherwise."""
    return get_object_or_404(
        TemplateQuestion.objects.filter(template__organisation=organisation).select_related(
            "template", "element"
        ),
        pk=pk,
    )


def audit_plan_of_year(*, organisation, year: int) -> AuditPlan | None:
    return AuditPlan.objects.for_organisation(organisation).filter(year=year).first()


def plan_entries(*, plan: AuditPlan | None) -> QuerySet[PlanEntry]:
    if plan is None:
        return PlanEntry.objects.none()
    return PlanEntry.objects.filter(plan=plan).select_related("lead_auditor")


def audits_of_year(*, organisation, year: int) -> QuerySet[Audit]:
    return (
        Audit.objects.for_organisation(organisation)
        .filter(planned_start__year=year)
        .select_related("lead_auditor", "plan_entry")
        .order_by("planned_start")
    )


def plan_entry_get(*, organisation, pk) -> PlanEntry:
    return get_object_or_404(
        PlanEntry.objects.for_organisation(organisation).select_related("plan"), pk=pk
    )
