"""An approved disposal that kept records under a hold says so, in the reader's language."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from records.services import disposal as disposal_services
from records.services import holds as hold_services
from tests.records.test_disposal import _m, expired  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _approve(world, request, language):
    client = world.client("executive")
    response = client.post(
        reverse("records:disposal_approve", args=[request.pk]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 302
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_records_kept_under_a_hold_are_counted_with_the_reason(world, expired):  # noqa: F811
    *_, record = expired
    request = disposal_services.disposal_propose(membership=_m(world, "manager"), items=[record])
    hold_services.hold_place(
        membership=_m(world, "manager"),
        kind="customs_challenge",
        reference="海关 2026-7",
        title="Customs challenge",
        items=[record],
    )
    [message] = _approve(world, request, "en")
    assert "have been destroyed" not in message
    assert "0 destroyed" in message and "kept" in message
    assert "A legal hold was placed on it." in message
    summary = disposal_services.disposal_outcome_summary(request=request)
    assert summary["destroyed"] == 0 and summary["kept"] >= 1


def test_a_clean_disposal_still_says_destroyed(world, expired):  # noqa: F811
    *_, record = expired
    request = disposal_services.disposal_propose(membership=_m(world, "manager"), items=[record])
    [message] = _approve(world, request, "en")
    assert "have been destroyed" in message


def test_the_reason_a_record_was_kept_is_stored_as_a_code_and_read_in_each_language(
    world,
    expired,  # noqa: F811
):
    """Approved in Chinese, read in English: the reason is not frozen in the approver's
    language (and a row written before codes, in Chinese, is still read in English)."""
    from records.models import DisposalRecord
    from records.models.retention import kept_reason_text

    *_, record = expired
    request = disposal_services.disposal_propose(membership=_m(world, "manager"), items=[record])
    hold_services.hold_place(
        membership=_m(world, "manager"),
        kind="customs_challenge",
        reference="海关 2026-8",
        title="Customs challenge",
        items=[record],
    )
    _approve(world, request, "zh-hans")
    kept = DisposalRecord.objects.filter(request=request, outcome=DisposalRecord.Outcome.KEPT)
    assert {row.outcome_reason for row in kept} == {"on_hold"}
    client = world.client("manager")
    html = client.get(
        reverse("records:disposal_detail", args=[request.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "A legal hold was placed on it." in html
    with translation.override("en"):
        # A row written before codes, in Chinese, is read in English too.
        assert kept_reason_text("已对其实施保留令。") == "A legal hold was placed on it."
        assert (
            kept_reason_text("The record's own rule refused.") == "The record's own rule refused."
        )
    with translation.override("zh-hans"):
        assert kept_reason_text("on_hold") == "已对其实施保留令。"
