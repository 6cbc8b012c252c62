"""Demo: a chamber of commerce hosting both demo companies; one shares its status."""

import datetime

from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.roles import Role
from core.demo import DemoContext, demo_seeder
from screening.models import ScreeningList
from screening.services.lists import list_create, list_entries_from_announcement
from trade.services.control_list import STARTER_SET_FILE, control_list_import

from .models import (
    Adoption,
    AnnouncementStatus,
    ChamberMembership,
    ChamberMembershipStatus,
    ListSubscription,
    ListUpdate,
    Publication,
    PublicationKind,
)
from .services import (
    chamber_register,
    list_subscription_set,
    members_notify,
    publication_adopt,
    publication_create,
    publication_deliver,
    publication_publish,
)

CHAMBER = {
    "slug": "chamber",
    "name_zh": "江苏省机电产品进出口商会",
    "name_en": "Jiangsu Chamber of Commerce for Import & Export of Machinery and Electronic Products",
    "unified_social_credit_code": "51320000MJ54663211",
    "address_zh": "江苏省南京市鼓楼区中山北路49号",
    "address_en": "49 Zhongshan North Road, Gulou District, Nanjing, Jiangsu, China",
}
CHAMBER_USER = ("chamber", "chamber@demo.example", "孙悦 Sun Yue", "出口管制服务部主任")

UPDATE = {
    "kind": PublicationKind.REGULATORY_UPDATE,
    "announcement_number": "商务部 海关总署 国家密码管理局公告2024年第51号",
    "title_zh": "《中华人民共和国两用物项出口管制清单》公布",
    "title_en": "The PRC Export Control List of Dual-Use Items is published",
    "announcement_date": datetime.date(2024, 11, 15),
    "effective_date": datetime.date(2024, 12, 1),
    "summary_zh": (
        "依据《两用物项出口管制条例》第十一条，商务部会同有关部门制定并公布了"
        "《中华人民共和国两用物项出口管制清单》，与条例同日（2024年12月1日）起施行。"
        "清单列出管制物项及其管制编码。清单原文以商务部公告为准。"
    ),
    "summary_en": (
        "Under Art. 11 of the Dual-Use Items Export Control Regulations, MOFCOM and other "
        "departments issued the PRC Export Control List of Dual-Use Items, in force with the "
        "Regulations from 1 December 2024. It lists the controlled items with their control "
        "codes. MOFCOM's announcement is the authoritative text."
    ),
    "action_zh": (
        "请对照新清单复核物料主数据中的管制编码归类，更新出口前的交易审查，"
        "并在30日内向商会反馈归类中的疑问。"
    ),
    "action_en": (
        "Check your item master's classifications against the new list, update the "
        "transaction review before export, and send the chamber your classification "
        "questions within 30 days."
    ),
}

TEMPLATE = {
    "kind": PublicationKind.POLICY_TEMPLATE,
    "title_zh": "出口管制合规政策声明（会员范本）",
    "title_en": "Export control compliance policy statement (members' template)",
    "body_zh": (
        "本公司严格遵守《中华人民共和国出口管制法》《两用物项出口管制条例》及相关规定，"
        "建立并运行出口管制内部合规机制。任何业务不得以违反出口管制为代价。"
        "全体员工应接受出口管制培训，发现可能违反出口管制的情况应及时报告合规部门。"
    ),
    "body_en": (
        "The company complies strictly with the PRC Export Control Law, the Dual-Use Items "
        "Export Control Regulations and related rules, and establishes and runs an internal "
        "export control compliance programme. No business is worth a breach of export controls. "
        "All staff take export control training and report any possible breach to compliance."
    ),
}

