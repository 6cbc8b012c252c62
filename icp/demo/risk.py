"""Demo content for E3: the 2025 assessment (approved by the general manager) and the 2026 draft
started from it, with changes so the comparison shows new, changed and closed risks. The business:
a Suzhou maker of sensors, encoders and CNC parts exporting to Europe, Russia, Türkiye, the UAE
and South-East Asia, partly through distributors."""

import datetime

from core.demo import DemoContext, demo_seeder
from icp.demo.training import demo_courses
from icp.models import RiskAssessment, RiskFactor
from icp.services import risk as services

BASICS, RED_FLAGS, CLASSIFICATION = "出口管制法规基础", "红旗信号识别", "物项分类"

# (category, title zh, title en, description zh, description en, L, I, mitigation zh,
#  mitigation en, controls, courses, residual L, residual I, owner key, review date)
RISKS_2025 = [
    (
        "items_technology",
        "高精度绝对式编码器属于管制物项",
        "High-precision absolute encoders are listed items",
        "两款高精度绝对式光栅编码器（JC-AE28、JC-AE32）的分辨率和精度可能达到两用物项出口管制清单"
        "所列参数，未经许可出口即构成违法。",
        "Two high-precision absolute optical encoder models (JC-AE28, JC-AE32) may reach the "
        "parameters of a listed code in the dual-use list; exporting them without a licence is "
        "an offence.",
        3,
        5,
        "研发部逐型号出具技术参数表，合规经理对照清单归类并存档；属于管制物项的一律申请许可证，"
        "按许可范围发货。",
        "Engineering issues a parameter sheet per model; the compliance manager classifies it "
        "against the list and files the record; listed models ship only under a licence and "
        "within its scope.",
        "物项归类程序 CP-02\n许可证台账与到期提醒",
        [CLASSIFICATION],
        1,
        5,
        "manager",
        datetime.date(2025, 6, 30),
    ),
    (
        "items_technology",
        "售后技术支持中泄露受控技术",
        "Controlled technology leaks through after-sales support",
        "工程师通过邮件、远程调试向境外客户提供数控加工工艺参数和编码器标定资料，可能构成技术出口。",
        "Engineers send CNC process parameters and encoder calibration data to foreign customers "
        "by e-mail or remote sessions, which may be an export of technology.",
        3,
        4,
        "对外提供技术资料前由合规部审核；远程调试记录留存。",
        "Compliance reviews technical documents before they go abroad; remote sessions are logged.",
        "技术资料外发审批单\n远程调试日志保存5年",
        [CLASSIFICATION],
        2,
        3,
        "manager",
        datetime.date(2025, 9, 30),
    ),
    (
        "customers",
        "新客户未经筛查即报价或发货",
        "New customers quoted or shipped to before screening",
        "销售在客户主数据建立前即报价，部分样品发货时尚未完成管控名单、不可靠实体清单筛查。",
        "Sales quote before the customer master record exists; some samples ship before the "
        "control-list and unreliable-entity-list screening is done.",
        3,
        4,
        "客户建档时自动筛查；未通过筛查的客户在ERP中锁定，不能下单。",
        "Screening at customer creation; customers not cleared are blocked in the ERP.",
        "客户尽职调查程序 CP-03\nERP客户锁定规则",
        [BASICS],
        1,
        4,
        "staff",
        datetime.date(2025, 6, 30),
    ),
    (
        "destinations",
        "对俄罗斯出口的最终用户与军事用途风险",
        "End users and military end use in exports to Russia",
        "俄罗斯客户采购数控部件和传感器，个别最终用户与国防工业存在关联；欧美原产零部件还带来域外管制风险。",
        "Russian customers buy CNC parts and sensors; some end users are linked to the defence "
        "industry, and foreign-origin components add exposure to foreign controls.",
        4,
        5,
        "对俄订单一律取得最终用户和最终用途证明，核实最终用户；不接受军工关联客户。",
        "Every Russian order needs end-user and end-use certificates and a verified end user; "
        "no customers linked to the military.",
        "最终用户证明审核清单\n对俄订单合规经理逐单审批",
        [RED_FLAGS],
        2,
        5,
        "manager",
        datetime.date(2025, 3, 31),
    ),
    (
        "channels",
        "经阿联酋、土耳其贸易商转售至受限目的地",
        "Re-export via UAE and Türkiye traders to restricted destinations",
        "迪拜和伊斯坦布尔的贸易商订购量与其本地市场不符，存在转运至俄罗斯或伊朗的可能。",
        "Traders in Dubai and Istanbul order more than their local markets absorb; goods may be "
        "re-exported to Russia or Iran.",
        4,
        5,
        "经销协议加入不转出口条款；要求提供下游客户名单；抽查装运单据。",
        "Distribution agreements carry a no-re-export clause; traders name their downstream "
        "customers; shipping documents are sampled.",
        "经销商管理办法 CP-05\n不再出口承诺书模板",
        [RED_FLAGS],
        3,
        4,
        "staff",
        datetime.date(2025, 6, 30),
    ),
    (
        "end_use",
        "传感器被用于无人机或军用装备",
        "Sensors used in drones or military equipment",
        "MEMS惯性传感器和编码器可用于无人机云台和制导设备。",
        "MEMS inertial sensors and encoders can be used in drone gimbals and guidance equipment.",
        3,
        5,
        "询问并记录最终用途；对无人机、航空航天客户加强审查。",
        "Ask for and record the end use; enhanced review for drone and aerospace customers.",
        "最终用途问卷",
        [RED_FLAGS],
        2,
        4,
        "manager",
        datetime.date(2025, 9, 30),
    ),
    (
        "internal_controls",
        "合规岗位只有一人，缺少后备",
        "A single compliance officer with no deputy",
        "出口管制合规工作由一名经理承担，休假或离职时审查中断。",
        "One manager carries all export-control compliance work; reviews stop when she is away.",
        3,
        3,
        "指定销售运营部副手并完成培训；重要审批设置授权代理人。",
        "Appoint and train a deputy in sales operations; name a substitute for key approvals.",
        "合规组织架构图\n授权代理制度",
        [BASICS],
        2,
        3,
        "executive",
        datetime.date(2025, 12, 31),
    ),
    (
        "channels",
        "东南亚代理商尽职调查不足",
        "Too little due diligence on South-East Asian agents",
        "越南、马来西亚的代理商代为联系终端客户，公司无法直接核实最终用户。",
        "Agents in Viet Nam and Malaysia deal with the end customers; we cannot verify the end "
        "users directly.",
        3,
        3,
        "对代理商开展年度尽职调查，要求提供终端客户信息。",
        "Annual due diligence on agents; agents disclose their end customers.",
        "代理商年度尽调问卷",
        [],
        2,
        3,
        "staff",
        datetime.date(2025, 12, 31),
    ),
]

