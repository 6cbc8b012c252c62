"""Words for people in the reader's language: durations, plurals and country drop-downs."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from core.i18n import duration_text, reader_sort_key
from screening.forms import ScreenForm
from screening.forms_parties import PartyForm
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", timedelta(hours=1), "1 hour"),
        ("en", 1.5, "1 hour 30 minutes"),
        ("en", timedelta(days=2), "2 days"),
        ("en", timedelta(minutes=1), "1 minute"),
        ("zh-hans", timedelta(hours=1), "1 小时"),
        ("zh-hans", timedelta(hours=2, minutes=5), "2 小时 5 分钟"),
    ],
)
def test_durations_read_as_words_not_iso(language, value, expected):
    with translation.override(language):
        assert duration_text(value) == expected


@pytest.mark.parametrize(("language", "expected"), [("en", "1 hour"), ("zh-hans", "1 小时")])
def test_lock_out_page_says_how_long_in_the_readers_language(client, settings, language, expected):
    settings.AXES_COOLOFF_TIME = 1.0
    UserFactory(email="locked@x.example")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(
            reverse("accounts:login"),
            {"username": "locked@x.example", "password": "wrong-password"},
            HTTP_ACCEPT_LANGUAGE=language,
        )
    assert response.status_code == 429
    page = response.content.decode()
    assert expected in page
    assert "PT1H" not in page


def _country_names(field) -> list[str]:
    return [str(name) for code, name in field.choices if code]


def test_country_drop_downs_sort_in_pinyin_order_in_chinese():
    with translation.override("zh-hans"):
        for names in (
            _country_names(ScreenForm().fields["country"]),
            _country_names(PartyForm().fields["country"]),
        ):
            assert names == sorted(names, key=reader_sort_key)
            assert names.index("阿富汗") < names.index("巴西") < names.index("德国")
            assert names.index("德国") < names.index("日本") < names.index("中国")
            assert names[0].startswith("阿")


def test_country_drop_downs_sort_alphabetically_in_english():
    with translation.override("en"):
        names = _country_names(ScreenForm().fields["country"])
        assert names[:3] == ["Afghanistan", "Åland Islands", "Albania"]
        assert names.index("Brazil") < names.index("China") < names.index("Germany")


def test_the_screening_page_lists_countries_in_the_readers_order(world):
    client = world.client("manager")
    page = client.get(reverse("screening:screen"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    select = html[html.index('name="country"') :]
    select = select[: select.index("</select>")]
    names = re.findall(r'<option value="[A-Z]{2}"[^>]*>([^<]+)</option>', select)
    assert names.index("阿富汗") < names.index("中国")
    with translation.override("zh-hans"):
        assert names == sorted(names, key=reader_sort_key)
