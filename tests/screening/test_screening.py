import datetime
import logging
import smtplib
from unittest.mock import patch

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from rest_framework.test import APIClient

from accounts.tokens import api_token_create
from core.tasks import mail_send
from screening.models import (
    Adjudication,
    HitDecision,
    ImmutableRecordError,
    Screening,
    ScreeningHit,
    ScreeningSettings,
    ScreeningStatus,
)
from screening.services.parties import party_screen, party_update
from screening.services.screening import alert_hits_open, hit_adjudicate, hits_notify, screening_run
from tests.screening.factories import add_entity
from tests.screening.factories_parties import PartyFactory

pytestmark = pytest.mark.django_db


def run(world, name, country="", **kwargs):
    return screening_run(
        organisation=world.organisation,
        names=[name],
        country=country,
        source=Screening.Source.PAGE,
        user=world.users["manager"],
        **kwargs,
    )


def test_chinese_name_finds_the_listed_company_with_reasons(world, public_list):
    screening = run(world, "华为技术有限公司", "CN")
    hit = screening.hits.get()
    assert hit.list_code == "CN-UEL" and hit.entity_key == "UEL-HW"
    assert hit.decision == HitDecision.MATCH and screening.decision == HitDecision.MATCH
    codes = [reason["code"] for reason in hit.reasons]
    assert "word_exact" in codes and "country_match" in codes
    assert list(screening.list_versions.all()) == [public_list.current_version]


def test_latin_spelling_meets_the_chinese_alias(world, public_list):
    screening = run(world, "Huawei Technologies", "CN")
    assert screening.hits.filter(entity_key="UEL-HW").exclude(decision=HitDecision.CLEAR).exists()


def test_clear_screening_is_stored_too(world, public_list):
    screening = run(world, "Müller Messtechnik GmbH", "DE")
    assert screening.decision == HitDecision.CLEAR
    assert not screening.hits.exclude(decision=HitDecision.CLEAR).exists()
    assert Screening.objects.filter(pk=screening.pk).exists()


def test_threshold_is_per_organisation(world, public_list):
    ScreeningSettings.objects.create(organisation=world.organisation, threshold=0.99)
    screening = run(world, "Huawei Technologies", "DE")  # country conflict lowers the score
    assert screening.threshold == 0.99
    assert screening.decision == HitDecision.CLEAR


def test_delisted_entities_are_not_screened(world, public_list):
    add_entity(
        public_list,
        "OLD",
        "Retired Trading Corporation",
        countries=["US"],
        delisted_on=datetime.date(2020, 1, 1),
    )
    assert run(world, "Retired Trading Corporation").decision == HitDecision.CLEAR


def test_screenings_and_hits_cannot_be_changed_or_deleted(world, public_list):
    screening = run(world, "华为技术有限公司", "CN")
    hit = screening.hits.get()
    screening.query_name = "edited"
    with pytest.raises(ImmutableRecordError):
        screening.save()
    with pytest.raises(ImmutableRecordError):
        screening.delete()
    with pytest.raises(ImmutableRecordError):
        Screening.objects.filter(pk=screening.pk).update(query_name="edited")
    with pytest.raises(ImmutableRecordError):
        Screening.objects.filter(pk=screening.pk).delete()
    with pytest.raises(ImmutableRecordError):
        hit.delete()
    with pytest.raises(ImmutableRecordError):
        ScreeningHit.objects.filter(pk=hit.pk).update(score=0)
    adjudication = hit_adjudicate(
        hit=hit,
        organisation=world.organisation,
        user=world.users["manager"],
        outcome="true_match",
        reason="Same company, same USCC.",
    )
    with pytest.raises(ImmutableRecordError):
        adjudication.delete()
    screening.refresh_from_db()
    assert screening.query_name == "华为技术有限公司"


def test_input_limits(world, public_list):
    with pytest.raises(ValidationError):
        run(world, "")
    with pytest.raises(ValidationError):
        run(world, "x" * 301)
    with pytest.raises(ValidationError):
        run(world, "Acme", country="China")


