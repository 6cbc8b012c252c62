"""Demo: a freight forwarder (货运代理) with its service provider profile and one customer check
of a shipment: the demo exporter ships a listed item under a single licence, and the shipper and
the consignee are screened when the check is recorded (REGS Art. 36)."""

from accounts.models import Membership, Organisation, User
from accounts.roles import Role
from core.demo import DemoContext, demo_seeder

from .models import CustomerCheck, ProviderKind
from .services import (
    customer_check_create,
    customer_check_decide,
    provider_profile_set,
    release_blockers,
)

FORWARDER = {
    "slug": "forwarder",
    "name_zh": "苏州港通国际货运代理有限公司",
    "name_en": "Suzhou Gangtong International Freight Forwarding Co., Ltd.",
    "unified_social_credit_code": "91320594MA7HXF2K3E",
    "address_zh": "江苏省苏州市工业园区苏虹东路183号",
    "address_en": "183 Suhong East Road, Suzhou Industrial Park, Jiangsu, China",
}
FORWARDER_USER = ("forwarder", "forwarder@demo.example", "陈静 Chen Jing", "关务与合规主管")

CHECK = {
    "reference": "SZGT-BK-2026-0418",
    "customer_country": "CN",
    "counterparty_name": "Müller Messtechnik GmbH",
    "counterparty_country": "DE",
    "goods": "三坐标测量机 1 台（出口商申报属《两用物项出口管制清单》所列物项） / "
    "1 coordinate measuring machine (declared by the exporter as a listed dual-use item)",
    "hs_code": "9031499090",
    "declared": CustomerCheck.Declared.LISTED,
    "permit": CustomerCheck.Permit.SINGLE,
    "permit_number": "LY2026-320000-00417",
}


def _user(ctx: DemoContext, organisation: Organisation) -> User:
    key, email, full_name, title = FORWARDER_USER
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=ctx.password, full_name=full_name)
        ctx.log(f"user {email} ({Role.COMPLIANCE_MANAGER.label})")
    elif ctx.password:
        user.set_password(ctx.password)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        defaults={"role": Role.COMPLIANCE_MANAGER, "job_title": title},
    )
    ctx.users[key] = user
    return user


@demo_seeder(order=61)
def seed_forwarder(ctx: DemoContext) -> None:
    organisation, created = Organisation.objects.get_or_create(
        slug=FORWARDER["slug"], defaults={k: v for k, v in FORWARDER.items() if k != "slug"}
    )
    if created:
        ctx.log(f"organisation forwarder: {organisation.name_zh}")
    user = _user(ctx, organisation)
    provider_profile_set(organisation=organisation, user=user, kind=ProviderKind.FORWARDER)
    if (
        CustomerCheck.objects.for_organisation(organisation)
        .filter(reference=CHECK["reference"])
        .exists()
    ):
        return
    shipper = ctx.organisations.get("demo") or Organisation.objects.get(slug="demo")
    check = customer_check_create(
        organisation=organisation, user=user, customer_name=shipper.name_zh, **CHECK
    )
    # Released only when nothing holds it (a screening hit waits for the demo user's decision).
    if not release_blockers(check):
        customer_check_decide(
            check=check,
            user=user,
            outcome=CustomerCheck.Outcome.RELEASED,
            note="许可证原件已核验，托运人与收货人筛查无命中。",
        )
