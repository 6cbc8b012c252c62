import pytest
from django.core.management import call_command

from audits.models import (
    ActionStatus,
    Audit,
    AuditReport,
    AuditStatus,
    ChecklistItem,
    CorrectiveAction,
    Finding,
    ItemKind,
)

pytestmark = pytest.mark.django_db


def _counts():
    return tuple(
        model.objects.count()
        for model in (Audit, ChecklistItem, Finding, CorrectiveAction, AuditReport)
    )


def test_demo_audits(capsys):
    call_command("seed_demo")
    before = _counts()
    call_command("seed_demo")
    assert _counts() == before

    audit_2025 = Audit.objects.get(organisation__slug="demo", reference="IA-2025-01")
    assert audit_2025.status == AuditStatus.SIGNED_OFF
    findings = list(audit_2025.findings.order_by("number"))
    assert ["14" in findings[0].title, "EUC" in findings[1].title] == [True, True]
    statuses = set(
        CorrectiveAction.objects.filter(finding__audit=audit_2025).values_list("status", flat=True)
    )
    assert statuses == {ActionStatus.VERIFIED, ActionStatus.OPEN}
    assert AuditReport.objects.filter(audit=audit_2025).count() == 2

    audit_2026 = Audit.objects.get(organisation__slug="demo", plan_entry__isnull=False)
    assert audit_2026.status == AuditStatus.IN_PROGRESS
    assert audit_2026.previous == audit_2025
    recheck = audit_2026.items.get(kind=ItemKind.RECHECK)
    assert recheck.previous_finding == findings[1]
    assert audit_2026.items.exclude(answer="").exists()
    assert audit_2026.items.filter(answer="").exists()
