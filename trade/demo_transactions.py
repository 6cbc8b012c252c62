"""Demo transaction review for the demo enterprise (苏州精测数控科技有限公司): the item master with
two high-precision encoder models under a listed code, a licence being drawn down, and orders to
Germany, Italy, Russia, Türkiye, the UAE, Vietnam and Malaysia in every state of review.

Imported from trade/demo.py. Idempotent: each order is built once (by reference) through the
same services the pages use."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.demo import DemoContext, demo_seeder
from records.services import document_attach
from reference.models import RedFlag
from reference.selectors import current_framework
from screening.models import Party, PartyType
from screening.services.parties import party_screen
from trade.models import (
    Answer,
    ControlListEntry,
    Item,
    Licence,
    LicenceDecision,
    PartyRole,
    Transaction,
)
from trade.services.control_list import control_list_load_starter_set
from trade.services.item import classification_review, item_classify
from trade.services.licence import licence_save
from trade.services.transaction import (
    red_flag_answer,
    red_flag_resolve,
    red_flags_answer_many,
    transaction_approve,
    transaction_create,
    transaction_euc_record,
    transaction_hold,
    transaction_licence_decide,
    transaction_line_add,
    transaction_party_add,
    transaction_reject,
    transaction_submit,
)

# The organisation's own verified entry for its encoders (the starter set does not hold it).
ENCODER_ENTRY = {
    "code": "2B006.b",
    "description_zh": "角位移测量仪器（角度位置偏差等于或优于0.00025°）",
    "description_en": "Angular displacement measuring instruments with an angular position "
    "deviation equal to or less (better) than 0.00025°",
    "keywords": "encoder 编码器 angle 角度",
    # Honest about what was checked: nobody compared this demo wording with the announcement.
    "source_label": "演示数据：示例条目文字，未对照2024年第51号公告原文核对 / Demo data: sample "
    "wording, not checked against the text of Announcement 2024 No. 51",
}

# reference, name, name_en, model, HS code, parameters, listed
ITEMS = [
    (
        "ENC-R58",
        "高精度绝对值旋转编码器",
        "High-precision absolute rotary encoder",
        "JC-AE58-29B",
        "9031809090",
        "29 位单圈分辨率；系统精度 ±0.8″（0.00022°）；Φ58 mm；EnDat 2.2 接口",
        True,
    ),
    (
        "ENC-R90",
        "高精度角度编码器",
        "High-precision angle encoder",
        "JC-RA90-32B",
        "9031809090",
        "32 位分辨率；系统精度 ±0.5″（0.00014°）；空心轴 Φ90 mm",
        True,
    ),
    (
        "ENC-I40",
        "增量式旋转编码器",
        "Incremental rotary encoder",
        "JC-IE40-2500",
        "9031809090",
        "2500 线/转；精度 ±60″；Φ40 mm",
        False,
    ),
    (
        "LS-300",
        "封闭式光栅尺",
        "Sealed linear scale",
        "JC-LS300-5",
        "9031499090",
        "测量长度 300 mm；精度 ±5 µm；分辨率 0.1 µm",
        False,
    ),
    (
        "SPN-80",
        "数控车床电主轴",
        "Motor spindle for CNC lathes",
        "JC-SP80-12K",
        "8466939000",
        "12000 rpm；功率 11 kW；径向跳动 ≤2 µm",
        False,
    ),
]

PDF_BYTES = b"%PDF-1.4\n% demo end-user certificate\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Parties the order book needs beyond the party register's demo data.
EXTRA_PARTIES = [
    (
        "C-2101",
        "Officine Meccaniche Brianza S.r.l.",
        "",
        PartyType.CUSTOMER,
        "IT",
        "Via Lecco 45, 20900 Monza (MB)",
    ),
    (
        "C-2102",
        "Công ty TNHH Cơ khí Chính xác Sài Gòn",
        "Saigon Precision Engineering Co., Ltd.",
        PartyType.END_USER,
        "VN",
        "Lô C5, KCN Tân Bình, TP. Hồ Chí Minh",
    ),
    (
        "C-2103",
        "Sierra Nevada Corporation",
        "",
        PartyType.END_USER,
        "US",
        "444 Salomon Circle, Sparks, NV 89434",
    ),
]


def _party(organisation, reference):
    return Party.objects.filter(organisation=organisation, reference=reference).first()


def _answer_rest_no(transaction, user):
    answered = set(
        transaction.red_flag_answers.exclude(answer="").values_list("red_flag_id", flat=True)
    )
    red_flags_answer_many(
        transaction=transaction,
        user=user,
        answers={
            flag: (Answer.NO, "")
            for flag in RedFlag.objects.filter(framework=current_framework(), merged_into="")
            if flag.pk not in answered
        },
    )


def _euc(organisation, transaction, user, *, issuer, valid_until):
    document_attach(
        organisation=organisation,
        user=user,
        target=transaction,
        upload=SimpleUploadedFile(
            f"EUC-{transaction.reference}.pdf", PDF_BYTES, content_type="application/pdf"
        ),
        document_type="end_user_certificate",
    )
    transaction_euc_record(
        transaction=transaction,
        user=user,
        euc_issuer=issuer,
        euc_number=f"EUC-{transaction.reference}",
        euc_issued_on=valid_until - datetime.timedelta(days=365),
        euc_valid_until=valid_until,
    )


@demo_seeder(order=36)
def seed_items_and_licences(ctx: DemoContext) -> None:
    organisation = ctx.organisations.get("demo")
    if organisation is None:
        return
    outcome = control_list_load_starter_set()
    if outcome.created:
        ctx.log(f"control list starter set: {outcome.created} entries")
    ControlListEntry.objects.get_or_create(
        organisation=organisation, code=ENCODER_ENTRY["code"], defaults=ENCODER_ENTRY
    )
    staff, manager = ctx.users["staff"], ctx.users["manager"]
    for reference, name, name_en, model, hs_code, parameters, listed in ITEMS:
        item, _created = Item.objects.get_or_create(
            organisation=organisation,
            reference=reference,
            defaults={
                "name": name,
                "name_en": name_en,
                "model_number": model,
                "hs_code": hs_code,
                "technical_parameters": parameters,
                "created_by": staff,
            },
        )
        if item.current_classification_id is None:
            classification = item_classify(
                item=item,
                user=staff,
                status="listed" if listed else "not_listed",
                control_code=ENCODER_ENTRY["code"] if listed else "",
                rationale=(
                    "演示数据：角度位置偏差优于 0.00025°，符合本单位录入的 2B006.b 示例条目的"
                    "技术指标；该条目文字未对照公告原文核对。/ Demo data: angular deviation better "
                    "than 0.00025° meets the sample wording of the organisation's entry 2B006.b, "
                    "which was not checked against the announcement."
                    if listed
                    else "演示数据：仅与工作台中录入的示例条目比对，技术指标均低于其阈值；未对照"
                    "公告原文全文核对。/ Demo data: compared only with the sample entries in the "
                    "workbench, every parameter below their thresholds; not checked against the "
                    "full text of the announcement."
                ),
            )
            classification_review(classification=classification, user=manager)
            ctx.log(f"item {reference}: {classification}")
    today = timezone.localdate()
    encoder = Item.objects.get(organisation=organisation, reference="ENC-R58")
    for number, kind, valid_days, end_user_ref, destinations, limit in (
        ("SQ2025-DE-0318", Licence.Kind.SINGLE, 300, "C-1001", ["DE"], Decimal("100")),
        (
            "TY2023-0007",
            Licence.Kind.GENERAL,
            45,
            None,
            ["DE", "IT", "NL", "SE", "CH"],
            Decimal("400"),
        ),
    ):
        if Licence.objects.filter(organisation=organisation, number=number).exists():
            continue
        end_users = [_party(organisation, end_user_ref)] if end_user_ref else []
        licence_save(
            organisation=organisation,
            user=manager,
            items=[encoder],
            end_users=[p for p in end_users if p],
            number=number,
            kind=kind,
            issued_on=today - datetime.timedelta(days=400 if kind == Licence.Kind.GENERAL else 60),
            valid_from=today - datetime.timedelta(days=400 if kind == Licence.Kind.GENERAL else 60),
            valid_until=today + datetime.timedelta(days=valid_days),
            destinations=destinations,
            quantity_limit=limit,
            value_limit=None,
            currency="EUR",
            conditions="不得转让给第三方；装运后 30 日内报告。"
            "/ No re-transfer; report within 30 days "
            "of shipment.",
        )
        ctx.log(f"licence {number}")


def _walk(transaction, user, *, voucher_case: str = "", **answers) -> None:
    """Walk every line's licensing decision path: "no" unless told otherwise."""
    from trade.licensing_reference import current_licensing_reference
    from trade.services.licence_path import licence_path_walk

    destination = transaction.destination_country.code
    base = {
        q.code: "no" for q in current_licensing_reference().questions if q.applies_to(destination)
    }
    for line in transaction.lines.select_related("transaction", "item").order_by("pk"):
        licence_path_walk(line=line, user=user, answers=base | answers, voucher_case=voucher_case)
    transaction.refresh_from_db()


