"""The demo shows the four licensing decision paths of issue #15."""

import pytest
from django.core.management import call_command

from trade.models import LicencePath

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference")]


def test_the_demo_walks_the_four_paths():
    call_command("seed_demo")
    outcomes = dict(
        LicencePath.objects.filter(transaction__organisation__slug="demo").values_list(
            "transaction__reference", "outcome"
        )
    )
    assert outcomes["SO-2025-0104"] == "single_licence"  # a listed line, no general licence fits
    assert outcomes["SO-2025-0110"] == "licence_or_report"  # unlisted, catch-all yes
    assert outcomes["SO-2025-0111"] == "prohibited"  # a US military end user
    assert outcomes["RR-2025-0001"] == "export_voucher"  # a repair return fits the voucher
    voucher_path = LicencePath.objects.get(transaction__reference="RR-2025-0001")
    assert voucher_path.licence.number == "DJ2025-RR-0042"
    count = LicencePath.objects.count()
    call_command("seed_demo")  # idempotent
    assert LicencePath.objects.count() == count
