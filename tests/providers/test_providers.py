"""A freight forwarder checks a shipper's request (REGS Art. 36): both parties are screened, the
service is provided only when nothing suggests a violation, and a suspected violation is refused
and reported to MOFCOM, with its record."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from providers.models import CustomerCheck, ProviderKind, ProviderProfile, SuspicionReport
from providers.services import (
    customer_check_create,
    customer_check_decide,
    provider_profile_set,
    release_blockers,
    suspicion_report_record,
)
from records.models import EventLogEntry
from screening.models import Screening
from screening.services.screening import hit_adjudicate
from tests.screening.factories import ScreeningListFactory, add_entity

pytestmark = pytest.mark.django_db

LISTED = "Gulf Horizon General Trading FZE"


@pytest.fixture
def forwarder(world):
    screening_list = ScreeningListFactory(organisation=world.organisation, code="FWD-INHOUSE")
    add_entity(screening_list, "F-1", LISTED, countries=["AE"])
    provider_profile_set(
        organisation=world.organisation, user=world.users["manager"], kind=ProviderKind.FORWARDER
    )
    return world


def _check(world, **overrides):
    values = {
        "reference": "AWB 784-1200",
        "customer_name": "Ningbo Shili Optics Co., Ltd.",
        "customer_country": "CN",
        "counterparty_name": "Baltic Lens Distribution OU",
        "counterparty_country": "EE",
        "goods": "Infrared lens assemblies",
        "hs_code": "9002.11",
        "declared": CustomerCheck.Declared.NOT_LISTED,
        "permit": CustomerCheck.Permit.NONE,
        "permit_number": "",
    }
    values.update(overrides)
    return customer_check_create(
        organisation=world.organisation, user=world.users["staff"], **values
    )


def test_a_check_screens_both_parties(forwarder):
    check = _check(forwarder, counterparty_name=LISTED, counterparty_country="AE")
    assert check.customer_screening.source == Screening.Source.CUSTOMER_CHECK
    assert check.customer_screening.query_name == "Ningbo Shili Optics Co., Ltd."
    assert not check.customer_screening.hits.filter(decision__in=["match", "potential_match"])
    assert check.counterparty_screening.hits.get().matched_name == LISTED
    assert release_blockers(check) == ["Decide the screening hits first."]


def test_a_clean_request_is_released(forwarder):
    check = _check(forwarder)
    assert release_blockers(check) == []
    check = customer_check_decide(
        check=check, user=forwarder.users["manager"], outcome=CustomerCheck.Outcome.RELEASED
    )
    assert check.outcome == "released" and check.decided_by == forwarder.users["manager"]
    with pytest.raises(ValidationError, match="already been decided"):
        customer_check_decide(
            check=check,
            user=forwarder.users["manager"],
            outcome=CustomerCheck.Outcome.REFUSED,
            note="changed my mind",
        )


@pytest.mark.parametrize(
    ("overrides", "blocker"),
    [
        ({"declared": "unknown"}, "Ask the customer whether the goods are on the control list"),
        ({"declared": "listed"}, "none was presented"),
    ],
)
def test_controlled_goods_need_an_answer_and_a_permit(forwarder, overrides, blocker):
    check = _check(forwarder, **overrides)
    with pytest.raises(ValidationError, match=blocker):
        customer_check_decide(
            check=check, user=forwarder.users["manager"], outcome=CustomerCheck.Outcome.RELEASED
        )
    check.refresh_from_db()
    assert check.outcome == "open"


def test_a_voucher_presented_for_listed_goods_lets_the_service_go(forwarder):
    with pytest.raises(ValidationError, match="number of the licence"):
        _check(forwarder, declared="listed", permit="voucher", permit_number=" ")
    check = _check(forwarder, declared="listed", permit="voucher", permit_number="DV-2026-0042")
    assert release_blockers(check) == []


def test_hits_decide_release_or_refusal(forwarder):
    check = _check(forwarder, counterparty_name=LISTED, counterparty_country="AE")
    hit = check.counterparty_screening.hits.get()
    hit_adjudicate(
        hit=hit,
        organisation=forwarder.organisation,
        user=forwarder.users["manager"],
        outcome="true_match",
        reason="Same address.",
    )
    assert release_blockers(check) == ["A party is a confirmed match on a screening list."]
    with pytest.raises(ValidationError, match="Say why"):
        customer_check_decide(
            check=check, user=forwarder.users["manager"], outcome=CustomerCheck.Outcome.REFUSED
        )


def test_only_a_compliance_manager_decides_and_only_members_check(forwarder, world):
    check = _check(forwarder)
    with pytest.raises(PermissionDenied):
        customer_check_decide(
            check=check, user=forwarder.users["staff"], outcome=CustomerCheck.Outcome.RELEASED
        )
    with pytest.raises(PermissionDenied):
        customer_check_create(
            organisation=world.organisation, user=world.users["auditor"], reference="x"
        )


def test_a_check_needs_the_kind_of_service_first(world):
    with pytest.raises(ValidationError, match="kind of service first"):
        _check(world)


def test_a_suspicion_is_reported_with_its_record(forwarder):
    check = _check(forwarder, counterparty_name=LISTED, counterparty_country="AE")
    with pytest.raises(ValidationError, match="future"):
        suspicion_report_record(
            check=check,
            user=forwarder.users["manager"],
            grounds="x",
            reported_on=timezone.localdate() + datetime.timedelta(days=1),
            channel="letter",
        )
    report = suspicion_report_record(
        check=check,
        user=forwarder.users["manager"],
        grounds="The consignee is on our in-house list; the shipper declared no controlled goods.",
        reported_on=timezone.localdate(),
        channel="Letter to the MOFCOM export control bureau",
        mofcom_reference="",
    )
    check.refresh_from_db()
    assert check.outcome == "reported" and check.report == report
    logged = set(
        EventLogEntry.objects.filter(organisation=forwarder.organisation).values_list(
            "record_type", flat=True
        )
    )
    assert {"providers.customercheck", "providers.suspicionreport"} <= logged
    with pytest.raises(ValidationError, match="no longer be reported"):
        suspicion_report_record(
            check=check,
            user=forwarder.users["manager"],
            grounds="again",
            reported_on=timezone.localdate(),
            channel="letter",
        )


def test_the_pages_walk_a_check_from_request_to_report(forwarder):
    staff, manager = forwarder.client("staff"), forwarder.client("manager")
    form = staff.get(reverse("providers:check_create")).content.decode()
    assert "Shipper" in form and "Consignee" in form
    data = {
        "reference": "AWB 1",
        "customer_name": "Ningbo Shili Optics Co., Ltd.",
        "customer_country": "CN",
        "counterparty_name": LISTED,
        "counterparty_country": "AE",
        "goods": "Infrared lens assemblies",
        "declared": "listed",
        "permit": "single",
        "permit_number": "",
    }
    response = staff.post(reverse("providers:check_create"), data)
    assert response.status_code == 200
    assert "Give the number of the licence or voucher." in response.content.decode()
    assert "Infrared lens assemblies" in response.content.decode()  # what was typed is kept
    assert not CustomerCheck.objects.exists()

    response = staff.post(reverse("providers:check_create"), {**data, "permit_number": "L-1"})
    check = CustomerCheck.objects.get()
    assert response.url == check.get_absolute_url()
    page = manager.get(response.url).content.decode()
    assert "Decide the screening hits first." in page

    response = manager.post(
        reverse("providers:check_decide", args=[check.pk]), {"outcome": "released"}
    )
    assert (
        response.status_code == 200
        and "Decide the screening hits first." in response.content.decode()
    )
    response = manager.post(
        reverse("providers:check_report", args=[check.pk]),
        {
            "grounds": "Consignee on our in-house list.",
            "reported_on": timezone.localdate().isoformat(),
            "channel": "Letter to the provincial department of commerce",
        },
    )
    assert response.url == check.get_absolute_url()
    page = manager.get(response.url).content.decode()
    assert "Refused and reported to MOFCOM" in page and "Consignee on our in-house list." in page
    assert SuspicionReport.objects.get().reported_by == forwarder.users["manager"]


def test_a_bank_names_the_parties_payer_and_beneficiary(world):
    provider_profile_set(
        organisation=world.organisation, user=world.users["manager"], kind=ProviderKind.BANK
    )
    page = world.client("staff").get(reverse("providers:check_create")).content.decode()
    assert "Payer" in page and "Beneficiary" in page


def test_the_overview_shows_open_checks_to_a_provider_only(forwarder, world):
    _check(forwarder)
    page = forwarder.client("manager").get(reverse("icp:overview")).content.decode()
    assert 'data-testid="provider-panel"' in page and "1 request awaits a decision." in page
    assert not ProviderProfile.objects.filter(organisation=world.other_organisation).exists()
    page = world.client("outsider").get(reverse("icp:overview")).content.decode()
    assert 'data-testid="provider-panel"' not in page
