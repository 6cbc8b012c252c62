"""Demo audits: the 2025 internal audit, signed off with two findings (a risk assessment 14
months old; two orders approved before the end-user certificate arrived) and their corrective
actions (one closed and verified), and the 2026 audit in progress, started from the annual plan.
Idempotent: an audit that exists is left as it is."""

import datetime

from django.utils import timezone

from core.demo import DemoContext, demo_seeder

from .models import ActionStatus, Answer, Audit, AuditReport, AuditType, PlanEntry, Recurrence
from .services.audits import audit_create, audit_sign_off, plan_entry_create, plan_entry_start
from .services.checklist import checklist_generate
from .services.report import report_generate
from .services.review import action_create, action_update, action_verify, finding_raise, item_answer

ALL_ELEMENTS = [f"E{n}" for n in range(1, 10)]

RISK_COMMENT = (
    "最近一次经批准的风险评估日期为2024年1月8日，距本次审计已14个月，未按年度更新；"
    "期间新增中东客户与新型号编码器未纳入评估。\n"
    "The last approved risk assessment is dated 8 January 2024, 14 months before this audit; "
    "it was not refreshed, and the new Middle East customers and encoder models are not covered."
)
EUC_COMMENT = (
    "抽查订单中，SO-2024-0087 与 SO-2024-0093 在收到最终用户证明之前已获批准（分别早2天和5天）。\n"
    "Of the orders checked, SO-2024-0087 and SO-2024-0093 were approved before the end-user "
    "certificate arrived (2 and 5 days earlier)."
)
COMPLIANT_COMMENT = (
    "已核对相关制度文件与记录，符合要求。\nChecked the procedure and its records: compliant."
)


def _answer(item, user, answer, comment):
    if not item.answer:
        item_answer(item=item, user=user, answer=answer, comment=comment)


def _seed_2025(organisation, auditor, manager) -> Audit:
    audit = audit_create(
        organisation=organisation,
        user=auditor,
        reference="IA-2025-01",
        title_zh="2025年度出口管制内部审计",
        title_en="2025 export-control internal audit",
        audit_type=AuditType.INTERNAL,
        elements=ALL_ELEMENTS,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        planned_start=datetime.date(2025, 3, 3),
        planned_end=datetime.date(2025, 3, 21),
        lead_auditor=auditor,
        sample_size=10,
        sample_seed=20250303,
    )
    checklist_generate(audit=audit)
    risk_item = audit.items.get(key="Q:AQ-E3-04")
    euc_item = audit.items.get(key="Q:AQ-E4-05")
    _answer(risk_item, auditor, Answer.NON_COMPLIANT, RISK_COMMENT)
    _answer(euc_item, auditor, Answer.NON_COMPLIANT, EUC_COMMENT)
    for item in audit.items.filter(answer=""):
        _answer(item, auditor, Answer.COMPLIANT, COMPLIANT_COMMENT)
    risk = finding_raise(
        audit=audit,
        user=auditor,
        item=risk_item,
        title="风险评估已14个月未更新 / Risk assessment 14 months old",
        description=RISK_COMMENT,
        severity="minor",
        root_cause="年度复核没有指定责任人和提醒。 No owner and no reminder for the annual review.",
    )
    euc = finding_raise(
        audit=audit,
        user=auditor,
        item=euc_item,
        title="两笔订单在收到最终用户证明前获批 / Two orders approved before the EUC arrived",
        description=EUC_COMMENT,
        severity="major",
        root_cause=(
            "审批时仅凭客户邮件承诺，系统未强制上传证明。 Approval relied on the customer's "
            "e-mail promise; the system did not require the certificate."
        ),
    )
    closed = action_create(
        finding=risk,
        user=auditor,
        description="完成2025年度风险评估并设置年度复核提醒。 Complete the 2025 risk assessment "
        "and set an annual review reminder.",
        owner=manager,
        due_date=datetime.date(2025, 5, 31),
    )
    action_update(
        action=closed,
        user=manager,
        status=ActionStatus.DONE,
        progress_note="2025年度风险评估已于5月20日经总经理批准。 Approved by the GM on 20 May.",
    )
    action_verify(
        action=closed,
        user=auditor,
        accepted=True,
        note="已查阅批准记录和提醒设置。 Saw the approval record and the reminder.",
    )
    action_create(
        finding=euc,
        user=auditor,
        description="将最终用户证明设为批准前必备文件，并培训销售人员。 Make the end-user "
        "certificate a precondition of approval and train sales staff.",
        owner=manager,
        due_date=datetime.date(2025, 6, 30),
    )
    audit_sign_off(
        audit=audit,
        user=auditor,
        summary=(
            "内部合规制度总体有效运行；发现一项重大问题和一项一般问题，已制定纠正措施。\n"
            "The programme works on the whole; one major and one minor finding, with corrective "
            "actions assigned."
        ),
    )
    # The demo audit was signed off when it ended, in March 2025, not on the day of seeding.
    Audit.objects.filter(pk=audit.pk).update(
        signed_off_at=timezone.make_aware(datetime.datetime(2025, 3, 21, 17, 0))
    )
    audit.refresh_from_db()
    return audit


@demo_seeder(order=40)
def seed_audits(ctx: DemoContext) -> None:
    organisation = ctx.organisations.get("demo")
    auditor, manager = ctx.users.get("auditor"), ctx.users.get("manager")
    if organisation is None or auditor is None or manager is None:
        return
    audit_2025 = Audit.objects.for_organisation(organisation).filter(reference="IA-2025-01").first()
    if audit_2025 is None:
        audit_2025 = _seed_2025(organisation, auditor, manager)
        ctx.log("audit IA-2025-01 (signed off)")
    if not AuditReport.objects.filter(audit=audit_2025).exists():
        for language in ("zh-hans", "en"):
            report_generate(audit=audit_2025, user=auditor, language=language)
        ctx.log("audit report IA-2025-01 (Chinese, English)")

    entry = (
        PlanEntry.objects.for_organisation(organisation)
        .filter(title_zh="年度出口管制内部审计")
        .first()
    )
    if entry is None:
        entry = plan_entry_create(
            organisation=organisation,
            user=auditor,
            year=2026,
            title_zh="年度出口管制内部审计",
            title_en="Annual export-control internal audit",
            elements=ALL_ELEMENTS,
            recurrence=Recurrence.YEARLY,
            next_start=datetime.date(2026, 11, 16),
            duration_days=26,
            period_months=12,
            lead_auditor=auditor,
        )
        plan_entry_create(
            organisation=organisation,
            user=auditor,
            year=2026,
            title_zh="商务部核查准备审计",
            title_en="Readiness for a MOFCOM verification",
            audit_type=AuditType.MOFCOM_READINESS,
            elements=["E2", "E4", "E8"],
            recurrence=Recurrence.ONCE,
            next_start=datetime.date(2026, 12, 14),
            duration_days=5,
            period_months=24,
            lead_auditor=auditor,
        )
    if not Audit.objects.for_organisation(organisation).filter(plan_entry=entry).exists():
        audit = plan_entry_start(entry=entry, user=auditor)
        Audit.objects.filter(pk=audit.pk).update(
            title_zh="2026年度出口管制内部审计", title_en="2026 export-control internal audit"
        )
        checklist_generate(audit=audit)
        for item in audit.items.filter(kind="programme", element_code__in=["E1", "E2"]):
            _answer(item, auditor, Answer.COMPLIANT, COMPLIANT_COMMENT)
        ctx.log(f"audit {audit.reference} (in progress, from the annual plan)")
