"""The auditor's review: autosave, evidence, findings, corrective actions and their verification,
sign-off and the freeze, addenda, the annual plan, the report PDF, and the pages' query counts."""

import datetime
import hashlib
import io
import json
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Membership
from audits.models import (
    ActionStatus,
    Answer,
    AuditAddendum,
    AuditFrozenError,
    AuditReport,
    AuditStatus,
    CorrectiveAction,
    Recurrence,
)
from audits.services.audits import addendum_add, audit_sign_off, plan_entry_create, plan_entry_start
from audits.services.checklist import checklist_generate
from audits.services.review import (
    action_can_assign,
    action_can_update,
    action_can_verify,
    action_create,
    action_update,
    action_verify,
    finding_raise,
    item_answer,
    item_link_add,
)
from core.jobs import job_enqueue
from tests.trade.factories_transactions import PDF_BYTES

from .factories import add_auditor, make_audit, transactions_bulk

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(world, reference):
    audit = make_audit(world, elements=["E1", "E3"])
    checklist_generate(audit=audit)
    return audit


def _answer_all(audit, user, answer=Answer.COMPLIANT):
    for item in audit.items.filter(answer=""):
        item_answer(item=item, user=user, answer=answer)


def _finding(audit, user):
    item = audit.items.order_by("position").first()
    item_answer(item=item, user=user, answer=Answer.NON_COMPLIANT, comment="14 months old")
    return finding_raise(
        audit=audit,
        user=user,
        item=item,
        title="Risk assessment 14 months old",
        description="The last approved risk assessment is 14 months old.",
        severity="major",
        root_cause="No owner for the annual review.",
    )


# --- autosave ---------------------------------------------------------------------------------


def test_autosave_endpoint_saves_and_reports_progress(world, audit):
    item = audit.items.order_by("position").first()
    client = world.client("auditor")
    url = reverse("audits:item_autosave", args=[audit.pk, item.pk])
    headers = {"X-Requested-With": "fetch"}
    response = client.post(url, {"answer": "partial", "comment": "Signed"}, headers=headers)
    assert response.status_code == 200
    data = response.json()
    assert data["saved"] and data["answered"] == 1 and data["total"] == audit.items.count()
    item.refresh_from_db()
    assert (item.answer, item.comment, item.answered_by) == (
        "partial",
        "Signed",
        world.users["auditor"],
    )
    history = item.history.count()
    # The same values again (a repeated autosave) write nothing.
    client.post(url, {"answer": "partial", "comment": "Signed"}, headers=headers)
    assert item.history.count() == history
    # Typing on: only the comment changes.
    client.post(url, {"comment": "Signed and dated"}, headers=headers)
    item.refresh_from_db()
    assert (item.answer, item.comment) == ("partial", "Signed and dated")