def _order(ctx, reference, *, destination, end_use, lines, parties, **values):
    """Create the order as sales would (staff), or return None when it exists."""
    organisation = ctx.organisations["demo"]
    if Transaction.objects.filter(organisation=organisation, reference=reference).exists():
        return None
    staff = ctx.users["staff"]
    transaction = transaction_create(
        organisation=organisation,
        user=staff,
        reference=reference,
        destination_country=destination,
        end_use=end_use,
        order_date=timezone.localdate() - datetime.timedelta(days=values.pop("age", 5)),
        **values,
    )
    for item_ref, quantity, value in lines:
        item = Item.objects.get(organisation=organisation, reference=item_ref)
        transaction_line_add(
            transaction=transaction,
            user=staff,
            item=item,
            quantity=quantity,
            value=value,
            currency="EUR" if destination in ("DE", "IT") else "USD",
        )
    for role, party_ref in parties:
        party = _party(organisation, party_ref)
        if party is not None:
            transaction_party_add(transaction=transaction, user=staff, party=party, role=role)
    ctx.log(f"transaction {reference}")
    return transaction


@demo_seeder(order=37)
def seed_transactions(ctx: DemoContext) -> None:
    organisation = ctx.organisations.get("demo")
    if organisation is None or current_framework() is None:
        return
    staff, manager = ctx.users["staff"], ctx.users["manager"]
    for reference, name, name_latin, party_type, country, address in EXTRA_PARTIES:
        party, created = Party.objects.get_or_create(
            organisation=organisation,
            reference=reference,
            defaults={
                "name": name,
                "name_latin": name_latin,
                "party_type": party_type,
                "country": country,
                "address": address,
                "created_by": manager,
            },
        )
        if created:
            party_screen(party=party, user=manager)
    today = timezone.localdate()
    forwarder = ("forwarder", "F-2001")

    # 1. A clean order to Germany, approved.
    t = _order(
        ctx,
        "SO-2025-0101",
        destination="DE",
        end_use="用于最终用户自产数控机床的主轴位置反馈 / Spindle position feedback in CNC "
        "machine tools built by the end user",
        lines=[("ENC-I40", 50, Decimal("4250.00")), ("LS-300", 20, Decimal("7600.00"))],
        parties=[(PartyRole.BUYER, "C-1001"), (PartyRole.END_USER, "C-1001"), forwarder],
        stage=Transaction.Stage.CONTRACT,
        age=12,
    )
    if t:
        _answer_rest_no(t, staff)
        _walk(t, manager)
        transaction_licence_decide(
            transaction=t, user=manager, decision=LicenceDecision.NOT_CONTROLLED
        )
        transaction_submit(transaction=t, user=staff)
        transaction_approve(
            transaction=t,
            user=manager,
            note="清单外物项，各项审查通过。/ Unlisted items; all checks passed.",
        )

    # 2. Encoders to Germany under the single licence: approved, drawing the licence down.
    t = _order(
        ctx,
        "SO-2025-0102",
        destination="DE",
        end_use="用于最终用户五轴加工中心的转台角度测量 / Rotary-table angle measurement in the "
        "end user's 5-axis machining centres",
        lines=[("ENC-R58", 30, Decimal("28500.00"))],
        parties=[(PartyRole.BUYER, "C-1001"), (PartyRole.END_USER, "C-1001"), forwarder],
        stage=Transaction.Stage.PRODUCTION,
        age=20,
    )
    if t:
        _euc(
            organisation,
            t,
            staff,
            issuer="Müller Messtechnik GmbH, Stuttgart",
            valid_until=today + datetime.timedelta(days=240),
        )
        _answer_rest_no(t, staff)
        _walk(t, manager)
        transaction_licence_decide(
            transaction=t,
            user=manager,
            decision=LicenceDecision.COVERED,
            licence=Licence.objects.get(organisation=organisation, number="SQ2025-DE-0318"),
        )
        transaction_submit(transaction=t, user=staff)
        transaction_approve(
            transaction=t,
            user=manager,
            note="单项许可证 SQ2025-DE-0318 覆盖。/ Covered by SQ2025-DE-0318.",
        )

    # 3. A clean order to Italy, in review, waiting for Ms Chen.
    t = _order(
        ctx,
        "SO-2025-0103",
        destination="IT",
        end_use="Retrofit of lathes in the customer's own workshop / 客户自有车间车床改造",
        lines=[("SPN-80", 4, Decimal("18800.00"))],
        parties=[(PartyRole.BUYER, "C-2101"), (PartyRole.END_USER, "C-2101")],
        stage=Transaction.Stage.QUOTATION,
        age=2,
    )
    if t:
        _answer_rest_no(t, staff)
        transaction_submit(transaction=t, user=staff)

    # 4. Encoders to Russia: on hold until the licence question and the EUC are settled.
    t = _order(
        ctx,
        "SO-2025-0104",
        destination="RU",
        end_use="Заявлено: станки для гражданского машиностроения / 申报用途：民用机械制造机床",
        lines=[("ENC-R90", 8, Decimal("15200.00"))],
        parties=[(PartyRole.BUYER, "C-1004"), (PartyRole.END_USER, "C-1005")],
        stage=Transaction.Stage.ENQUIRY,
        age=9,
        transit_countries=["KZ"],
    )
    if t:
        _walk(t, manager)  # a listed line: single licence
        transaction_submit(transaction=t, user=staff)
        transaction_licence_decide(
            transaction=t,
            user=manager,
            decision=LicenceDecision.SINGLE_REQUIRED,
            note="需申请单项许可 / A single licence is needed.",
        )
        transaction_hold(
            transaction=t,
            user=manager,
            reason="管控物项，待取得最终用户证明并申请单项许可。/ Controlled item: waiting for the "
            "EUC and the single licence.",
        )

    # 5. The UAE: the end user is a trading company in a free zone; sales answered "unknown".
    t = _order(
        ctx,
        "SO-2025-0105",
        destination="AE",
        end_use="Resale to machine builders in the Gulf region / 转售给海湾地区机床制造商",
        lines=[("ENC-I40", 40, Decimal("3200.00"))],
        parties=[(PartyRole.BUYER, "C-1009"), (PartyRole.END_USER, "C-1009")],
        stage=Transaction.Stage.QUOTATION,
        age=4,
    )
    if t:
        flag = RedFlag.objects.get(framework=current_framework(), ref_id="RF-BIS-02")
        red_flag_answer(
            transaction=t,
            user=staff,
            red_flag=flag,
            answer=Answer.UNKNOWN,
            note="客户为自贸区贸易公司，实际最终用户不明。"
            "/ Trading company in a free zone; the real end user is unknown.",
        )
        transaction_submit(transaction=t, user=staff)
        transaction_hold(
            transaction=t,
            user=manager,
            reason="已要求客户提供最终用户证明并说明实际最终用户。/ Asked the customer for the EUC "
            "and the name of the real end user.",
        )

    # 6. Vietnam: encoders with an expired end-user certificate, in review.
    t = _order(
        ctx,
        "SO-2025-0106",
        destination="VN",
        end_use="Machining centres for motorcycle parts / 摩托车零件加工中心",
        lines=[("ENC-R58", 6, Decimal("6300.00"))],
        parties=[(PartyRole.BUYER, "C-1011"), (PartyRole.END_USER, "C-2102")],
        stage=Transaction.Stage.CONTRACT,
        age=15,
    )
    if t:
        _euc(
            organisation,
            t,
            staff,
            issuer="Saigon Precision Engineering Co., Ltd.",
            valid_until=today - datetime.timedelta(days=20),
        )
        transaction_submit(transaction=t, user=staff)

    # 7. Malaysia: rejected.
    t = _order(
        ctx,
        "SO-2025-0107",
        destination="MY",
        end_use="Not stated / 未说明",
        lines=[("ENC-R90", 2, Decimal("3800.00"))],
        parties=[(PartyRole.BUYER, "C-1015"), (PartyRole.END_USER, "C-1015")],
        stage=Transaction.Stage.ENQUIRY,
        age=30,
    )
    if t:
        transaction_submit(transaction=t, user=staff)
        transaction_reject(
            transaction=t,
            user=manager,
            reason="客户拒绝说明最终用途并拒绝出具最终用户证明。"
            "/ The customer refused to state the "
            "end use and to sign an end-user certificate.",
        )

    # 8. Türkiye through a Dutch agent, with an end user that hits a Chinese list.
    t = _order(
        ctx,
        "SO-2025-0108",
        destination="TR",
        end_use="Test benches / 测试台",
        lines=[("LS-300", 10, Decimal("3800.00"))],
        parties=[
            (PartyRole.BUYER, "C-1006"),
            (PartyRole.INTERMEDIARY, "C-1002"),
            (PartyRole.END_USER, "C-2103"),
        ],
        stage=Transaction.Stage.ENQUIRY,
        age=1,
    )
    if t:
        transaction_submit(transaction=t, user=staff)

    # 9. Türkiye, clean, with a blocking flag raised and resolved by Ms Chen.
    t = _order(
        ctx,
        "SO-2025-0109",
        destination="TR",
        end_use="Otomotiv yan sanayi CNC tezgâhları / 汽车零部件数控机床",
        lines=[("SPN-80", 2, Decimal("9400.00")), ("ENC-I40", 12, Decimal("1020.00"))],
        parties=[(PartyRole.BUYER, "C-1007"), (PartyRole.END_USER, "C-1008")],
        stage=Transaction.Stage.CONTRACT,
        age=6,
    )
    if t:
        flag = RedFlag.objects.get(framework=current_framework(), ref_id="RF-CN-04")
        answer = red_flag_answer(
            transaction=t,
            user=staff,
            red_flag=flag,
            answer=Answer.UNKNOWN,
            note="客户提到可能增设第二工厂。/ The customer mentioned a possible second plant.",
        )
        red_flag_resolve(
            answer=answer,
            user=manager,
            justification="已取得最终用户书面确认：设备仅安装于盖布泽工厂。"
            "/ Written confirmation from "
            "the end user: installation at the Gebze plant only.",
        )
        _answer_rest_no(t, staff)
        _walk(t, manager)
        transaction_licence_decide(
            transaction=t, user=manager, decision=LicenceDecision.NOT_CONTROLLED
        )
        transaction_submit(transaction=t, user=staff)

    # 10. Training of Vietnamese service engineers: a technology transfer, still a draft.
    _order(
        ctx,
        "TT-2025-0003",
        destination="VN",
        end_use="编码器安装与维修培训 / Installation and repair training for encoders",
        lines=[("ENC-I40", 1, Decimal("0.00"))],
        parties=[(PartyRole.END_USER, "C-2102")],
        kind=Transaction.Kind.TECHNOLOGY_TRANSFER,
        is_intangible=True,
        age=0,
    )

    # 11. An unlisted encoder, but the end user's website shows it supplies a missile institute:
    # the catch-all applies (ECL Art. 12(3)): apply for a licence or report.
    t = _order(
        ctx,
        "SO-2025-0110",
        destination="VN",
        end_use="Machining centres / 加工中心",
        lines=[("ENC-I40", 10, Decimal("850.00"))],
        parties=[(PartyRole.BUYER, "C-1011"), (PartyRole.END_USER, "C-2102")],
        stage=Transaction.Stage.ENQUIRY,
        age=3,
    )
    if t:
        _walk(t, manager, wmd="yes")

    # 12. Listed encoders for a US end user that builds military aircraft: prohibited
    # (MOFCOM Announcement 2024 No. 46).
    t = _order(
        ctx,
        "SO-2025-0111",
        destination="US",
        end_use="Gimbal position feedback in airborne systems / 机载系统云台位置反馈",
        lines=[("ENC-R58", 4, Decimal("3800.00"))],
        parties=[(PartyRole.BUYER, "C-2103"), (PartyRole.END_USER, "C-2103")],
        stage=Transaction.Stage.ENQUIRY,
        age=2,
    )
    if t:
        _walk(t, manager, military_end_use="yes")

    # 13. A repaired encoder going back to the German customer: an export voucher by
    # registration (REGS Art. 19(1)(1)).
    voucher_number = "DJ2025-RR-0042"
    if not Licence.objects.filter(organisation=organisation, number=voucher_number).exists():
        encoder = Item.objects.get(organisation=organisation, reference="ENC-R58")
        customer = _party(organisation, "C-1001")
        licence_save(
            organisation=organisation,
            user=manager,
            items=[encoder],
            end_users=[customer] if customer else [],
            number=voucher_number,
            kind=Licence.Kind.VOUCHER,
            issued_on=today - datetime.timedelta(days=2),
            valid_from=today - datetime.timedelta(days=2),
            valid_until=today + datetime.timedelta(days=60),
            destinations=["DE"],
            quantity_limit=Decimal("1"),
            value_limit=None,
            currency="EUR",
            conditions="原样复运给原最终用户，不得转售。/ Back to the original end user as "
            "repaired; no resale.",
            voucher_case="repair_return_inbound",
            return_due_on=today + datetime.timedelta(days=30),
        )
    t = _order(
        ctx,
        "RR-2025-0001",
        destination="DE",
        end_use="维修后复运给原最终用户 / Returned to the original end user after repair",
        lines=[("ENC-R58", 1, Decimal("0.00"))],
        parties=[(PartyRole.BUYER, "C-1001"), (PartyRole.END_USER, "C-1001")],
        stage=Transaction.Stage.AFTER_SALES,
        age=1,
    )
    if t:
        _walk(t, manager, voucher_case="repair_return_inbound")
