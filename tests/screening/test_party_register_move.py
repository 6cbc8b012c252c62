"""The party register moved from trade to screening: bookmarks, tables and stored labels still
work."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import translation

from records.selectors import live_names, record_type_name
from screening.models import Party
from screening.signals import parties_rescreened, parties_rescreened_publish
from tests.screening.factories_parties import PartyFactory

pytestmark = pytest.mark.django_db


def test_the_pages_keep_their_paths():
    assert reverse("parties:list") == "/parties/"
    assert reverse("parties:create") == "/parties/new/"
    assert reverse("parties:import") == "/parties/import/"
    assert reverse("parties:rescreen_all") == "/parties/rescreen/"
    assert reverse("parties:detail", args=[7]) == "/parties/7/"
    assert reverse("parties:edit", args=[7]) == "/parties/7/edit/"
    assert reverse("parties:screen", args=[7]) == "/parties/7/screen/"


def test_the_tables_keep_their_names():
    assert Party._meta.db_table == "trade_party"
    assert Party.history.model._meta.db_table == "trade_historicalparty"
    assert Party._meta.label_lower == "screening.party"


def test_event_log_entries_written_before_the_move_still_name_the_party(world):
    party = PartyFactory(organisation=world.organisation, name="Gulf Trading LLC")
    with translation.override("en"):
        assert record_type_name("trade.party") == "Party"
    with translation.override("zh-hans"):
        assert record_type_name("trade.party") == record_type_name("screening.party")
    assert live_names([("trade.party", str(party.pk))]) == {
        ("trade.party", str(party.pk)): "Gulf Trading LLC"
    }


def test_a_rescreening_nobody_acts_on_fails_loudly(world):
    receivers = parties_rescreened.receivers[:]
    parties_rescreened.receivers.clear()
    parties_rescreened.sender_receivers_cache.clear()
    try:
        with pytest.raises(ImproperlyConfigured):
            parties_rescreened_publish(organisation=world.organisation)
    finally:
        parties_rescreened.receivers[:] = receivers
        parties_rescreened.sender_receivers_cache.clear()
    parties_rescreened_publish(organisation=world.organisation)  # trade subscribes