def test_autosave_refuses_a_non_member_of_the_team(world, audit):
    outsider_auditor = add_auditor(world, "external@acme.test")
    item = audit.items.first()
    from tests.conftest import Client

    client = Client()
    client.force_login(outsider_auditor)
    response = client.post(
        reverse("audits:item_autosave", args=[audit.pk, item.pk]),
        {"answer": "compliant"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 400
    assert not json.loads(response.content)["saved"]
    item.refresh_from_db()
    assert item.answer == ""


def test_evidence_links_must_point_into_the_app(world, audit):
    item = audit.items.first()
    user = world.users["auditor"]
    with pytest.raises(ValidationError):
        item_link_add(item=item, user=user, url="https://evil.example/x", label="x")
    with pytest.raises(ValidationError):
        item_link_add(item=item, user=user, url="/no/such/page/", label="x")
    item_link_add(item=item, user=user, url="/audits/plan/", label="Plan")
    item_link_add(item=item, user=user, url="/audits/plan/", label="Plan")
    assert [link["url"] for link in item.evidence] == ["/audits/plan/"]


def test_evidence_file_is_attached_to_the_item(world, audit):
    item = audit.items.first()
    response = world.client("auditor").post(
        reverse("audits:item_attach", args=[audit.pk, item.pk]),
        {"file": SimpleUploadedFile("minutes.pdf", PDF_BYTES), "description": "Minutes"},
    )
    assert response.status_code == 302
    page = world.client("auditor").get(item.get_absolute_url())
    assert "minutes.pdf" in page.content.decode()


# --- findings and corrective actions ---------------------------------------------------------


def test_finding_needs_a_failed_item_and_is_numbered(world, audit):
    user = world.users["auditor"]
    item = audit.items.first()
    item_answer(item=item, user=user, answer=Answer.COMPLIANT)
    with pytest.raises(ValidationError):
        finding_raise(
            audit=audit, user=user, item=item, title="t", description="d", severity="minor"
        )
    first = _finding(audit, user)
    second = finding_raise(
        audit=audit,
        user=user,
        title="No audit plan",
        description="d",
        severity="minor",
        element_code="E7",
    )
    assert (first.code, second.code) == ("F01", "F02")
    assert first.element_code == "E1"


def test_closure_is_verified_by_an_auditor_other_than_the_owner(world, audit):
    auditor = world.users["auditor"]
    finding = _finding(audit, auditor)
    action = action_create(
        finding=finding,
        user=auditor,
        description="Assign an owner and re-assess",
        owner=world.users["manager"],
        due_date=timezone.localdate(),
    )
    # Nobody closes it directly: the owner reports it done.
    with pytest.raises(ValidationError):
        action_update(
            action=action,
            user=world.users["manager"],
            status=ActionStatus.VERIFIED,
        )
    with pytest.raises(PermissionDenied):  # neither the owner nor a compliance manager
        action_update(
            action=action,
            user=world.users["staff"],
            status=ActionStatus.DONE,
            progress_note="x",
        )
    with pytest.raises(ValidationError):  # not done yet
        action_verify(action=action, user=auditor, accepted=True, note="ok")
    action_update(
        action=action,
        user=world.users["manager"],
        status=ActionStatus.DONE,
        progress_note="Re-assessed on 2026-02-01",
    )
    with pytest.raises(PermissionDenied):  # a compliance manager is not an auditor
        action_verify(
            action=action,
            user=world.users["manager"],
            accepted=True,
            note="ok",
        )
    action_verify(action=action, user=auditor, accepted=False, note="Not approved yet")
    assert action.status == ActionStatus.IN_PROGRESS
    action_update(
        action=action,
        user=world.users["manager"],
        status=ActionStatus.DONE,
        progress_note="Approved by the GM",
    )
    action_verify(action=action, user=auditor, accepted=True, note="Seen it")
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED and action.verified_by == auditor


def test_the_action_services_read_the_actors_role_from_their_membership(world, audit):
    """No caller hands the services a role: they look up the user's membership in the action's
    organisation, so a manager of another organisation or a deactivated one is refused."""
    auditor = world.users["auditor"]
    finding = _finding(audit, auditor)
    may_assign = {p: action_can_assign(finding=finding, user=u) for p, u in world.users.items()}
    assert may_assign == {
        "manager": True,
        "auditor": True,
        "executive": False,
        "staff": False,
        "outsider": False,
    }
    for persona in ("staff", "executive", "outsider"):
        with pytest.raises(PermissionDenied):
            action_create(
                finding=finding,
                user=world.users[persona],
                description="x",
                owner=world.users["manager"],
                due_date=timezone.localdate(),
            )
    action = action_create(
        finding=finding,
        user=world.users["manager"],  # compliance managers assign actions too
        description="Re-assess",
        owner=world.users["staff"],
        due_date=timezone.localdate(),
    )
    may_update = {p: action_can_update(action=action, user=u) for p, u in world.users.items()}
    assert may_update == {
        "manager": True,
        "auditor": False,
        "executive": False,
        "staff": True,  # the owner
        "outsider": False,  # a compliance manager, of another organisation
    }
    with pytest.raises(PermissionDenied):
        action_update(action=action, user=world.users["outsider"], status=ActionStatus.IN_PROGRESS)
    action_update(
        action=action, user=world.users["staff"], status=ActionStatus.DONE, progress_note="Done"
    )
    may_verify = {p: action_can_verify(action=action, user=u) for p, u in world.users.items()}
    assert may_verify == {
        "manager": False,
        "auditor": True,
        "executive": False,
        "staff": False,
        "outsider": False,
    }
    Membership.objects.filter(user=auditor).update(is_active=False)
    assert not action_can_verify(action=action, user=auditor)
    with pytest.raises(PermissionDenied):
        action_verify(action=action, user=auditor, accepted=True, note="ok")
    Membership.objects.filter(user=auditor).update(is_active=True)
    action_verify(action=action, user=auditor, accepted=True, note="Seen it")
    # Verified is closed: not even a compliance manager reports on it any more.
    assert not action_can_update(action=action, user=world.users["manager"])
    with pytest.raises(ValidationError):
        action_update(action=action, user=world.users["manager"], status=ActionStatus.DONE)


def test_an_auditor_cannot_verify_their_own_action(world, audit):
    auditor = world.users["auditor"]
    finding = _finding(audit, auditor)
    action = action_create(
        finding=finding,
        user=auditor,
        description="Fix",
        owner=auditor,
        due_date=timezone.localdate(),
    )
    action_update(action=action, user=auditor, status=ActionStatus.DONE, progress_note="Fixed")
    with pytest.raises(ValidationError):
        action_verify(action=action, user=auditor, accepted=True, note="ok")
    # The database refuses it too.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CorrectiveAction.objects.filter(pk=action.pk).update(
            status=ActionStatus.VERIFIED, verified_by=auditor
        )


def test_staff_owner_sees_and_updates_only_their_action(world, audit):
    auditor = world.users["auditor"]
    finding = _finding(audit, auditor)
    mine = action_create(
        finding=finding,
        user=auditor,
        description="Train sales",
        owner=world.users["staff"],
        due_date=timezone.localdate(),
    )
    action_create(
        finding=finding,
        user=auditor,
        description="Not yours",
        owner=world.users["manager"],
        due_date=timezone.localdate(),
    )
    client = world.client("staff")
    page = client.get(reverse("audits:action_list")).content.decode()
    assert "Train sales" in page and "Not yours" not in page
    response = client.post(
        reverse("audits:action_update", args=[mine.pk]),
        {"status": "done", "progress_note": "Trained 12 people"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == ActionStatus.DONE


# --- sign-off, freeze, addenda ---------------------------------------------------------------


def test_sign_off_rules(world, audit):
    auditor = world.users["auditor"]
    second = add_auditor(world)
    audit.team.add(second)
    with pytest.raises(ValidationError):  # items open
        audit_sign_off(audit=audit, user=auditor)
    _answer_all(audit, auditor)
    with pytest.raises(ValidationError):  # not the lead
        audit_sign_off(audit=audit, user=second)
    signed = audit_sign_off(audit=audit, user=auditor, summary="Programme works.")
    assert signed.status == AuditStatus.SIGNED_OFF and signed.signed_off_by == auditor


def test_a_signed_off_audit_is_frozen(world, audit):
    auditor = world.users["auditor"]
    finding = _finding(audit, auditor)
    _answer_all(audit, auditor)
    with pytest.raises(ValidationError):  # addenda only after sign-off
        addendum_add(audit=audit, user=auditor, text="x")
    audit_sign_off(audit=audit, user=auditor, summary="Done")
    audit.refresh_from_db()
    item = audit.items.first()
    with pytest.raises(AuditFrozenError):
        item_answer(item=item, user=auditor, comment="changed")
    with pytest.raises(AuditFrozenError):
        finding_raise(
            audit=audit,
            user=auditor,
            title="t",
            description="d",
            severity="minor",
            element_code="E1",
        )
    with pytest.raises(AuditFrozenError):
        checklist_generate(audit=audit)
    with pytest.raises(AuditFrozenError):
        action_create(
            finding=finding,
            user=auditor,
            description="x",
            owner=auditor,
            due_date=timezone.localdate(),
        )
    # The models refuse too, for code that bypasses the services.
    item.comment = "sneaky"
    with pytest.raises(AuditFrozenError):
        item.save()
    audit.title_en = "sneaky"
    with pytest.raises(AuditFrozenError):
        audit.save()
    finding.title = "sneaky"
    with pytest.raises(AuditFrozenError):
        finding.save()
    with pytest.raises(AuditFrozenError):
        audit.delete()
    # The autosave endpoint refuses as well.
    response = world.client("auditor").post(
        reverse("audits:item_autosave", args=[audit.pk, item.pk]),
        {"comment": "late"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 400
    # Corrections are addenda with their own date and author.
    addendum = addendum_add(audit=audit, user=auditor, text="F01 concerns the 2024 assessment.")
    assert addendum.author == auditor and addendum.created_at
    addendum.text = "changed"
    with pytest.raises(ValidationError):
        addendum.save()
    assert AuditAddendum.objects.get(pk=addendum.pk).text.startswith("F01")


# --- plan ------------------------------------------------------------------------------------


def test_plan_entry_creates_the_next_audit_and_recurs(world, reference):
    entry = plan_entry_create(
        organisation=world.organisation,
        user=world.users["auditor"],
        year=2026,
        title_zh="年度内部审计",
        title_en="Annual internal audit",
        elements=["E1", "E4"],
        recurrence=Recurrence.YEARLY,
        next_start=datetime.date(2026, 3, 2),
        lead_auditor=world.users["auditor"],
    )
    audit = plan_entry_start(entry=entry, user=world.users["auditor"])
    assert audit.plan_entry == entry and audit.planned_start == datetime.date(2026, 3, 2)
    assert (audit.period_start, audit.period_end) == (
        datetime.date(2025, 3, 2),
        datetime.date(2026, 3, 1),
    )
    entry.refresh_from_db()
    assert entry.next_start == datetime.date(2027, 3, 2) and entry.plan.year == 2027
    once = plan_entry_create(
        organisation=world.organisation,
        user=world.users["auditor"],
        year=2026,
        title_zh="商务部核查准备",
        elements=["E4"],
        recurrence=Recurrence.ONCE,
        audit_type="mofcom_readiness",
        next_start=datetime.date(2026, 9, 1),
    )
    plan_entry_start(entry=once, user=world.users["auditor"])
    once.refresh_from_db()
    assert not once.is_active
    with pytest.raises(ValidationError):
        plan_entry_start(entry=once, user=world.users["auditor"])


# --- report ----------------------------------------------------------------------------------


def _pdftotext(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_report_pdf_in_english_and_chinese(world, audit, django_capture_on_commit_callbacks):
    auditor = world.users["auditor"]
    finding = _finding(audit, auditor)
    action_create(
        finding=finding,
        user=auditor,
        description="Name an owner for the review",
        owner=world.users["manager"],
        due_date=datetime.date(2026, 6, 30),
    )
    _answer_all(audit, auditor)
    audit_sign_off(audit=audit, user=auditor, summary="The programme is largely effective.")
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(
            kind="audits.report",
            organisation=world.organisation,
            created_by=auditor,
            params={"audit_id": audit.pk, "language": "en"},
        )
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    report = AuditReport.objects.get(audit=audit)
    assert report.version == 1 and report.audit_signed_off
    content = report.file.read()
    assert hashlib.sha256(content).hexdigest() == report.sha256
    text = _pdftotext(content)
    assert f"Audit report {audit.reference}" in text
    assert "Score per element" in text
    assert "Risk assessment 14 months old" in text
    assert "Name an owner for the review" in text
    assert "Non-" in text and "Compliant" in text
    with django_capture_on_commit_callbacks(execute=True):
        job_enqueue(
            kind="audits.report",
            organisation=world.organisation,
            created_by=auditor,
            params={"audit_id": audit.pk, "language": "zh-hans"},
        )
    chinese = AuditReport.objects.get(audit=audit, version=2)
    reader = PdfReader(io.BytesIO(chinese.file.read()))
    zh_text = "".join(page.extract_text() for page in reader.pages)
    assert "审计报告" in zh_text and "2025年度出口管制内部审计" in zh_text
    # Download through the permission-checked view.
    response = world.client("executive").get(reverse("audits:report_download", args=[report.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert (
        world.client("staff").get(reverse("audits:report_download", args=[report.pk])).status_code
        == 403
    )


# --- pages -----------------------------------------------------------------------------------


@pytest.fixture
def big_audit(world, reference):
    second = add_auditor(world)
    transactions_bulk(world, 40)
    audit = make_audit(world, team=[second], sample_size=40)
    checklist_generate(audit=audit)
    assert audit.items.count() >= 200
    return audit


def test_checklist_page_query_count(world, big_audit, django_assert_max_num_queries):
    client = world.client("auditor")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("audits:checklist", args=[big_audit.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('href="/audits/') >= 200


def test_item_and_audit_pages_query_count(world, big_audit, django_assert_max_num_queries):
    client = world.client("auditor")
    item = big_audit.items.filter(transaction__isnull=False).first()
    with django_assert_max_num_queries(30):
        assert client.get(item.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(big_audit.get_absolute_url()).status_code == 200


def test_audit_list_query_count(world, reference, django_assert_max_num_queries):
    for n in range(25):
        make_audit(world, elements=["E1"], reference=f"IA-2025-{n:03d}")
    client = world.client("executive")
    with django_assert_max_num_queries(15):
        response = client.get(reverse("audits:audit_list"))
    assert response.status_code == 200
    assert "IA-2025-000" in response.content.decode() or "IA-2025-024" in response.content.decode()
