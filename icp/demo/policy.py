"""Demo content for E1: version 1 (superseded), version 2 in force, signed by 刘建国 总经理 and
acknowledged by three of the four demo members (赵敏 has not yet), and version 3, the annual
review, waiting for his approval."""

import datetime

from django.utils import timezone

from core.demo import DemoContext, demo_seeder
from icp.models import PolicyAcknowledgement, PolicyStatus, PolicyVersion
from icp.services.policy import default_review_due_date
from icp.services.policy_template import POLICY_TEMPLATE


def _edit(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        if old not in text:
            raise ValueError(f"demo policy text: {old[:40]!r} not found in the template")
        text = text.replace(old, new)
    return text


def _texts() -> dict[int, dict]:
    v2 = {"body_zh": POLICY_TEMPLATE["body_zh"], "body_en": POLICY_TEMPLATE["body_en"]}
    # Version 1 predates the 2024 Dual-Use Regulations and had no anonymous reporting channel.
    v1 = {
        "body_zh": _edit(
            v2["body_zh"],
            (
                "《中华人民共和国出口管制法》《中华人民共和国两用物项出口管制条例》",
                "《中华人民共和国出口管制法》及有关行政法规",
            ),
            ("，也可以匿名报告", ""),
        ),
        "body_en": _edit(
            v2["body_en"],
            (
                "the Export Control Law of the People's Republic of China, the Regulations of the People's Republic of China on the Export Control of Dual-Use Items,",
                "the Export Control Law of the People's Republic of China and the related administrative regulations,",
            ),
            ("; they may do so anonymously", ""),
        ),
    }
    # Version 3 (annual review) adds screening of every order before it is confirmed.
    v3 = {
        "body_zh": _edit(
            v2["body_zh"],
            (
                "6. 最终用户和最终用途证明文件",
                "6. 每一笔订单确认前，对客户、收货人和最终用户进行管控名单和关注名单筛查；存在疑似命中的，未经合规部门判定不得确认订单。\n7. 最终用户和最终用途证明文件",
            ),
        ),
        "body_en": _edit(
            v2["body_en"],
            (
                "6. End-user and end-use certificates",
                "6. Before an order is confirmed, the customer, consignee and end user are screened against the control list and the watch list; an order with a possible match is not confirmed until the compliance department has decided on it.\n7. End-user and end-use certificates",
            ),
        ),
    }
    return {1: v1, 2: v2, 3: v3}


@demo_seeder(order=20)
def seed_policy(ctx: DemoContext) -> None:
    organisation = ctx.organisations["demo"]
    manager, executive = ctx.users["manager"], ctx.users["executive"]
    if PolicyVersion.objects.for_organisation(organisation).filter(number=1).exists():
        return
    today = timezone.localdate()
    v2_effective = today.replace(day=1) - datetime.timedelta(days=270)
    v2_effective = v2_effective.replace(day=1)
    v1_effective = v2_effective.replace(year=v2_effective.year - 1)
    v3_effective = default_review_due_date(v2_effective)

    def moment(date: datetime.date, hour: int = 10) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour)))

    texts = _texts()
    common = {
        "organisation": organisation,
        "title_zh": POLICY_TEMPLATE["title_zh"],
        "title_en": POLICY_TEMPLATE["title_en"],
        "signatory": executive,
        "signatory_name": "刘建国",
        "signatory_title": "总经理 / General Manager",
        "created_by": manager,
    }
    v1 = PolicyVersion.objects.create(
        **common,
        **texts[1],
        number=1,
        status=PolicyStatus.SUPERSEDED,
        effective_date=v1_effective,
        review_due_date=default_review_due_date(v1_effective),
        change_note="首次制定。First policy statement.",
        submitted_by=manager,
        submitted_at=moment(v1_effective - datetime.timedelta(days=12)),
        approved_by=executive,
        approved_at=moment(v1_effective - datetime.timedelta(days=8)),
        approval_comment="同意发布。",
        published_by=manager,
        published_at=moment(v1_effective - datetime.timedelta(days=5)),
        superseded_at=moment(v2_effective - datetime.timedelta(days=5)),
    )
    v2 = PolicyVersion.objects.create(
        **common,
        **texts[2],
        number=2,
        status=PolicyStatus.PUBLISHED,
        based_on=v1,
        effective_date=v2_effective,
        review_due_date=default_review_due_date(v2_effective),
        change_note=(
            "年度评审：依据2024年12月1日起施行的《两用物项出口管制条例》更新法律依据；增加匿名报告渠道。"
            "\nAnnual review: cites the Dual-Use Items Export Control Regulations in force since "
            "1 December 2024; adds anonymous reporting."
        ),
        submitted_by=manager,
        submitted_at=moment(v2_effective - datetime.timedelta(days=12)),
        approved_by=executive,
        approved_at=moment(v2_effective - datetime.timedelta(days=8)),
        approval_comment="同意。请组织全员签收。",
        published_by=manager,
        published_at=moment(v2_effective - datetime.timedelta(days=5)),
    )
    PolicyVersion.objects.filter(pk=v1.pk).update(superseded_by=v2)
    v3 = PolicyVersion.objects.create(
        **common,
        **texts[3],
        number=3,
        status=PolicyStatus.SUBMITTED,
        based_on=v2,
        effective_date=v3_effective,
        review_due_date=default_review_due_date(v3_effective),
        change_note=(
            "年度评审：增加订单确认前的名单筛查要求。\n"
            "Annual review: adds screening of every order before it is confirmed."
        ),
        submitted_by=manager,
        submitted_at=moment(today - datetime.timedelta(days=2)),
    )
    for version in (v1, v2):
        PolicyVersion.objects.filter(pk=version.pk).update(
            content_sha256=version.content_fingerprint()
        )
    acknowledgements = [
        (v1, key, v1_effective + datetime.timedelta(days=offset))
        for offset, key in enumerate(("manager", "executive", "auditor", "staff"), start=1)
    ] + [
        (v2, key, v2_effective + datetime.timedelta(days=offset))
        for offset, key in enumerate(("manager", "executive", "auditor"), start=1)
    ]
    for version, key, date in acknowledgements:
        ack, created = PolicyAcknowledgement.objects.get_or_create(
            version=version,
            user=ctx.users[key],
            defaults={"organisation": organisation, "language": "zh-hans"},
        )
        if created:
            PolicyAcknowledgement.objects.filter(pk=ack.pk).update(acknowledged_at=moment(date, 9))
    ctx.log(f"policy statement v1-v{v3.number} for {organisation.slug}")
