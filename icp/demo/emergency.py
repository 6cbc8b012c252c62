"""Demo content for E5: response plans for the scenarios the Regulations name, and incidents."""

import datetime

from django.utils import timezone

from core.demo import DemoContext, demo_seeder
from icp.models import Incident, IncidentAction, IncidentEvent, ResponsePlan, Scenario

PLANS = [
    (
        Scenario.END_USE_CHANGED,
        "最终用途或最终用户变更应急预案",
        "End use or end user changed: response plan",
        "立即暂停相关订单的生产、发货和技术支持\n"
        "通知销售负责人，冻结与该客户的所有在途订单\n"
        "向客户书面核实变更情况，收集新的安装地点和用途信息\n"
        "合规经理评估是否需要重新申请许可证（条例第十八条）\n"
        "立即向商务部报告并配合核查（条例第二十五条）\n"
        "记录处理过程并制定纠正措施",
        "Stop production, shipment and technical support for the orders concerned at once\n"
        "Tell the sales lead and freeze every open order with the customer\n"
        "Ask the customer in writing what changed: new site and use\n"
        "Compliance manager decides whether a new licence is needed (Regulations Art. 18)\n"
        "Report to MOFCOM at once and cooperate with verification (Regulations Art. 25)\n"
        "Record the handling and set corrective actions",
        "《两用物项出口管制条例》第十八条、第二十五条、第三十五条；《出口管制法》第十六条",
    ),
    (
        Scenario.EUC_INVALID,
        "最终用户证明文件伪造、变造或失效应急预案",
        "Forged, altered or expired end-user certificate: response plan",
        "立即停止出口\n核对证明文件原件及签发机构\n向商务部报告\n保存全部往来函件和证明文件副本",
        "Stop the export at once\nCheck the original certificate and its issuer\n"
        "Report to MOFCOM\nKeep all correspondence and copies of the certificate",
        "《两用物项出口管制条例》第二十五条、第三十五条",
    ),
    (
        Scenario.LIST_HIT,
        "管控名单命中应急预案",
        "Hit on a control list: response plan",
        "暂停交易，不得发货\n复核筛查结果，排除同名误报\n确认命中后停止与该主体的一切两用物项交易\n"
        "评估在途订单并报告管理层",
        "Hold the transaction, nothing ships\nReview the screening hit and rule out a namesake\n"
        "If confirmed, stop every dual-use transaction with the party\n"
        "Assess open orders and inform management",
        "《出口管制法》第十八条；《两用物项出口管制条例》第二十九条",
    ),
    (
        Scenario.FOREIGN_VERIFICATION,
        "外国政府核查请求应急预案",
        "Foreign government verification request: response plan",
        "未经商务部同意，不得接受访问或现场核查\n立即向商务部报告请求内容\n由合规经理统一对外答复",
        "Accept no visit or on-site check without MOFCOM's consent\n"
        "Report the request to MOFCOM at once\nThe compliance manager answers on the company's behalf",
        "《两用物项出口管制条例》第三十八条",
    ),
    (
        Scenario.SUSPECTED_VIOLATION,
        "员工举报疑似违规应急预案",
        "Suspected violation reported by an employee: response plan",
        "确认收到举报，对举报人身份和举报内容保密\n禁止对善意举报人进行任何形式的打击报复\n"
        "合规经理在5个工作日内启动调查\n必要时暂停相关交易\n"
        "调查结论报告合规委员会；涉嫌违法的，按应急预案向商务部报告\n"
        "告知举报人可依法直接向商务部举报",
        "Acknowledge the report; keep the reporter's identity and the report confidential\n"
        "No retaliation of any kind against a reporter acting in good faith\n"
        "Compliance manager opens an investigation within 5 working days\n"
        "Hold the transactions concerned where needed\n"
        "Report the findings to the compliance committee; a suspected violation is reported to "
        "MOFCOM under the response plan concerned\n"
        "Tell the reporter that the law also lets anyone report directly to MOFCOM",
        "《商务部关于两用物项出口经营者建立出口管制内部合规机制的指导意见》"
        "（商务部公告2021年第10号）；《出口管制法》第三十一条",
    ),
    (
        Scenario.EUC_IMPROPER,
        "以不正当手段获取最终用户证明文件应急预案",
        "End-user certificate obtained by deception or bribery: response plan",
        "立即停止出口\n保存证据，隔离相关人员的审批权限\n及时向商务部报告并配合核查\n"
        "评估是否涉及本公司人员并启动内部调查",
        "Stop the export at once\nSecure the evidence and suspend the approval rights of the "
        "people involved\nReport to MOFCOM promptly and cooperate with verification\n"
        "Assess whether staff of the Company were involved and open an internal investigation",
        "《两用物项出口管制条例》第二十五条、第三十五条",
    ),
    (
        Scenario.CATCH_ALL,
        "清单外物项兜底管控情形应急预案",
        "Unlisted item caught by the catch-all: response plan",
        "暂停相关订单的发货和技术支持\n合规经理评估是否存在兜底管控情形\n"
        "存在的，及时向商务部报告并依法申请出口许可\n按要求采取措施消除或者减轻危害，配合调查处理",
        "Hold shipment and technical support for the orders concerned\n"
        "Compliance manager assesses whether the catch-all applies\n"
        "If it does, report to MOFCOM promptly and apply for an export licence\n"
        "Take the required steps to remove or reduce the harm and cooperate with the investigation",
        "《出口管制法》第十二条第三款；《两用物项出口管制条例》第十四条第三款、第三十五条",
    ),
    (
        Scenario.MOFCOM_LICENCE_NOTICE,
        "商务部通知暂停使用许可证件应急预案",
        "MOFCOM notice to stop using a licence: response plan",
        "收到通知当日停止使用该许可证件，暂停相关出口\n通知物流和报关人员\n"
        "按商务部要求报告有关情况并配合核查\n根据核查结论恢复使用、变更或重新申请许可",
        "Stop using the licence and the exports under it on the day of the notice\n"
        "Tell logistics and customs staff\nReport and cooperate with verification as MOFCOM "
        "requires\nResume, change or re-apply as the outcome of the verification requires",
        "《两用物项出口管制条例》第十八条第四款、第三十五条",
    ),
    (
        Scenario.VOUCHER_NOT_APPLICABLE,
        "出口凭证适用情形变化应急预案",
        "Export no longer fits the export voucher: response plan",
        "立即停止凭出口凭证出口\n向商务部报告\n重新登记填报信息获得新的出口凭证，或者申请单项许可或者通用许可",
        "Stop exporting under the voucher at once\nReport to MOFCOM\n"
        "Register again for a new voucher, or apply for a single or general licence",
        "《两用物项出口管制条例》第十九条第二款、第三款",
    ),
]