FIELDS = (
    "category",
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "likelihood",
    "impact",
    "mitigation_zh",
    "mitigation_en",
    "controls",
    "courses",
    "residual_likelihood",
    "residual_impact",
    "owner",
    "review_date",
)

NEW_IN_2026 = [
    (
        "internal_controls",
        "ERP直推订单绕过合规审查",
        "Orders pushed from the ERP bypass compliance review",
        "2026年起ERP自动把订单推送到工作台，若接口异常，订单可能未经审查进入排产和发货。",
        "Since 2026 the ERP pushes orders to the workbench; if the interface fails an order may "
        "reach production and shipping unreviewed.",
        2,
        5,
        "发货前在ERP中校验工作台审批状态；接口故障每日核对。",
        "The ERP checks the workbench approval before shipping; a daily reconciliation catches "
        "interface failures.",
        "ERP发货校验规则\n接口日对账",
        [],
        1,
        4,
        "manager",
        datetime.date(2026, 6, 30),
    ),
    (
        "customers",
        "收货人为自由贸易区内的贸易公司",
        "Consignees are trading companies in free trade zones",
        "部分订单要求发往杰贝阿里自贸区等地的贸易公司，最终用户不明。",
        "Some orders ship to trading companies in free zones such as Jebel Ali; the end user is "
        "unknown.",
        3,
        4,
        "此类订单必须取得最终用户证明并经合规经理审批。",
        "Such orders need an end-user certificate and the compliance manager's approval.",
        "红旗问题清单：自贸区收货人",
        [RED_FLAGS],
        2,
        3,
        "staff",
        datetime.date(2026, 6, 30),
    ),
]

