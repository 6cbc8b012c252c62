"""Demo of classification help: the labelled demo rows of the customs catalogue (so the
incremental encoder ENC-I40, classified as not listed without a parameter-based justification,
is flagged) and an item whose classification waits for MOFCOM's answer (so it cannot be
approved for export)."""

import datetime

from django.utils import timezone

from core.demo import DemoContext, demo_seeder
from trade.models import Item
from trade.services.control_list import customs_catalogue_load_demo
from trade.services.item import consultation_open

CONSULT_ITEM = {
    "reference": "ENC-KIT26",
    "name": "机器人关节编码器套件",
    "name_en": "Encoder kit for robot joints",
    "model_number": "JC-RK26",
    "hs_code": "9031809090",
    "technical_parameters": "26 位分辨率；套件精度 ±1.5″（0.00042°）；安装后系统精度取决于客户装配",
}


@demo_seeder(order=38)
def seed_classification_help(ctx: DemoContext) -> None:
    organisation = ctx.organisations.get("demo")
    if organisation is None:
        return
    outcome = customs_catalogue_load_demo()
    if outcome.created:
        ctx.log(f"customs catalogue demo rows: {outcome.created}")
    staff = ctx.users["staff"]
    item, created = Item.objects.get_or_create(
        organisation=organisation,
        reference=CONSULT_ITEM["reference"],
        defaults={**CONSULT_ITEM, "created_by": staff},
    )
    if created or not item.consultations.exists():
        consultation_open(
            item=item,
            user=staff,
            asked_on=timezone.localdate() - datetime.timedelta(days=9),
            question="产品为26位编码器套件（读数头、码盘、电路板分散供货），套件精度±1.5″，"
            "主要用于工业机器人关节位置反馈。请确认是否属于2B006.b所列物项。",
            unsure_reason="2B006.b的指标针对整机测量系统；套件安装后的系统精度取决于客户装配，"
            "无法确定套件本身是否属于两用物项。",
        )
        ctx.log(f"item {item.reference}: consult MOFCOM")