@demo_seeder(order=24)
def seed_emergency(ctx: DemoContext) -> None:
    organisation = ctx.organisations["demo"]
    manager, staff = ctx.users["manager"], ctx.users["staff"]
    plans = {}
    for scenario, title_zh, title_en, steps_zh, steps_en, basis in PLANS:
        plans[scenario], created = ResponsePlan.objects.get_or_create(
            organisation=organisation,
            scenario=scenario,
            title_zh=title_zh,
            defaults={
                "title_en": title_en,
                "steps_zh": steps_zh,
                "steps_en": steps_en,
                "legal_basis": basis,
                "owner": manager,
                "contacts": "陈静 合规经理 +86 512 6288 0101 · compliance@jingce-cnc.example",
                "escalation": "合规经理 → 合规委员会主任（副总经理）→ 总经理",
                "review_due": datetime.date(timezone.localdate().year + 1, 3, 31),
            },
        )
        if created:
            ctx.log(f"response plan: {title_zh}")

    closed, created = Incident.objects.get_or_create(
        organisation=organisation,
        reference="INC-2026-001",
        defaults={
            "title": "土耳其客户告知设备安装地点变更 / Installation site changed (Türkiye)",
            "description": "伊斯坦布尔经销商来函称，两台五轴数控加工中心将改装于安卡拉新厂区，"
            "最终用途描述与原最终用户证明不一致。\n"
            "The Istanbul distributor wrote that two 5-axis machining centres will be installed "
            "at a new plant in Ankara; the stated use differs from the end-user certificate.",
            "scenario": Scenario.END_USE_CHANGED,
            "reported_by": staff,
            "status": Incident.Status.CLOSED,
            "severity": Incident.Severity.HIGH,
            "response_plan": plans[Scenario.END_USE_CHANGED],
            "owner": manager,
            "mofcom_reported_on": datetime.date(2026, 3, 12),
            "mofcom_reference": "商务部出口管制局受理号 2026-0312-07",
            "mofcom_report": "报告最终用途可能变更情况，已暂停发货并要求客户重新出具最终用户证明。",
            "closed_at": timezone.make_aware(datetime.datetime(2026, 4, 20, 16, 0)),
            "closed_by": manager,
            "closure_summary": "客户重新出具最终用户和最终用途证明，经核实用途未变，恢复履约；"
            "销售部完成最终用途变更识别培训。",
        },
    )
    if created:
        IncidentEvent.objects.bulk_create(
            [
                IncidentEvent(incident=closed, actor=staff, kind=IncidentEvent.Kind.REPORTED),
                IncidentEvent(
                    incident=closed,
                    actor=manager,
                    kind=IncidentEvent.Kind.TRIAGED,
                    text="严重程度：高；按最终用途变更预案处理。",
                ),
                IncidentEvent(
                    incident=closed,
                    actor=manager,
                    kind=IncidentEvent.Kind.MOFCOM_REPORTED,
                    text="2026-03-12 商务部出口管制局受理号 2026-0312-07",
                ),
                IncidentEvent(
                    incident=closed,
                    actor=manager,
                    kind=IncidentEvent.Kind.CLOSED,
                    text=closed.closure_summary,
                ),
            ]
        )
        IncidentAction.objects.create(
            incident=closed,
            description="销售部最终用途变更识别专题培训 / Sales training on spotting end-use changes",
            owner=manager,
            due_on=datetime.date(2026, 4, 15),
            done_at=timezone.make_aware(datetime.datetime(2026, 4, 10, 10, 0)),
            done_note="2026-04-10 已完成，18人参加。",
        )
        ctx.log("incident INC-2026-001 (closed)")

    open_incident, created = Incident.objects.get_or_create(
        organisation=organisation,
        reference="INC-2026-002",
        defaults={
            "title": "自贸区贸易公司作为最终用户 / Trading company in a free trade zone as end user",
            "description": "迪拜杰贝阿里自贸区一家贸易公司询购两台高精度编码器，拒绝说明最终用户。\n"
            "A trading company in Jebel Ali Free Zone (Dubai) asks for two high-precision "
            "encoders and will not name the end user.",
            "scenario": Scenario.OTHER,
            "status": Incident.Status.INVESTIGATING,
            "severity": Incident.Severity.MEDIUM,
            "owner": manager,
        },
    )
    if created:
        IncidentEvent.objects.create(
            incident=open_incident,
            kind=IncidentEvent.Kind.REPORTED,
            text="匿名举报。",
        )
        IncidentEvent.objects.create(
            incident=open_incident,
            actor=manager,
            kind=IncidentEvent.Kind.TRIAGED,
            text="要求客户提供最终用户证明；订单暂缓。",
        )
        ctx.log("incident INC-2026-002 (under investigation)")


