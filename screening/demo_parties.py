"""Demo parties of the demo enterprise: distributors and customers in Europe, Russia, Türkiye,
the UAE and South-East Asia, its forwarders and bank, each screened; one potential match is
adjudicated as a false positive and one waits for Ms Chen's decision."""

from core.demo import DemoContext, demo_seeder
from screening.models import Adjudication, HitDecision, Party, PartyType
from screening.services.parties import party_screen
from screening.services.screening import hit_adjudicate

# (reference, name, name_latin, type, country, address, individual)
DEMO_PARTIES = [
    (
        "C-1001",
        "Müller Messtechnik GmbH",
        "",
        PartyType.CUSTOMER,
        "DE",
        "Industriestraße 12, 70565 Stuttgart",
    ),
    (
        "C-1002",
        "Precision Motion Systems B.V.",
        "",
        PartyType.AGENT,
        "NL",
        "Esp 300, 5633 AE Eindhoven",
    ),
    (
        "C-1003",
        "Nordic Sensor Solutions AB",
        "",
        PartyType.CUSTOMER,
        "SE",
        "Lindholmspiren 5, 417 56 Göteborg",
    ),
    (
        "C-1004",
        "ООО «ТехноСенсор»",
        "OOO TekhnoSensor",
        PartyType.CUSTOMER,
        "RU",
        "ул. Малышева 51, Екатеринбург",
    ),
    (
        "C-1005",
        "АО «Уралприбор»",
        "AO Uralpribor",
        PartyType.END_USER,
        "RU",
        "пр. Ленина 24, Челябинск",
    ),
    (
        "C-1006",
        "Anadolu Hassas Makina San. ve Tic. A.Ş.",
        "",
        PartyType.CUSTOMER,
        "TR",
        "Nilüfer OSB, 16140 Bursa",
    ),
    (
        "C-1007",
        "Ege Otomasyon Ltd. Şti.",
        "",
        PartyType.AGENT,
        "TR",
        "Atatürk OSB, 35620 Çiğli, İzmir",
    ),
    ("C-1008", "Orion Mekatronik A.Ş.", "", PartyType.END_USER, "TR", "Gebze OSB, 41400 Kocaeli"),
    (
        "C-1009",
        "Al Noor Industrial Supplies LLC",
        "",
        PartyType.AGENT,
        "AE",
        "Industrial Area 6, Sharjah",
    ),
    (
        "C-1010",
        "Gulf Horizon Trading LLC",
        "海湾地平线贸易有限责任公司",
        PartyType.CONSIGNEE,
        "AE",
        "Mussafah M-12, Abu Dhabi",
    ),
    (
        "C-1011",
        "Emirates Metrology Centre FZCO",
        "",
        PartyType.CUSTOMER,
        "AE",
        "Dubai Silicon Oasis, Dubai",
    ),
    (
        "C-1012",
        "Công ty TNHH Kỹ thuật Chính xác Sài Gòn",
        "Saigon Precision Engineering Co., Ltd.",
        PartyType.CUSTOMER,
        "VN",
        "KCN Tân Bình, TP. Hồ Chí Minh",
    ),
    (
        "C-1013",
        "Thai Automation Parts Co., Ltd.",
        "",
        PartyType.CUSTOMER,
        "TH",
        "Amata City, Rayong 21000",
    ),
    (
        "C-1014",
        "PT Mitra Sensorindo",
        "",
        PartyType.AGENT,
        "ID",
        "Batamindo Industrial Park, Batam",
    ),
    (
        "C-1015",
        "Penang Motion Control Sdn. Bhd.",
        "",
        PartyType.CUSTOMER,
        "MY",
        "Bayan Lepas FIZ, 11900 Penang",
    ),
    (
        "C-1016",
        "大连北方精密仪器贸易有限公司",
        "Dalian North Precision Instruments Trading Co., Ltd.",
        PartyType.INTERMEDIATE_CONSIGNEE,
        "CN",
        "辽宁省大连市甘井子区红旗西路18号",
    ),
    (
        "F-2001",
        "敦豪全球货运（中国）有限公司",
        "DHL Global Forwarding (China) Co., Ltd.",
        PartyType.FORWARDER,
        "CN",
        "上海市长宁区福泉北路",
    ),
    (
        "F-2002",
        "中国外运江苏有限公司",
        "Sinotrans Jiangsu Co., Ltd.",
        PartyType.FORWARDER,
        "CN",
        "江苏省南京市",
    ),
    (
        "B-3001",
        "中国银行股份有限公司苏州分行",
        "Bank of China Suzhou Branch",
        PartyType.BANK,
        "CN",
        "江苏省苏州市工业园区",
    ),
    (
        "C-1017",
        "Schmidt & Partner Automation AG",
        "",
        PartyType.CUSTOMER,
        "CH",
        "Bahnhofstrasse 40, 8400 Winterthur",
    ),
]

FALSE_POSITIVE = (
    "C-1010",
    "INH-002",
    "不同主体：对方为阿布扎比本土注册公司（营业执照 CN-2791345，2019 年成立），"
    "股东和地址与内部名单中的迪拜自贸区公司不同；已核对营业执照。"
    "/ Different company: Abu Dhabi mainland licence, other owners "
    "and address than the listed Jebel Ali FZE; trade licence checked.",
)


@demo_seeder(order=35)
def seed_parties(ctx: DemoContext) -> None:
    organisation = ctx.organisations.get("demo")
    if organisation is None:
        return
    manager = ctx.users.get("manager")
    for reference, name, name_latin, party_type, country, address in DEMO_PARTIES:
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
        if party.last_screening_id is None:
            party_screen(party=party, user=manager)
            if created:
                ctx.log(f"party {reference} {name}: {party.get_screening_status_display()}")
    reference, entity_id, reason = FALSE_POSITIVE
    party = Party.objects.get(organisation=organisation, reference=reference)
    hit = (
        party.last_screening.hits.filter(entity_key=entity_id)
        .exclude(decision=HitDecision.CLEAR)
        .first()
    )
    if (
        hit is not None
        and not Adjudication.objects.filter(hit=hit).exists()
        and hit.remembered_id is None
    ):
        hit_adjudicate(
            hit=hit,
            organisation=organisation,
            user=manager,
            outcome=Adjudication.Outcome.FALSE_POSITIVE,
            reason=reason,
        )
        ctx.log(f"false positive recorded for {party.name}")
