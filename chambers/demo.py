"""Demo: a chamber of commerce hosting both demo companies; one shares its status."""

import datetime

from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.roles import Role
from core.demo import DemoContext, demo_seeder

from .models import ChamberMembership, ChamberMembershipStatus, Publication, PublicationKind
from .services import chamber_register, publication_deliver

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
