"""Ms Chen imports her company's control list, then its party register: each first file has a
bad row, named by row and column with nothing written; the corrected file shows what would
change, and only her confirmation imports it."""

import pytest

from tests.accounts.factories import TEST_PASSWORD
from tests.e2e.conftest import log_in
from trade.models import ControlListEntry, ControlListVersion

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

GOOD = (
    "管制编码,中文描述,英文描述,类别\n"
    "1C351,人及人畜共患病原体,Human and zoonotic pathogens,1\n"
    "3A001.a.1.a,抗辐射集成电路,Radiation-hardened integrated circuits,3\n"
)
BAD = GOOD + "3A00X!,坏编码,Bad code,3\n"


def _upload(page, tmp_path, text: str) -> None:
    path = tmp_path / "control-list.csv"
    path.write_text(text, encoding="utf-8")
    page.goto("/trade/control-list/import/")
    page.set_input_files("input[name=file]", str(path))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("[data-testid=import-preview]")


def test_manager_previews_the_control_list_then_confirms_it(page, world, tmp_path):
    log_in(page, "manager@acme.test", TEST_PASSWORD)

    _upload(page, tmp_path, BAD)
    problems = page.locator("[data-testid=import-problems]").inner_text()
    assert "4" in problems and "code" in problems and "3A00X!" in problems
    assert page.locator("[data-testid=import-confirm]").count() == 0
    assert not ControlListEntry.objects.filter(organisation=world.organisation).exists()

    _upload(page, tmp_path, GOOD)
    assert "2 rows read" in page.locator("[data-testid=import-rows-read]").inner_text()
    new = page.locator("[data-testid=import-new]").inner_text()
    assert "2" in new and "1C351" in new and "3A001.a.1.a" in new
    assert not ControlListVersion.objects.filter(organisation=world.organisation).exists()

    page.click("[data-testid=import-confirm]")
    page.wait_for_selector("text=Imported version 1")
    assert page.url.endswith("/trade/control-list/")
    codes = ControlListEntry.objects.filter(organisation=world.organisation).values_list(
        "code", flat=True
    )
    assert sorted(codes) == ["1C351", "3A001.a.1.a"]


PARTIES_GOOD = (
    "客户名称,国家,地址,客户编号\n海湾贸易有限公司,阿联酋,迪拜,C-1\nNordic Sensor AB,SE,Kista,C-2\n"
)
PARTIES_BAD = PARTIES_GOOD + "Mars Trading,火星,,C-3\n"


def _upload_parties(page, tmp_path, text: str) -> None:
    path = tmp_path / "客户.csv"
    path.write_text(text, encoding="utf-8")
    page.goto("/parties/import/")
    page.set_input_files("input[name=file]", str(path))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("[data-testid=import-preview]")


def test_manager_previews_the_party_register_then_confirms_it(page, world, tmp_path):
    from screening.models import Party
    from tests.screening.factories_parties import PartyFactory

    PartyFactory(organisation=world.organisation, name="Gulf Trading", reference="C-1")
    log_in(page, "manager@acme.test", TEST_PASSWORD)

    _upload_parties(page, tmp_path, PARTIES_BAD)
    problems = page.locator("[data-testid=import-problems]").inner_text()
    assert "4" in problems and "country" in problems and "火星" in problems
    assert page.locator("[data-testid=import-confirm]").count() == 0

    _upload_parties(page, tmp_path, PARTIES_GOOD)
    assert "2 rows read" in page.locator("[data-testid=import-rows-read]").inner_text()
    assert "Nordic Sensor AB" in page.locator("[data-testid=import-new]").inner_text()
    updated = page.locator("[data-testid=import-updated]").inner_text()
    assert "C-1 海湾贸易有限公司" in updated and "address" in updated
    assert Party.objects.get(organisation=world.organisation).name == "Gulf Trading"

    page.click("[data-testid=import-confirm]")
    page.wait_for_selector("text=1 parties added, 1 updated")
    assert page.url.endswith("/parties/")
    names = Party.objects.filter(organisation=world.organisation).values_list("name", flat=True)
    assert sorted(names) == ["Nordic Sensor AB", "海湾贸易有限公司"]
