import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from providers.models import CustomerCheck, ProviderProfile

pytestmark = pytest.mark.django_db


def test_demo_forwarder_checks_a_shipment(settings):
    call_command("seed_demo", password="demo-pass-123")
    call_command("seed_demo")
    profile = ProviderProfile.objects.get(organisation__slug="forwarder")
    assert profile.kind == "forwarder"
    check = CustomerCheck.objects.get(organisation__slug="forwarder")  # once, however often seeded
    assert check.declared == "listed" and check.permit == "single" and check.permit_number
    assert check.customer_screening is not None and check.counterparty_screening is not None
    assert check.customer_name == "苏州精测数控科技有限公司"
    credentials = (settings.VAR_DIR / "demo-credentials.txt").read_text(encoding="utf-8")
    assert "forwarder@demo.example" in credentials
    client = Client()
    client.force_login(User.objects.get(email="forwarder@demo.example"))
    page = client.get(check.get_absolute_url())
    assert page.status_code == 200 and check.reference in page.content.decode()
    assert client.get(reverse("providers:profile")).status_code == 200