# What the chamber shares for its members to adopt. The list is the labelled starter set (its
# rows say to verify them against the announcement); the course states only what the courses of
# the course library state, with the same citations (checked against the law texts there).
LIST_VERSION = {
    "kind": PublicationKind.CONTROL_LIST,
    "title_zh": "两用物项出口管制清单（商会维护版，起步数据）",
    "title_en": "Dual-use export control list (kept by the chamber, starter data)",
    "summary_zh": "商会整理的清单类别和示例条目；使用前请对照商务部公告2024年第51号核对。",
    "summary_en": (
        "The categories and example entries the chamber keeps; verify them against MOFCOM "
        "Announcement 2024 No. 51 before use."
    ),
}
COURSE = {
    "kind": PublicationKind.TRAINING_COURSE,
    "title_zh": "会员企业出口管制资料保存",
    "title_en": "Keeping export control records (for members)",
    "summary_zh": "面向会员企业全体员工：最终用户和最终用途证明文件，资料保存期限。",
    "summary_en": "For members' staff: end-user and end-use certificates, how long records are kept.",
    "body_zh": (
        "## 最终用户和最终用途\n\n"
        "出口经营者申请两用物项出口许可时，应当提交最终用户出具的最终用户和最终用途证明文件。\n\n"
        "## 资料保存\n\n"
        "与两用物项出口有关的最终用户和最终用途证明文件以及合同、发票、账册、单据、业务函电等"
        "相关资料，保存期限不少于5年（《两用物项出口管制条例》第二十七条）。"
    ),
    "body_en": (
        "## End users and end uses\n\n"
        "When applying for a dual-use export licence, the exporter submits the end-user and "
        "end-use certificates issued by the end user.\n\n"
        "## Keeping records\n\n"
        "The end-user and end-use certificates and the contracts, invoices, account books, "
        "documents and business correspondence related to a dual-use export are kept for at "
        "least five years (Dual-use Items Export Control Regulations, Art. 27)."
    ),
    "quiz_zh": (
        "两用物项出口的相关资料至少保存多久？\n- 1年\n- 3年\n* 5年\n\n"
        "申请出口许可时，最终用户和最终用途证明文件由谁出具？\n* 最终用户\n- 出口经营者\n- 货代"
    ),
    "quiz_en": (
        "For how long at least are the records of a dual-use export kept?\n- 1 year\n"
        "- 3 years\n* 5 years\n\n"
        "Who issues the end-user and end-use certificates for a licence application?\n"
        "* The end user\n- The exporter\n- The freight forwarder"
    ),
    "pass_mark": 100,
    "duration_minutes": 15,
}
MANUAL_SETTINGS = {
    "kind": PublicationKind.MANUAL_SETTINGS,
    "title_zh": "会员企业合规手册推荐设置",
    "title_en": "Recommended manual settings for members",
    "summary_zh": "中文完整版，不含境外法律风险附录（向商务部提交的文本）。",
    "summary_en": (
        "The full edition in Chinese, without the foreign-law risk annex (the text MOFCOM sees)."
    ),
    "manual_language": "zh-hans",
    "manual_edition": "full",
    "manual_foreign_law_annex": False,
}


def _seed_adoptables(ctx: DemoContext, chamber_org, user) -> None:
    """The chamber shares its list version, a course and manual settings; the first demo
    company's compliance manager applies the manual settings (the course and the list wait for
    a member's decision: adopting them would change the demo company's training and
    classification)."""
    if not Publication.objects.filter(
        organisation=chamber_org, kind=PublicationKind.CONTROL_LIST
    ).exists():
        control_list_import(
            content=STARTER_SET_FILE.read_bytes(),
            filename=STARTER_SET_FILE.name,
            organisation=chamber_org,
            user=user,
            edition="2026",
        )
    for values in (LIST_VERSION, COURSE, MANUAL_SETTINGS):
        if Publication.objects.filter(organisation=chamber_org, kind=values["kind"]).exists():
            continue
        draft = publication_create(organisation=chamber_org, actor=user, data=values)
        publication_publish(publication=draft, actor=user)
        ctx.log(f"chamber shares {values['kind']}")
    demo = ctx.organisations.get("demo") or Organisation.objects.get(slug="demo")
    settings = Publication.objects.get(
        organisation=chamber_org, kind=PublicationKind.MANUAL_SETTINGS
    )
    if not Adoption.objects.filter(organisation=demo, publication=settings).exists():
        manager = (
            Membership.objects.filter(organisation=demo, role=Role.COMPLIANCE_MANAGER)
            .select_related("user")
            .first()
        )
        publication_adopt(organisation=demo, actor=manager.user, publication=settings)
        ctx.log("demo applies the chamber's manual settings")