def test_adjudication_needs_a_reason_and_happens_once(world, public_list):
    hit = run(world, "华为技术有限公司", "CN").hits.get()
    with pytest.raises(ValidationError):
        hit_adjudicate(
            hit=hit,
            organisation=world.organisation,
            user=world.users["manager"],
            outcome="false_positive",
            reason="",
        )
    hit_adjudicate(
        hit=hit,
        organisation=world.organisation,
        user=world.users["manager"],
        outcome="false_positive",
        reason="Different company, checked.",
    )
    with pytest.raises(ValidationError):
        hit_adjudicate(
            hit=hit,
            organisation=world.organisation,
            user=world.users["manager"],
            outcome="true_match",
            reason="Changed my mind.",
        )
    with pytest.raises(ValidationError):
        hit_adjudicate(
            hit=hit,
            organisation=world.other_organisation,
            user=world.users["outsider"],
            outcome="true_match",
            reason="Not mine at all.",
        )


def test_false_positive_is_remembered_until_the_party_or_entity_changes(world, private_list):
    party = PartyFactory(
        organisation=world.organisation, name="Gulf Horizon Trading LLC", country="AE"
    )
    first = party_screen(party=party, user=world.users["manager"])
    hit = first.hits.exclude(decision=HitDecision.CLEAR).get()
    assert party.screening_status == ScreeningStatus.NEEDS_REVIEW
    hit_adjudicate(
        hit=hit,
        organisation=world.organisation,
        user=world.users["manager"],
        outcome="false_positive",
        reason="Different company: Abu Dhabi mainland licence.",
    )
    party.refresh_from_db()
    assert party.screening_status == ScreeningStatus.CLEARED

    again = party_screen(party=party)
    remembered = again.hits.exclude(decision=HitDecision.CLEAR).get()
    assert remembered.remembered.hit == hit
    assert party.screening_status == ScreeningStatus.CLEARED
    assert not alert_hits_open(world.organisation).exists()

    # The listed entity changes (a new address): the decision no longer applies.
    add_entity(
        private_list,
        "INH-1",
        "Gulf Horizon General Trading FZE",
        countries=["AE"],
        addresses=["Jebel Ali"],
    )
    changed_entity = party_screen(party=party)
    assert changed_entity.hits.exclude(decision=HitDecision.CLEAR).get().remembered is None
    assert party.screening_status == ScreeningStatus.NEEDS_REVIEW

    # Decide again, then the party's name changes: again no longer covered.
    hit_adjudicate(
        hit=changed_entity.hits.exclude(decision=HitDecision.CLEAR).get(),
        organisation=world.organisation,
        user=world.users["manager"],
        outcome="false_positive",
        reason="Still a different company.",
    )
    assert (
        party_screen(party=party).hits.exclude(decision=HitDecision.CLEAR).get().remembered
        is not None
    )
    party_update(
        party=party, user=world.users["manager"], name="Gulf Horizon General Trading", country="AE"
    )
    party.refresh_from_db()
    assert party.last_screening.hits.exclude(decision=HitDecision.CLEAR).get().remembered is None
    assert party.screening_status == ScreeningStatus.NEEDS_REVIEW


def test_true_match_marks_the_party(world, public_list):
    party = PartyFactory(
        organisation=world.organisation,
        name="洛克希德·马丁公司",
        name_latin="Lockheed Martin Corp.",
        country="US",
    )
    screening = party_screen(party=party)
    hit = screening.hits.exclude(decision=HitDecision.CLEAR).get()
    assert hit.entity_key == "UEL-2023-01"
    hit_adjudicate(
        hit=hit,
        organisation=world.organisation,
        user=world.users["manager"],
        outcome=Adjudication.Outcome.TRUE_MATCH,
        reason="Same company: the listed US defence contractor.",
    )
    party.refresh_from_db()
    assert party.screening_status == ScreeningStatus.MATCH


