"""Demo lists: China's four lists from the reference library with their example parties, a small
UN and US CSL sample imported through the adapters, and the demo enterprise's in-house list."""

import re
from pathlib import Path

import yaml
from django.conf import settings

from core.demo import DemoContext, demo_seeder
from reference.services import DEFAULT_FRAMEWORK_FILE
from screening.adapters import EntityRecord
from screening.adapters.icp_csv import render_icp_csv
from screening.models import ScreeningList, ScreeningSettings
from screening.services.legal import default_severity
from screening.services.lists import list_import

SAMPLES = Path(settings.BASE_DIR) / "docs" / "list-formats" / "samples"
DEMO_REMARK = "演示数据，请以商务部公告原文为准 / Demo data, verify against MOFCOM announcements."

# Chinese names used in the announcements' Chinese texts, where known to us; demo only.
CHINESE_NAMES = {
    "Huntington Ingalls Industries, Inc.": "亨廷顿·英格尔斯工业公司",
    "Planate Management Group": "普兰纳特管理集团",
    "Global Dimensions LLC": "全球维度有限责任公司",
    "Sierra Nevada Corporation": "内华达山脉公司",
    "Cubic Corporation": "立方公司",
    "Saronic Technologies, Inc.": "萨罗尼克科技公司",
    "Oceaneering International, Inc.": "海洋工程国际公司",
    "IHI Aerospace Co., Ltd.": "IHI航空航天株式会社",
    "Japan Aerospace Exploration Agency (JAXA)": "日本宇宙航空研究开发机构",
    "National Defense Academy of Japan": "日本防卫大学校",
    "SUBARU Corporation": "斯巴鲁株式会社",
    "TDK Corporation": "TDK株式会社",
    "ENEOS Corporation": "ENEOS株式会社",
    "Lockheed Martin Corporation": "洛克希德·马丁公司",
    "Raytheon Missiles & Defense": "雷神导弹与防务公司",
    "Aerkomm Inc.": "艾尔康姆公司",
    "UAB Urbo Bankas": "乌尔博银行",
    "AB Mano Bankas": "马诺银行",
}
COUNTRIES = {
    "IHI Aerospace Co., Ltd.": "JP",
    "Japan Aerospace Exploration Agency (JAXA)": "JP",
    "National Defense Academy of Japan": "JP",
    "SUBARU Corporation": "JP",
    "TDK Corporation": "JP",
    "ENEOS Corporation": "JP",
    "UAB Urbo Bankas": "LT",
    "AB Mano Bankas": "LT",
}
SEVERITY = {"CN-WATCH-LIST": ScreeningList.Severity.RED_FLAG}


def _chinese_list_records(entry: dict) -> list[EntityRecord]:
    records = []
    for example in entry.get("examples", []):
        found = re.search(r"(\d{4}) No\. (\d+)", example["announcement"])
        notice = f"{found.group(1)}-{found.group(2)}" if found else "0"
        for position, party in enumerate(example["parties"], start=1):
            aliases = []
            if party in CHINESE_NAMES:
                aliases.append({"text": CHINESE_NAMES[party], "weak": False})
            records.append(
                EntityRecord(
                    entity_id=f"{entry['code']}-{notice}-{position:02d}",
                    name=party,
                    aliases=aliases,
                    countries=[COUNTRIES.get(party, "US")],
                    programme=example["announcement"],
                    remarks="\n".join(
                        filter(
                            None,
                            [
                                # REGS Art. 29: the listing announcement states the measures
                                example.get("measures_zh", ""),
                                example.get("measures_en", ""),
                                example.get("note", ""),
                                DEMO_REMARK,
                            ],
                        )
                    ),
                    source_url="https://exportcontrol.mofcom.gov.cn/",
                )
            )
    return records


