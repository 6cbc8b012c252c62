"""Each corrected legal statement, checked against the law texts in shared/reference/law/."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from icp.demo.emergency import PLANS
from icp.models import REPORTABLE_SCENARIOS, Scenario
from icp.services.policy_template import POLICY_TEMPLATE
from reference.models import LegalProvision, RedFlag
from reference.services import DEFAULT_FRAMEWORK_FILE, reference_framework_load

LAW_DIR = Path(settings.BASE_DIR).parent.parent / "shared" / "reference" / "law"
if not LAW_DIR.exists():  # the main checkout sits beside shared/
    LAW_DIR = Path(settings.BASE_DIR).parent / "shared" / "reference" / "law"
LAW_FILES = {"ECL": "export-control-law-2020.md", "REGS": "dual-use-regulations-2024.md"}
LAW_NAMES = {"ECL": "《出口管制法》", "REGS": "《两用物项出口管制条例》"}
DIGITS = dict(zip("一二三四五六七八九", range(1, 10), strict=True))

pytestmark = pytest.mark.skipif(not LAW_DIR.exists(), reason="the law texts are not checked out")


def _law(law: str) -> str:
    return (LAW_DIR / LAW_FILES[law]).read_text(encoding="utf-8")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _article(law: str, number: int) -> str:
    """The text of one article, paragraphs joined."""
    text = _law(law)
    numerals = _chinese_number(number)
    start = text.index(f"第{numerals}条 ")
    following = re.search(r"\n第[一二三四五六七八九十百]+条 ", text[start + 1 :])
    return text[start : start + 1 + following.start()] if following else text[start:]


def _chinese_number(number: int) -> str:
    units = "一二三四五六七八九"
    if number < 10:
        return units[number - 1]
    tens, ones = divmod(number, 10)
    return ("" if tens == 1 else units[tens - 1]) + "十" + (units[ones - 1] if ones else "")


def _framework_data() -> dict:
    return yaml.safe_load(Path(DEFAULT_FRAMEWORK_FILE).read_text(encoding="utf-8"))


# --- penalties: ECL Arts. 34, 37 and 43 are three statements ------------------------------------


def test_the_policy_template_states_the_three_penalty_provisions_separately():
    zh, en = POLICY_TEMPLATE["body_zh"], POLICY_TEMPLATE["body_en"]
    assert "五倍至二十倍" not in zh and "five to twenty" not in en
    art34 = _flat(_article("ECL", 34))
    art37 = _flat(_article("ECL", 37))
    art43 = _flat(_article("ECL", 43))
    clause34 = "违法经营额五十万元以上的，并处违法经营额五倍以上十倍以下罚款"
    clause37 = "违法经营额五十万元以上的，并处违法经营额十倍以上二十倍以下罚款"
    below = "没有违法经营额或者违法经营额不足五十万元的，并处五十万元以上五百万元以下罚款"
    assert clause34 in art34 and clause37 in art37 and below in art34 and below in art37
    assert "依法追究刑事责任" in art43
    paragraphs = {
        number: next(line for line in zh.splitlines() if f"《出口管制法》第{name}条" in line)
        for number, name in ((34, "三十四"), (37, "三十七"), (43, "四十三"))
    }
    assert clause34 in paragraphs[34] and below in paragraphs[34]
    assert clause37 in paragraphs[37] and below in paragraphs[37]
    assert "刑事责任" in paragraphs[43] and "罚款" not in paragraphs[43]
    for article in ("Art. 34", "Art. 37", "Art. 43"):
        assert article in en
    assert "five to ten times" in en and "ten to twenty times" in en


def test_every_article_the_policy_template_cites_exists_and_says_what_is_quoted():
    zh = POLICY_TEMPLATE["body_zh"]
    cited = re.findall(r"《出口管制法》第([一二三四五六七八九十]+)条", zh)
    assert cited
    law = _law("ECL")
    for numeral in cited:
        assert f"第{numeral}条 " in law


# --- provisions quoted verbatim match the law; title-only entries got their content ------------


def test_provisions_marked_official_are_verbatim_law_text():
    official = [p for p in _framework_data()["legal_provisions"] if p.get("zh_official")]
    assert {p["id"] for p in official} >= {"REGS-29", "REGS-30", "REGS-35", "REGS-40", "ECL-37"}
    for provision in official:
        number = int(re.match(r"\d+", str(provision["article"])).group())
        article = _flat(_article(provision["law"], number))
        assert _flat(provision["text_zh"]) in article, provision["id"]


@pytest.mark.parametrize("ref_id", ["REGS-28", "REGS-29", "REGS-30", "REGS-40", "ECL-43"])
def test_reference_entries_carry_the_content_of_the_article(reference, ref_id):
    provision = LegalProvision.objects.get(framework=reference, ref_id=ref_id)
    assert len(provision.text_zh) > 60 and len(provision.text_en) > 100
    law, number = ref_id.split("-")
    article = _flat(_article(law, int(number)))
    # every clause of the Chinese text is the law's own wording or a close paraphrase of it
    first_clause = re.split(r"[，；：]", provision.text_zh)[0]
    assert first_clause in article or provision.ref_id == "REGS-28"


def test_the_regs_art_35_entry_names_all_three_provisions_it_refers_to(reference):
    provision = LegalProvision.objects.get(framework=reference, ref_id="REGS-35")
    for part in ("第十四条第三款", "第十八条第四款", "第二十五条"):
        assert part in provision.text_zh
    for part in ("Art. 14(3)", "Art. 18(4)", "Art. 25"):
        assert part in provision.text_en


# --- research notes are not provisions ---------------------------------------------------------


def test_research_notes_are_never_loaded_as_legal_provisions(reference):
    assert not LegalProvision.objects.filter(topic="note").exists()
    assert not LegalProvision.objects.filter(ref_id__icontains="note").exists()
    notes = _framework_data()["research_notes"]
    assert notes and all("text_zh" in note for note in notes)


def test_loading_again_removes_a_note_filed_as_a_provision_earlier(reference):
    LegalProvision.objects.create(
        framework=reference,
        ref_id="ECL-23-note",
        law="ECL",
        article="23",
        topic="note",
        text_en="Concerns the military-products export monopoly, NOT records.",
    )
    reference_framework_load()
    assert not LegalProvision.objects.filter(ref_id="ECL-23-note").exists()
    assert LegalProvision.objects.filter(framework=reference, ref_id="ECL-34").exists()


# --- reportable scenarios (REGS Art. 35 complete; Art. 19(3); Art. 38) -----------------------


def test_reportable_scenarios_cover_art_35_art_19_and_art_38():
    assert set(REPORTABLE_SCENARIOS) == {
        Scenario.END_USE_CHANGED,
        Scenario.EUC_INVALID,
        Scenario.EUC_IMPROPER,
        Scenario.CATCH_ALL,
        Scenario.MOFCOM_LICENCE_NOTICE,
        Scenario.VOUCHER_NOT_APPLICABLE,
        Scenario.FOREIGN_VERIFICATION,
    }
    assert Scenario.SUSPECTED_VIOLATION not in REPORTABLE_SCENARIOS
    assert "Art. 14(3)" in str(REPORTABLE_SCENARIOS[Scenario.CATCH_ALL])
    assert "Art. 18(4)" in str(REPORTABLE_SCENARIOS[Scenario.MOFCOM_LICENCE_NOTICE])
    assert "Art. 19(3)" in str(REPORTABLE_SCENARIOS[Scenario.VOUCHER_NOT_APPLICABLE])
    art19 = _article("REGS", 19)
    assert "应当立即停止出口并向国务院商务主管部门报告" in art19


def test_the_demo_has_a_response_plan_for_every_reportable_scenario():
    assert set(REPORTABLE_SCENARIOS) <= {plan[0] for plan in PLANS}


def test_the_whistle_blowing_plan_cites_the_guidance_and_ecl_art_31_not_art_35():
    plan = next(plan for plan in PLANS if plan[0] == Scenario.SUSPECTED_VIOLATION)
    basis = plan[-1]
    assert "《出口管制法》第三十一条" in basis and "商务部公告2021年第10号" in basis
    assert "第三十五条" not in basis and "Art. 35" not in basis
    assert "举报" in _article("ECL", 31)
    assert "打击报复" in plan[3]  # protection against retaliation is a step of the plan


def test_demo_plans_cite_articles_that_exist_in_chinese_form():
    for plan in PLANS:
        basis = plan[-1]
        assert "REGS" not in basis and "Art." not in basis
        for law, name in LAW_NAMES.items():
            for chunk in re.findall(name + r"([^；《]+)", basis):
                for numeral in re.findall(r"第([一二三四五六七八九十]+)条", chunk):
                    assert f"第{numeral}条 " in _law(law), (plan[1], numeral)


# --- the listing effect of the control list follows each announcement (REGS Art. 29) --------


def test_the_control_list_effect_follows_each_announcement():
    entry = next(e for e in _framework_data()["screening_lists"] if e["code"] == "CN-CONTROL-LIST")
    assert "以将其列入名单的公告为准" in entry["effect_zh"]
    assert "announcement that listed it" in entry["effect"]
    assert entry["legal_basis_zh"].startswith("《出口管制法》第十八条")
    assert all(example.get("measures_zh") for example in entry["examples"])
    art29 = _article("REGS", 29)
    for measure in ("禁止有关两用物项交易", "限制有关两用物项交易", "责令中止有关两用物项出口"):
        assert measure in art29 and measure in entry["effect_zh"]


# --- red flags: PRC statutory triggers first, duplicates merged, grouped by theme -----------


def test_red_flags_put_statutory_triggers_first_and_group_the_rest_by_theme(reference):
    asked = list(RedFlag.objects.filter(framework=reference, merged_into="").order_by("order"))
    statutory = [flag for flag in asked if flag.ref_id.startswith("RF-CN-")]
    assert asked[: len(statutory)] == statutory
    themes = [flag.category for flag in asked[len(statutory) :]]
    # each theme forms one contiguous group
    seen = []
    for theme in themes:
        if not seen or seen[-1] != theme:
            assert theme not in seen, theme
            seen.append(theme)
    assert all(flag.category in RedFlag.Theme.values for flag in asked)


def test_merged_red_flags_keep_their_code_and_name_a_flag_that_is_asked(reference):
    merged = RedFlag.objects.filter(framework=reference).exclude(merged_into="")
    assert {"RF-EU-08", "RF-BISKYC-04", "RF-CNSC-04"} <= set(
        merged.values_list("ref_id", flat=True)
    )
    asked = set(
        RedFlag.objects.filter(framework=reference, merged_into="").values_list("ref_id", flat=True)
    )
    assert all(flag.merged_into in asked for flag in merged)
    keeper = RedFlag.objects.get(framework=reference, ref_id="RF-BIS-02")
    assert "clear answers" in keeper.text_en  # the merged question now asks both


# --- demo classification labels are honest -----------------------------------------------------


def test_demo_control_list_entry_says_it_was_not_checked():
    from trade.demo_transactions import ENCODER_ENTRY

    label = ENCODER_ENTRY["source_label"]
    assert "未对照" in label and "not checked" in label
    assert "checked by" not in label


def test_an_incident_names_the_provisions_that_require_its_report():
    from icp.models import Incident

    assert "Art. 14(3)" in Incident(scenario=Scenario.CATCH_ALL).reporting_basis
    assert "Art. 38" in Incident(scenario=Scenario.FOREIGN_VERIFICATION).reporting_basis
    assert Incident(scenario=Scenario.SUSPECTED_VIOLATION).reporting_basis == ""
