"""The overview's readiness button counts what the readiness page counts, through the same
selector, the overview's own figures reused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from icp.selectors.licence_readiness import general_licence_checks
from icp.selectors.overview import programme_overview
from tests.audits.factories import transactions_bulk
from tests.icp.test_page_cost import _busy
from trade.models import Transaction, TransactionState

pytestmark = pytest.mark.django_db


def test_the_overview_counts_the_readiness_pages_checks(world):
    _busy(world)
    client = world.client("manager")
    overview = client.get(reverse("icp:overview"))
    page = client.get(reverse("icp:readiness"))
    assert page.context["total"] == len(page.context["checks"]) > 9
    assert overview.context["readiness_total"] == page.context["total"]
    assert overview.context["readiness_met"] == page.context["met"]
    text = overview.content.decode()
    assert f"{page.context['met']} of {page.context['total']} met" in text


def test_the_reused_export_count_is_the_one_counted_afresh(world):
    _busy(world)
    shipped = transactions_bulk(world, 3, state=TransactionState.APPROVED)
    Transaction.objects.filter(pk__in=[t.pk for t in shipped]).update(
        shipped_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    statuses = programme_overview(organisation=world.organisation)
    reused = general_licence_checks(organisation=world.organisation, statuses=statuses)
    for status in statuses:
        status.known.clear()
    counted = general_licence_checks(organisation=world.organisation, statuses=statuses)
    assert "3 approved exports shipped" in reused.conditions[0].detail
    assert [(c.label, c.met, c.detail) for c in reused.checks] == [
        (c.label, c.met, c.detail) for c in counted.checks
    ]
