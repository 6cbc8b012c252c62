"""Transaction review reads the destination risk register (E3) through the hook trade offers
(trade/hooks.py), which icp fills in ready(): trade itself does not import the E3 reads."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from icp.selectors.risk import destination_risks_for_review
from tests.icp.factories_risk import DestinationRiskFactory
from trade import hooks
from trade.hooks import (
    DestinationRiskFact,
    destination_risk_reader_register,
    destination_risks_read,
)

pytestmark = pytest.mark.django_db


def test_icp_registers_its_reader():
    registered = hooks._DESTINATION_RISK_READERS
    assert registered == [destination_risks_for_review]


def test_registering_again_keeps_one_reader(monkeypatch):
    monkeypatch.setattr(hooks, "_DESTINATION_RISK_READERS", [destination_risks_for_review])
    destination_risk_reader_register(destination_risks_for_review)
    registered = hooks._DESTINATION_RISK_READERS
    assert registered == [destination_risks_for_review]


def test_without_a_reader_review_fails_rather_than_skip_the_register(monkeypatch, world):
    monkeypatch.setattr(hooks, "_DESTINATION_RISK_READERS", [])
    with pytest.raises(ImproperlyConfigured):
        destination_risks_read(organisation=world.organisation, countries=["DE"])


def test_the_reader_gives_the_risks_in_force_and_every_military_ban(world):
    organisation = world.organisation
    DestinationRiskFactory(organisation=organisation, country="VN", level="elevated")
    DestinationRiskFactory(
        organisation=organisation, country="US", level="high", scope="military_end_use"
    )
    # Another organisation's rows are not this one's risks.
    DestinationRiskFactory(organisation=world.other_organisation, country="DE", level="high")

    risks = destination_risks_read(organisation=organisation, countries=["VN", "DE"])

    assert risks.by_country == {"VN": DestinationRiskFact(country="VN", level="elevated")}
    # The organisation's own ban, beside those of the reference library (every country).
    assert risks.military_bans["US"] == DestinationRiskFact(country="US", level="high")
    assert all(fact.country == code for code, fact in risks.military_bans.items())
