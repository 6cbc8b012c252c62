import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from .models import Membership, Organisation, User
from .roles import Role

DEMO_ORGANISATIONS = {
    "demo": {
        "name_zh": "苏州精测数控科技有限公司",
        "name_en": "Suzhou Precision Metrology & CNC Technology Co., Ltd.",
        "unified_social_credit_code": "91320594MA1MXK7Q0Q",
        "address_zh": "江苏省苏州市苏州工业园区星湖街328号",
        "address_en": "328 Xinghu Street, Suzhou Industrial Park, Suzhou, Jiangsu, China",
    },
    "other": {
        "name_zh": "深圳华拓传感器有限公司",
        "name_en": "Shenzhen Huatuo Sensors Co., Ltd.",
        "unified_social_credit_code": "91440300MA5FTR2L18",
        "address_zh": "广东省深圳市南山区科技园科苑路15号",
        "address_en": "15 Keyuan Road, Science Park, Nanshan District, Shenzhen, Guangdong, China",
    },
}

DEMO_USERS = [
    # (key, e-mail, full name, organisation, role, job title)
    (
        "manager",
        "manager@demo.example",
        "陈静 Chen Jing",
        "demo",
        Role.COMPLIANCE_MANAGER,
        "出口管制合规经理",
    ),
    ("auditor", "auditor@demo.example", "王磊 Wang Lei", "demo", Role.AUDITOR, "集团内审"),
    (
        "executive",
        "executive@demo.example",
        "刘建国 Liu Jianguo",
        "demo",
        Role.MANAGEMENT,
        "总经理",
    ),
    ("staff", "staff@demo.example", "赵敏 Zhao Min", "demo", Role.STAFF, "外贸销售"),
    (
        "other_manager",
        "manager@other.example",
        "林涛 Lin Tao",
        "other",
        Role.COMPLIANCE_MANAGER,
        "合规专员",
    ),
]

# A former employee: no password (cannot log in), membership deactivated.
FORMER_STAFF = ("former.sales@demo.example", "周洋 Zhou Yang")


# Registered by core/demo.py (order 10): accounts is the bottom layer and imports no app of ours.
def seed_organisations_and_users(ctx) -> None:
    """The demo organisations and one member per role; `ctx` is core.demo.DemoContext."""
    for slug, values in DEMO_ORGANISATIONS.items():
        organisation, created = Organisation.objects.get_or_create(slug=slug, defaults=values)
        ctx.organisations[slug] = organisation
        if created:
            ctx.log(f"organisation {slug}: {organisation.name_zh}")
            if slug == "demo":
                organisation.logo.save("logo.png", ContentFile(demo_logo()))
    for key, email, full_name, slug, role, title in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=ctx.password, full_name=full_name)
            ctx.log(f"user {email} ({role.label})")
        elif ctx.password:
            user.set_password(ctx.password)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user,
            organisation=ctx.organisations[slug],
            defaults={"role": role, "job_title": title},
        )
        ctx.users[key] = user
    # The group's internal auditor audits both subsidiaries (the organisation switcher shows
    # both), and a salesman who left is deactivated, not deleted: his records keep his name.
    Membership.objects.get_or_create(
        user=ctx.users["auditor"],
        organisation=ctx.organisations["other"],
        defaults={"role": Role.AUDITOR, "job_title": "集团内审"},
    )
    former = User.objects.filter(email=FORMER_STAFF[0]).first()
    if former is None:
        former = User.objects.create_user(
            email=FORMER_STAFF[0], password=None, full_name=FORMER_STAFF[1]
        )
        ctx.log(f"user {FORMER_STAFF[0]} (deactivated)")
    Membership.objects.get_or_create(
        user=former,
        organisation=ctx.organisations["demo"],
        defaults={"role": Role.STAFF, "job_title": "外贸销售（已离职）", "is_active": False},
    )


def demo_logo() -> bytes:
    """The demo company's mark (a measuring target on navy), drawn here rather than shipped."""
    image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 239, 239), radius=36, fill=(11, 46, 79))
    draw.line((120, 24, 120, 216), fill=(122, 148, 173), width=8)
    draw.line((24, 120, 216, 120), fill=(122, 148, 173), width=8)
    for radius, width in ((86, 14), (48, 12)):
        box = (120 - radius, 120 - radius, 120 + radius, 120 + radius)
        draw.ellipse(box, outline=(255, 255, 255), width=width)
    draw.ellipse((106, 106, 134, 134), fill=(255, 255, 255))
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()