def test_other_organisations_private_lists_are_never_used(
    world, public_list, private_list, other_private_list
):
    screening = run(world, "Novatek Automation GmbH", "DE")
    assert not screening.hits.filter(list_code="OTHER-INHOUSE").exists()
    assert other_private_list.current_version not in screening.list_versions.all()
    assert private_list.current_version in screening.list_versions.all()
    theirs = screening_run(
        organisation=world.other_organisation,
        names=["Novatek Automation GmbH"],
        country="DE",
        source=Screening.Source.PAGE,
    )
    assert theirs.hits.filter(list_code="OTHER-INHOUSE").exists()
    assert private_list.current_version not in theirs.list_versions.all()


def test_a_new_list_version_is_used_at_once(world, public_list):
    assert run(world, "Saronic Technologies").decision == HitDecision.CLEAR
    add_entity(
        public_list,
        "UEL-2025-9-01",
        "Saronic Technologies, Inc.",
        aliases=["萨罗尼克科技公司"],
        countries=["US"],
    )
    assert run(world, "萨罗尼克科技公司").decision != HitDecision.CLEAR


def test_queue_shows_only_the_latest_screening_of_each_subject(world, public_list):
    run(world, "华为技术有限公司", "CN")
    latest = run(world, "华为技术有限公司", "CN")
    open_hits = list(alert_hits_open(world.organisation))
    assert [hit.screening_id for hit in open_hits] == [latest.pk]


def test_new_hits_are_mailed_to_compliance_managers(
    world, public_list, django_capture_on_commit_callbacks
):
    hits = list(run(world, "华为技术有限公司", "CN").hits.all())
    with django_capture_on_commit_callbacks(execute=True):
        assert hits_notify(organisation=world.organisation, hits=hits) == 1
        assert not mail.outbox  # sent through Celery once the transaction commits
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["manager@acme.test"]
    assert "华为技术有限公司" in mail.outbox[0].body
    ScreeningSettings.objects.create(
        organisation=world.organisation, notify_compliance_managers=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert hits_notify(organisation=world.organisation, hits=hits) == 0
    assert len(mail.outbox) == 1


class RefusingMailServer(BaseEmailBackend):
    """An SMTP server that refuses every message (EMAIL_BACKEND in the test below)."""

    attempts: list[list[str]] = []

    def send_messages(self, email_messages):
        for message in email_messages:
            RefusingMailServer.attempts.append(list(message.to))
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_an_api_batch_with_new_hits_answers_when_the_mail_server_refuses(
    world, public_list, settings, django_capture_on_commit_callbacks, caplog
):
    """The screenings are stored and answered (200): the client must not retry and screen twice.
    The mail goes through the Celery task, which retries the refused server, then logs it."""
    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailServer"
    RefusingMailServer.attempts = []
    token, raw = api_token_create(
        organisation=world.organisation, user=world.users["manager"], name="ERP"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    queued = []
    original_delay = mail_send.delay

    def delay(**kwargs):
        queued.append(kwargs)
        return original_delay(**kwargs)

    with (
        patch.object(mail_send, "delay", delay),
        django_capture_on_commit_callbacks(execute=True),
        caplog.at_level(logging.ERROR),
    ):
        response = client.post(
            "/api/v1/screen",
            {"parties": [{"name": "华为技术有限公司", "country": "CN"}, {"name": "Acme GmbH"}]},
            format="json",
        )
    assert response.status_code == 200
    first, _second = response.json()["results"]
    assert first["decision"] == "match"
    assert Screening.objects.filter(organisation=world.organisation, api_token=token).count() == 2
    [message] = queued
    assert message["recipients"] == ["manager@acme.test"]
    assert "华为技术有限公司" in message["body"]
    # Refused, then the task asks Celery to retry it (eager here: the Retry is logged by the
    # robust on_commit); not lost silently.
    assert RefusingMailServer.attempts == [["manager@acme.test"]]
    assert "Retry in" in caplog.text and "Connection unexpectedly closed" in caplog.text
    assert not mail.outbox
