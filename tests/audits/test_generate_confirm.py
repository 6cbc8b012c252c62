"""An audit period without transactions is confirmed before the checklist is generated."""

import pytest
from django.urls import reverse

from core.models import Job
from tests.audits.factories import make_audit, transactions_bulk

pytestmark = pytest.mark.django_db


def test_an_empty_period_asks_for_confirmation_before_generating(world):
    audit = make_audit(world, elements=["E1"], sample_size=1)
    client = world.client("auditor")
    url = reverse("audits:audit_generate", args=[audit.pk])

    response = client.post(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="empty-period-warning"' in html
    assert 'name="confirm_empty"' in html
    assert not Job.objects.filter(organisation=world.organisation).exists()
    audit.refresh_from_db()
    assert audit.generated_at is None

    response = client.post(url, {"confirm_empty": "1"})
    assert response.status_code == 302
    assert Job.objects.filter(organisation=world.organisation).count() == 1


def test_a_period_with_transactions_generates_at_once(world):
    transactions_bulk(world, 1)
    audit = make_audit(world, elements=["E1"], sample_size=1)
    response = world.client("auditor").post(reverse("audits:audit_generate", args=[audit.pk]))
    assert response.status_code == 302
    assert Job.objects.filter(organisation=world.organisation).count() == 1
