"""Demo content for E2: the committee chaired by the deputy general manager, the compliance
department run by 陈静 with 赵敏 of sales operations as her deputy, the order review team, the SoD
rules, and one deliberate conflict: 赵敏 approves sales and stands in as compliance reviewer."""

from core.demo import DemoContext, demo_seeder
from icp.models import ComplianceBody, Duty, Position, SodRule
from icp.services.organisation import RECOMMENDED_DUTY_RULES

BODIES = [
    # (key, parent key, kind, name_zh, name_en, mandate_zh, mandate_en, meets, order)
    (
        "committee",
        None,
        ComplianceBody.Kind.COMMITTEE,
        "出口管制合规委员会",
        "Export Control Compliance Committee",
        "审议批准出口管制内部合规制度和年度风险评估；决定重大或复杂交易；听取合规部工作汇报；督促整改审计发现的问题。",
        "Approves the internal compliance programme and the annual risk assessment; decides major or complex transactions; receives the compliance department's reports; follows up audit findings.",
        "每季度一次，必要时随时召开 / Quarterly, and whenever needed",
        1,
    ),
    (
        "department",
        "committee",
        ComplianceBody.Kind.DEPARTMENT,
        "合规部",
        "Compliance Department",
        "负责出口管制日常合规工作：物项归类、交易审查、名单筛查、许可申请、培训和记录保存。",
        "Runs export control day to day: item classification, transaction review, screening, licence applications, training and recordkeeping.",
        "",
        2,
    ),
    (
        "order_team",
        "committee",
        ComplianceBody.Kind.TEAM,
        "出口订单审核小组",
        "Export Order Review Team",
        "销售、物流和合规人员共同完成出口订单从接单到放行的审核。",
        "Sales, logistics and compliance staff who take an export order from acceptance to release.",
        "每周一次 / Weekly",
        3,
    ),
]

POSITIONS = [
    # key, body, title_zh, title_en, holder (user key or None), holder_name, deputy, reports_to,
    # is_head, commitment, may_stop, may_consult, duties, duties_zh, duties_en, authority_zh,
    # authority_en, phone, email, order
    {
        "key": "chair",
        "body": "committee",
        "title_zh": "主任委员",
        "title_en": "Chair",
        "holder_name": "张伟 Zhang Wei（副总经理）",
        "is_head": True,
        "may_stop_exports": True,
        "may_consult_authority": True,
        "duty_codes": [],
        "duties_zh": "主持合规委员会；向总经理报告出口管制合规情况；批准复杂交易。",
        "duties_en": "Chairs the committee; reports on export-control compliance to the general manager; decides complex transactions.",
        "authority_zh": "可叫停任何出口；可决定向商务部咨询或报告。",
        "authority_en": "May stop any export; decides to consult or report to MOFCOM.",
        "phone": "0512-6288 5101",
        "email": "zhang.wei@jingce-cnc.example",
        "order": 1,
    },
    {
        "key": "audit_member",
        "body": "committee",
        "title_zh": "审计委员",
        "title_en": "Audit member",
        "holder": "auditor",
        "duty_codes": [Duty.PROGRAMME_AUDIT],
        "duties_zh": "每年组织一次出口管制合规审计，跟踪整改。",
        "duties_en": "Audits the programme once a year and follows up corrective actions.",
        "reports_to": "chair",
        "order": 2,
    },
    {
        "key": "compliance_manager",
        "body": "department",
        "title_zh": "出口管制合规经理",
        "title_en": "Export control compliance manager",
        "holder": "manager",
        "deputy": "staff",
        "reports_to": "chair",
        "is_head": True,
        "commitment": Position.Commitment.FULL_TIME,
        "may_stop_exports": True,
        "may_consult_authority": True,
        "duty_codes": [
            Duty.COMPLIANCE_REVIEW,
            Duty.SCREENING_DECISION,
            Duty.ITEM_CLASSIFICATION,
            Duty.LICENCE_APPLICATION,
        ],
        "duties_zh": "审查每一笔出口交易的物项、最终用户和最终用途；判定名单筛查疑似命中；组织物项归类和许可申请；组织培训；保存合规记录。",
        "duties_en": "Reviews the items, end user and end use of every export; decides on screening matches; organises classification and licence applications; runs training; keeps the compliance records.",
        "authority_zh": "可暂停任何存疑订单或发货，无需业务部门同意；可直接向商务部咨询。",
        "authority_en": "May put any questionable order or shipment on hold without the business's consent; may consult MOFCOM directly.",
        "phone": "0512-6288 5100",
        "email": "compliance@jingce-cnc.example",
        "order": 1,
    },
    {
        "key": "sales_approver",
        "body": "order_team",
        "title_zh": "销售订单审批人",
        "title_en": "Sales order approver",
        "holder": "staff",
        "reports_to": "chair",
        "duty_codes": [Duty.SALES_APPROVAL],
        "duties_zh": "审批外贸订单的价格、交期和付款条件。",
        "duties_en": "Approves the price, delivery and payment terms of export orders.",
        "phone": "0512-6288 5210",
        "email": "zhao.min@jingce-cnc.example",
        "order": 1,
    },
    {
        "key": "shipment_release",
        "body": "order_team",
        "title_zh": "出运放行专员",
        "title_en": "Shipment release officer",
        "holder_name": "孙丽 Sun Li（物流主管）",
        "reports_to": "compliance_manager",
        "duty_codes": [Duty.SHIPMENT_RELEASE],
        "duties_zh": "核对合规审查结论和许可证件后安排出运；发现异常立即暂停并通知合规部。",
        "duties_en": "Books the shipment only after checking the compliance decision and the licence; stops and tells the compliance department when anything is unusual.",
        "may_stop_exports": True,
        "phone": "0512-6288 5302",
        "order": 2,
    },
]