TITLE_2025 = "2025年度出口管制合规风险评估"
# When the general manager signed the 2025 assessment (demo history, not "today").
APPROVED_2025 = datetime.datetime(2025, 1, 22, 10, 30, tzinfo=datetime.UTC)
TITLE_2026 = "2026年度出口管制合规风险评估"


def _values(row, ctx, courses) -> dict:
    values = dict(zip(FIELDS, row, strict=True))
    values["owner"] = ctx.users[values["owner"]]
    values["courses"] = [courses[topic] for topic in values["courses"]]
    return values


def _backdate(assessment: RiskAssessment, *, prepared: datetime.datetime) -> None:
    """Give the 2025 demo assessment the dates it would really have: prepared in January 2025
    and approved a week later, so the programme overview shows its true age."""
    RiskAssessment.objects.filter(pk=assessment.pk).update(approved_at=APPROVED_2025)
    assessment.history.filter(history_type="~").update(history_date=APPROVED_2025)
    assessment.history.filter(history_type="+").update(history_date=prepared)
    RiskFactor.history.filter(assessment_id=assessment.pk).update(history_date=prepared)


@demo_seeder(order=22)
def seed_risk_assessments(ctx: DemoContext) -> None:
    organisation = ctx.organisations["demo"]
    manager, executive = ctx.users["manager"], ctx.users["executive"]
    courses = demo_courses(organisation)

    previous = RiskAssessment.objects.for_organisation(organisation).filter(title=TITLE_2025)
    if not previous.exists():
        assessment = services.risk_assessment_create(
            organisation=organisation,
            user=manager,
            title=TITLE_2025,
            assessment_date=datetime.date(2025, 1, 15),
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
            scope_zh="全部产品（传感器、编码器、数控加工部件）及出口市场：欧洲、俄罗斯、土耳其、阿联酋、东南亚；"
            "直销与经销渠道；售后技术支持。",
            scope_en="All products (sensors, encoders, CNC parts) and export markets: Europe, "
            "Russia, Türkiye, the UAE, South-East Asia; direct and distributor channels; "
            "after-sales technical support.",
            conclusion_zh="主要风险集中在经贸易商转运和对俄出口；增配一名合规后备人员，对俄及中东订单逐单审批。",
            conclusion_en="The main risks are re-export through traders and exports to Russia; "
            "add a compliance deputy and review every Russian and Middle-East order.",
        )
        for row in RISKS_2025:
            values = _values(row, ctx, courses)
            services.risk_factor_create(
                assessment=assessment,
                user=manager,
                courses=values.pop("courses"),
                **values,
            )
        services.risk_assessment_approve(
            assessment=assessment,
            user=executive,
            note="同意。2025年增加合规预算，用于后备人员培训和筛查工具。",
        )
        _backdate(assessment, prepared=APPROVED_2025 - datetime.timedelta(days=7))
        ctx.log(f"risk assessment {TITLE_2025} (approved)")
    source = previous.get()

    if RiskAssessment.objects.for_organisation(organisation).filter(title=TITLE_2026).exists():
        return
    draft = services.risk_assessment_copy_forward(
        source=source,
        user=manager,
        title=TITLE_2026,
        assessment_date=datetime.date(2026, 1, 20),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    risks = {risk.key: risk for risk in draft.risks.all()}
    # Russia: more customers asked to re-route deliveries in 2025.
    services.risk_factor_update(
        risk=risks["R-004"],
        user=manager,
        likelihood=5,
        mitigation_zh="对俄订单一律取得最终用户和最终用途证明并视频核实；拒绝任何改变收货地址的要求。",
        mitigation_en="Every Russian order needs end-user and end-use certificates verified by "
        "video call; any request to change the delivery address is refused.",
        review_date=datetime.date(2026, 3, 31),
    )
    # The deputy was appointed and trained in 2025.
    services.risk_factor_update(
        risk=risks["R-007"],
        user=manager,
        residual_likelihood=1,
        review_date=datetime.date(2026, 12, 31),
    )
    # The South-East Asian agents were replaced by direct sales: the risk is closed.
    services.risk_factor_delete(risk=risks["R-008"], user=manager)
    for row in NEW_IN_2026:
        values = _values(row, ctx, courses)
        services.risk_factor_create(
            assessment=draft, user=manager, courses=values.pop("courses"), **values
        )
    ctx.log(f"risk assessment {TITLE_2026} (draft, copied forward)")