@demo_seeder(order=30)
def seed_public_lists(ctx: DemoContext) -> None:
    """China's lists from the reference library, plus UN and US CSL samples."""
    data = yaml.safe_load(Path(DEFAULT_FRAMEWORK_FILE).read_text(encoding="utf-8"))
    for entry in data.get("screening_lists", []):
        screening_list, _created = ScreeningList.objects.get_or_create(
            code=entry["code"],
            organisation=None,
            defaults={
                "name_zh": entry["name_zh"],
                "name_en": entry["name_en"],
                "issuer": entry.get("issuer", ""),
                "legal_basis": entry.get("legal_basis_zh") or entry.get("legal_basis", ""),
                "effect_zh": entry.get("effect_zh", ""),
                "effect_en": entry.get("effect", ""),
                "legal_category": entry.get("legal_category", "prc_law"),
                "severity": SEVERITY.get(entry["code"], ScreeningList.Severity.BLOCK),
                "source_url": "https://exportcontrol.mofcom.gov.cn/",
            },
        )
        if screening_list.versions.exists():
            continue  # seeding never replaces a list's content: create only when absent
        content = render_icp_csv(_chinese_list_records(entry), list_code=entry["code"])
        outcome = list_import(
            screening_list=screening_list,
            content=content.encode("utf-8"),
            file_format="icp-csv",
            filename=f"{entry['code']}.csv",
        )
        if outcome.created:
            ctx.log(f"list {entry['code']} v{outcome.version.number}")
    for code, name_zh, name_en, file_format, filename, issuer, category in (
        (
            "UN-SC",
            "联合国安理会综合制裁名单（样例）",
            "UN Security Council consolidated list (sample)",
            "un-xml",
            "un-xml-sample.xml",
            "UN Security Council",
            ScreeningList.LegalCategory.UN,
        ),
        (
            "US-CSL",
            "美国综合筛查名单（样例）",
            "US Consolidated Screening List (sample)",
            "csl-json",
            "csl-json-sample.json",
            "US Department of Commerce / State / Treasury",
            # a foreign state's unilateral list: a warning for enhanced review, never a
            # prohibition under PRC law (see screening.services.legal)
            ScreeningList.LegalCategory.FOREIGN_UNILATERAL,
        ),
    ):
        screening_list, _ = ScreeningList.objects.get_or_create(
            code=code,
            organisation=None,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "issuer": issuer,
                "legal_category": category,
                "severity": default_severity(category),
            },
        )
        if screening_list.versions.exists():
            continue
        outcome = list_import(
            screening_list=screening_list,
            content=(SAMPLES / filename).read_bytes(),
            file_format=file_format,
            filename=filename,
        )
        if outcome.created:
            ctx.log(f"list {code} v{outcome.version.number}")


@demo_seeder(order=31)
def seed_inhouse_list(ctx: DemoContext) -> None:
    """The demo enterprise's own list of parties it will not deal with."""
    organisation = ctx.organisations.get("demo")
    if organisation is None:
        return
    screening_list, _ = ScreeningList.objects.get_or_create(
        code="DEMO-INHOUSE",
        organisation=organisation,
        defaults={
            "name_zh": "内部禁止交易名单",
            "name_en": "In-house denied parties",
            "issuer": organisation.name_zh,
            "legal_category": ScreeningList.LegalCategory.IN_HOUSE,
            "severity": ScreeningList.Severity.BLOCK,
        },
    )
    ScreeningSettings.objects.get_or_create(organisation=organisation)
    if screening_list.versions.exists():
        return  # the organisation's own list is its data: never overwritten by seeding
    outcome = list_import(
        screening_list=screening_list,
        content=(SAMPLES / "icp-csv-sample.csv").read_bytes(),
        file_format="icp-csv",
        filename="icp-csv-sample.csv",
        user=ctx.users.get("manager"),
    )
    if outcome.created:
        ctx.log(f"list DEMO-INHOUSE v{outcome.version.number}")


# The demo enterprise's parties, screened against these lists (order 35).
from screening import demo_parties  # noqa: E402, F401
