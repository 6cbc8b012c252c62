import pytest

from screening.services.index import index_cache_clear
from tests.screening.factories import ScreeningListFactory, add_entity


@pytest.fixture(autouse=True)
def _fresh_index_cache():
    # Database ids restart in each test database: never reuse an index across tests.
    index_cache_clear()
    yield
    index_cache_clear()


@pytest.fixture
def public_list(db):
    screening_list = ScreeningListFactory(
        code="CN-UEL", name_zh="不可靠实体清单", name_en="Unreliable Entity List"
    )
    add_entity(
        screening_list,
        "UEL-2023-01",
        "Lockheed Martin Corporation",
        aliases=["洛克希德·马丁公司"],
        countries=["US"],
    )
    add_entity(
        screening_list,
        "UEL-HW",
        "华为技术有限公司",
        aliases=["HUAWEI TECHNOLOGIES CO., LTD."],
        countries=["CN"],
    )
    screening_list.refresh_from_db()
    return screening_list


@pytest.fixture
def private_list(world):
    screening_list = ScreeningListFactory(
        organisation=world.organisation,
        code="ACME-INHOUSE",
        name_zh="内部名单",
        name_en="In-house list",
    )
    add_entity(screening_list, "INH-1", "Gulf Horizon General Trading FZE", countries=["AE"])
    screening_list.refresh_from_db()
    return screening_list


@pytest.fixture
def other_private_list(world):
    screening_list = ScreeningListFactory(
        organisation=world.other_organisation,
        code="OTHER-INHOUSE",
        name_zh="他人名单",
        name_en="Other list",
    )
    add_entity(screening_list, "OTH-1", "Novatek Automation GmbH", countries=["DE"])
    screening_list.refresh_from_db()
    return screening_list