@demo_seeder(order=21)
def seed_compliance_organisation(ctx: DemoContext) -> None:
    organisation = ctx.organisations["demo"]
    bodies = {}
    for key, parent, kind, name_zh, name_en, mandate_zh, mandate_en, meets, order in BODIES:
        bodies[key], created = ComplianceBody.objects.get_or_create(
            organisation=organisation,
            name_zh=name_zh,
            defaults={
                "kind": kind,
                "name_en": name_en,
                "parent": bodies.get(parent),
                "mandate_zh": mandate_zh,
                "mandate_en": mandate_en,
                "meeting_frequency": meets,
                "order": order,
            },
        )
        if created:
            ctx.log(f"compliance body {name_zh}")
    positions = {}
    for spec in POSITIONS:
        values = dict(spec)
        key = values.pop("key")
        body = bodies[values.pop("body")]
        title_zh = values.pop("title_zh")
        for role_field in ("holder", "deputy"):
            if role_field in values:
                values[role_field] = ctx.users[values[role_field]]
        if "reports_to" in values:
            values["reports_to"] = positions[values["reports_to"]]
        positions[key], created = Position.objects.get_or_create(
            organisation=organisation, body=body, title_zh=title_zh, defaults=values
        )
        if created:
            ctx.log(f"position {title_zh}")
    rules = [{**values, "kind": SodRule.Kind.DUTIES} for values in RECOMMENDED_DUTY_RULES]
    rules.append(
        {
            "code": "auditor_not_compliance_manager",
            "kind": SodRule.Kind.POSITIONS,
            "position_a": positions["audit_member"],
            "position_b": positions["compliance_manager"],
            "name_zh": "审计委员不得兼任出口管制合规经理",
            "name_en": "The audit member must not be the export control compliance manager",
            "rationale_zh": "审计人员不得审计本人的工作。",
            "rationale_en": "An auditor must not audit their own work.",
        }
    )
    for values in rules:
        values = dict(values)
        _rule, created = SodRule.objects.get_or_create(
            organisation=organisation, code=values.pop("code"), defaults=values
        )
        if created:
            ctx.log(f"SoD rule {_rule.code}")
