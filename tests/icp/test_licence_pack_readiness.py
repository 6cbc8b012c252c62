"""General-licence readiness checks the whole of REGS Art. 16 and Art. 20, not only the nine
elements: the export record, relatively stable channels and end users (from the transactions,
with the figures), the three written descriptions generated, and the disqualifying situations
of Art. 20 as questions the applicant answers, recorded with who answered and when."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Job
from icp.models import Disqualifier, DisqualifierAnswer
from icp.selectors.licence_pack import LICENCE_PACK_JOB_KIND
from icp.selectors.licence_readiness import (
    disqualifier_checks,
    export_channels_check,
    licence_pack_check,
)
from records.models import EventLogEntry
from tests.screening.factories_parties import PartyFactory
from trade.models import PartyRole, Transaction, TransactionParty

pytestmark = pytest.mark.django_db

ALL_NO = {
    "criminal_penalty": "no",
    "serious_administrative_penalty": "no",
    "control_list_entity": "no",
}


def _ship(world, reference, *, end_user, buyer=None, days_ago=30):
    transaction = Transaction.objects.create(
        organisation=world.organisation,
        reference=reference,
        destination_country="DE",
        end_use="Machine tools",
        state="approved",
        shipped_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )
    for party, role in ((end_user, PartyRole.END_USER), (buyer, PartyRole.BUYER)):
        if party is not None:
            TransactionParty.objects.create(
                organisation=world.organisation, transaction=transaction, party=party, role=role
            )


def test_export_channels_are_the_importers_used_repeatedly(world):
    assert not export_channels_check(organisation=world.organisation).met
    org = world.organisation
    importer, once = PartyFactory(organisation=org), PartyFactory(organisation=org)
    users = PartyFactory.create_batch(3, organisation=org)
    # Three end users, but two of the three shipments went through the same importer.
    _ship(world, "SO-1", end_user=users[0], buyer=importer)
    _ship(world, "SO-2", end_user=users[1], buyer=importer)
    _ship(world, "SO-3", end_user=users[2], buyer=once)
    _ship(world, "SO-OLD", end_user=users[2], buyer=once, days_ago=800)  # outside two years
    check = export_channels_check(organisation=org)
    assert check.met
    assert "1 of 2 importers" in check.detail and "67%" in check.detail
    # A direct sale counts its end user as the channel.
    _ship(world, "SO-4", end_user=users[0])
    _ship(world, "SO-5", end_user=users[1])
    check = export_channels_check(organisation=org)
    assert "1 of 4 importers" in check.detail and "40%" in check.detail and not check.met


def test_the_three_descriptions_must_be_generated_recently(world):
    org = world.organisation
    check = licence_pack_check(organisation=org)
    assert not check.met and check.detail == "Not generated yet."
    assert check.url == reverse("icp:licence_pack_home")
    Job.objects.create(
        kind=LICENCE_PACK_JOB_KIND,
        organisation=org,
        status=Job.Status.FAILED,
        params={"start": "2025-01-01", "end": "2025-12-31", "language": "zh-hans"},
    )
    assert not licence_pack_check(organisation=org).met  # a failed run is no description
    finished = timezone.now() - datetime.timedelta(days=10)
    Job.objects.create(
        kind=LICENCE_PACK_JOB_KIND,
        organisation=org,
        status=Job.Status.SUCCEEDED,
        finished_at=finished,
        params={"start": "2025-01-01", "end": "2025-12-31", "language": "zh-hans"},
    )
    check = licence_pack_check(organisation=org)
    assert check.met and "for the period" in check.detail
    later = licence_pack_check(organisation=org, now=finished + datetime.timedelta(days=91))
    assert not later.met and "Older than 90 days" in later.detail


def test_the_applicant_answers_the_art_20_questions_and_the_log_records_who(world):
    client = world.client("manager")
    checks = disqualifier_checks(organisation=world.organisation)
    assert len(checks) == 3 and not any(check.met for check in checks)
    assert "Art. 20, para. 1, item 3" in checks[2].label

    response = client.post(
        reverse("icp:readiness_disqualifiers"),
        {**ALL_NO, "control_list_entity_note": "Shareholders checked against the control list"},
    )
    assert response.status_code == 302
    rows = DisqualifierAnswer.objects.for_organisation(world.organisation)
    assert rows.count() == 3
    assert {row.answered_by for row in rows} == {world.users["manager"]}
    assert rows.get(question="control_list_entity").note.startswith("Shareholders")
    checks = disqualifier_checks(organisation=world.organisation)
    assert all(check.met for check in checks)
    assert "Answered no by" in checks[0].detail
    logged = EventLogEntry.objects.filter(
        organisation=world.organisation, record_type="icp.disqualifieranswer"
    )
    assert logged.count() == 3 and {entry.actor for entry in logged} == {world.users["manager"]}

    # Management changes one answer: the check fails, and the change is logged with its author.
    executive = world.client("executive")
    executive.post(reverse("icp:readiness_disqualifiers"), {**ALL_NO, "criminal_penalty": "yes"})
    criminal = disqualifier_checks(organisation=world.organisation)[0]
    assert not criminal.met and "may not be applied for" in criminal.detail
    change = logged.filter(action="change").order_by("-sequence").first()
    assert change is not None and change.actor == world.users["executive"]
    assert DisqualifierAnswer.history.filter(question=Disqualifier.CRIMINAL_PENALTY).count() == 2


def test_an_answer_older_than_a_year_must_be_confirmed_again(world):
    world.client("manager").post(reverse("icp:readiness_disqualifiers"), ALL_NO)
    later = timezone.now() + datetime.timedelta(days=366)
    checks = disqualifier_checks(organisation=world.organisation, now=later)
    assert not any(check.met for check in checks)
    assert "confirm the answer again" in checks[0].detail


def test_a_missing_answer_shows_the_page_again_with_what_was_typed(world):
    response = world.client("manager").post(
        reverse("icp:readiness_disqualifiers"),
        {"criminal_penalty": "no", "criminal_penalty_note": "Checked with the legal department"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Answer yes or no." in page
    assert 'value="Checked with the legal department"' in page
    assert 'id="criminal_penalty-no" value="no" checked' in page
    assert not DisqualifierAnswer.objects.exists()


def test_auditors_read_the_answers_but_do_not_give_them(world):
    world.client("manager").post(reverse("icp:readiness_disqualifiers"), ALL_NO)
    page = world.client("auditor").get(reverse("icp:readiness")).content.decode()
    assert "Answered no by" in page and 'data-testid="disqualifier-form"' not in page
    response = world.client("auditor").post(
        reverse("icp:readiness_disqualifiers"), {**ALL_NO, "criminal_penalty": "yes"}
    )
    assert response.status_code == 403
    assert not DisqualifierAnswer.objects.filter(applies=True).exists()


def test_the_readiness_page_groups_art_16_art_20_and_the_elements(world):
    response = world.client("manager").get(reverse("icp:readiness"), HTTP_ACCEPT_LANGUAGE="en")
    context = response.context
    labels = [str(check.label) for check in context["conditions"]]
    assert "A record of dual-use exports" in labels[0]
    assert "Relatively stable export channels" in labels[1]
    assert "Relatively stable end users" in labels[2]
    assert "three written descriptions" in labels[3]
    assert len(context["disqualifiers"]) == 3 and len(context["elements"]) == 9
    assert context["total"] == 16 and context["met"] == 0
    assert 'id="disqualifiers"' in response.content.decode()