# The chamber keeps MOFCOM's control list for its members. Only the announcements and parties
# named in the reference library (docs: icp-reference.md, section 5), with their numbers and
# dates as written there; the measures of 2025 No. 21 were suspended from 10 November 2025.
SHARED_LIST = {
    "code": "JS-CN-CONTROL-LIST",
    "name_zh": "出口管制管控名单（商会维护）",
    "name_en": "Export control control list (kept by the chamber)",
    "issuer": "商务部",
    "legal_basis": "《出口管制法》第十八条；《两用物项出口管制条例》第二十八至三十条",
    "source_url": "https://exportcontrol.mofcom.gov.cn/",
}
LIST_ANNOUNCEMENTS = (
    (
        "商务部公告2025年第21号",
        datetime.date(2025, 4, 4),
        AnnouncementStatus.SUSPENDED,
        [
            "Sierra Nevada Corporation",
            "Cubic Corporation",
            "Saronic Technologies, Inc.",
            "Oceaneering International, Inc.",
        ],
    ),
    (
        "商务部公告2025年第51号",
        datetime.date(2025, 9, 26),
        AnnouncementStatus.IN_FORCE,
        [
            "Huntington Ingalls Industries, Inc.",
            "Planate Management Group",
            "Global Dimensions LLC",
        ],
    ),
)


def _seed_shared_list(ctx: DemoContext, chamber_org, user) -> None:
    """The chamber's list, one published update per announcement; the first demo company
    screens against it, the second has it offered and has not chosen it yet."""
    screening_list = ScreeningList.objects.filter(
        organisation=chamber_org, code=SHARED_LIST["code"]
    ).first() or list_create(organisation=chamber_org, user=user, **SHARED_LIST)
    published = set(
        ListUpdate.objects.filter(screening_list=screening_list).values_list(
            "announcement_number", flat=True
        )
    )
    for number, announced_on, status, names in LIST_ANNOUNCEMENTS:
        if number in published:
            continue
        outcome = list_entries_from_announcement(
            screening_list=screening_list,
            announcement=number,
            announced_on=announced_on,
            names=names,
            country="US",
            source_url=SHARED_LIST["source_url"],
            user=user,
        )
        screening_list.current_version = outcome.version
        ListUpdate.objects.create(
            organisation=chamber_org,
            screening_list=screening_list,
            version=outcome.version,
            announcement_number=number,
            announcement_date=announced_on,
            status=status,
            published_by=user,
            published_at=timezone.now(),
        )
        ctx.log(f"chamber list update {number}")
    demo = ctx.organisations.get("demo") or Organisation.objects.get(slug="demo")
    if not ListSubscription.objects.filter(
        organisation=demo, screening_list=screening_list
    ).exists():
        manager = (
            Membership.objects.filter(organisation=demo, role=Role.COMPLIANCE_MANAGER)
            .select_related("user")
            .first()
        )
        list_subscription_set(
            organisation=demo, actor=manager.user, screening_list=screening_list, active=True
        )


@demo_seeder(order=60)
def seed_chamber(ctx: DemoContext) -> None:
    chamber_org, created = Organisation.objects.get_or_create(
        slug=CHAMBER["slug"], defaults={k: v for k, v in CHAMBER.items() if k != "slug"}
    )
    if created:
        ctx.log(f"organisation chamber: {chamber_org.name_zh}")
    chamber_register(organisation=chamber_org)
    key, email, full_name, title = CHAMBER_USER
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=ctx.password, full_name=full_name)
        ctx.log(f"user {email} ({Role.COMPLIANCE_MANAGER.label})")
    elif ctx.password:
        user.set_password(ctx.password)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user,
        organisation=chamber_org,
        defaults={"role": Role.COMPLIANCE_MANAGER, "job_title": title},
    )
    ctx.users[key] = user
    now = timezone.now()
    # Both demo companies are members; the first shares its programme status, the second not.
    for slug, shares in (("demo", True), ("other", False)):
        member = ctx.organisations.get(slug) or Organisation.objects.get(slug=slug)
        ChamberMembership.objects.get_or_create(
            organisation=chamber_org,
            member=member,
            defaults={
                "status": ChamberMembershipStatus.ACTIVE,
                "shares_status": shares,
                "invited_by": user,
                "invited_at": now - datetime.timedelta(days=30),
                "joined_at": now - datetime.timedelta(days=28),
            },
        )
    for values in (UPDATE, TEMPLATE):
        publication, made = Publication.objects.get_or_create(
            organisation=chamber_org,
            title_zh=values["title_zh"],
            defaults={
                **values,
                "status": "published",
                "created_by": user,
                "published_by": user,
                "published_at": now - datetime.timedelta(days=2),
            },
        )
        if made and publication.is_regulatory_update:
            publication_deliver(publication=publication)
    _seed_shared_list(ctx, chamber_org, user)
    _seed_adoptables(ctx, chamber_org, user)
    # Everything the chamber published reaches its members' notification centres now, in this
    # run (publishing delivers after its transaction commits; idempotent, so a second seed adds
    # nothing).
    members_notify(chamber_organisation=chamber_org)