@demo_seeder(order=25)
def seed_customs_and_mofcom_plans(ctx: DemoContext) -> None:
    """The plans for customs and MOFCOM from the reference templates, and an open customs
    challenge whose Chinese letter the manager can open from the incident."""
    from icp.services.emergency_templates import plan_templates

    organisation = ctx.organisations["demo"]
    manager, staff = ctx.users["manager"], ctx.users["staff"]
    plans = {}
    for template in plan_templates().values():
        plans[template.scenario], created = ResponsePlan.objects.get_or_create(
            organisation=organisation,
            scenario=template.scenario,
            title_zh=template.title_zh,
            defaults={
                "title_en": template.title_en,
                "steps_zh": template.steps_zh,
                "steps_en": template.steps_en,
                "legal_basis": template.legal_basis,
                "owner": manager,
                "contacts": "陈静 合规经理 +86 512 6288 0101 · compliance@jingce-cnc.example",
                "escalation": "合规经理 → 合规委员会主任（副总经理）→ 总经理",
                "review_due": datetime.date(timezone.localdate().year + 1, 3, 31),
            },
        )
        if created:
            ctx.log(f"response plan: {template.title_zh}")
    incident, created = Incident.objects.get_or_create(
        organisation=organisation,
        reference="INC-2026-003",
        defaults={
            "title": "上海海关对增量式编码器出口报关提出质疑 / Shanghai customs challenges an "
            "encoder export declaration",
            "description": "报关行转来海关质疑通知：报关单项下增量式旋转编码器 JC-IE40-2500 的商品编号"
            "列入两用物项和技术进出口许可证管理目录，要求说明未申领出口许可证件的理由并提供证明材料。\n"
            "The customs broker forwarded a customs notice: the HS code of the incremental "
            "encoder JC-IE40-2500 is in the customs catalogue; customs asks why no licence was "
            "presented and for supporting documents.",
            "scenario": Scenario.CUSTOMS_CHALLENGE,
            "status": Incident.Status.INVESTIGATING,
            "severity": Incident.Severity.HIGH,
            "owner": manager,
            "reported_by": staff,
            "response_plan": plans.get(Scenario.CUSTOMS_CHALLENGE),
        },
    )
    if created:
        IncidentEvent.objects.create(
            incident=incident, actor=staff, kind=IncidentEvent.Kind.REPORTED
        )
        IncidentAction.objects.create(
            incident=incident,
            description="按参数重新归类编码器并补充参数比对依据 / Reclassify the encoder with a "
            "parameter-based justification",
            owner=manager,
            due_on=timezone.localdate() + datetime.timedelta(days=3),
        )
        ctx.log("incident INC-2026-003 (customs challenge)")
