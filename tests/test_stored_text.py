"""The English UI and English documents contain no Chinese stored at write time; the Chinese ones
no English (issue #12).

The world is written with the OTHER language active (every workflow runs in the writer's
language, as a Chinese colleague would run it), then the pages and documents are read in the
reader's language: the incident page with its timeline, the transaction review page and the
review record PDF, the event log, notifications, disposal and retention pages, the audit
checklist and the job page. What the system wrote must come back in the reader's language;
only what people typed (names, references, their own words) is shown as written.

What people typed comes from the fixtures (the allow-list is taken before the workflows run)
and from the person-typed fields of the records the workflows create (PERSON_TYPED); every
other text stored during the workflows is the system's, and must not leak.
"""

import datetime
import io
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from core.models import Job
from icp.models import Incident, Scenario
from icp.services import emergency as emergency_services
from records.models import Document, RetainedRecord
from records.services import disposal as disposal_services
from records.services import holds as hold_services
from records.services.retention import retention_refresh
from tests.audits.factories import make_audit
from tests.icp.factories_emergency import IncidentFactory
from tests.records.factories import attach
from tests.screening.conftest import _fresh_index_cache, public_list  # noqa: F401
from tests.test_reader_script import allow_list, leaks, strip_allowed, visible_text
from tests.trade.factories_transactions import classified_item, controlled_transaction
from trade.services.transaction import (
    transaction_approve,
    transaction_create,
    transaction_line_add,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference", "public_list")]

# What people type in the workflows below: no word of either language.
TYPED = "CNC-7"

# Fields people type, of the records the workflows create (everything else stored meanwhile is
# written by the system).
PERSON_TYPED = {
    "screening.Party": ("name", "name_latin", "address", "reference", "notes"),
    "trade.Item": ("name", "name_en", "model_number", "technical_parameters", "reference"),
    "trade.Classification": ("control_code", "rationale", "catch_all_note"),
    "trade.ControlListEntry": ("code", "description_zh", "description_en", "parameters"),
    "trade.Transaction": ("reference", "end_use", "euc_issuer", "euc_number"),
    "trade.Licence": ("number", "conditions", "note"),
    "screening.Screening": ("query_name",),
    "screening.Adjudication": ("reason",),
    "icp.Incident": ("reference", "title", "description"),
    "records.Document": ("original_name", "title"),
    "records.LegalHold": ("reference", "title"),
    "audits.Audit": ("reference", "title_zh", "title_en"),
}


def _person_typed() -> list[str]:
    from django.apps import apps

    values = []
    for label, fields in PERSON_TYPED.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        names = [f.name for f in model._meta.concrete_fields if f.name in fields]
        for row in model._base_manager.values_list(*names):
            values += [v for v in row if isinstance(v, str) and len(v.strip()) > 1]
    return values


def _m(world, persona):
    return world.users[persona].memberships.get(organisation=world.organisation)


def _write_world(world, writer: str) -> dict:
    """Run the workflows in the writer's language; return the pages and documents to read."""
    manager = _m(world, "manager")
    with translation.override(writer):
        # An incident with its timeline.
        incident = emergency_services.incident_report(
            membership=_m(world, "staff"),
            title=TYPED,
            description=TYPED,
            scenario=Scenario.END_USE_CHANGED,
            anonymous=True,
        )
        emergency_services.incident_triage(
            membership=manager,
            incident=incident,
            severity=Incident.Severity.HIGH,
            scenario=incident.scenario,
            owner=world.users["manager"],
            response_plan=None,
        )
        emergency_services.incident_add_action(
            membership=manager,
            incident=incident,
            description=TYPED,
            owner=world.users["manager"],
            due_on=timezone.localdate() + datetime.timedelta(days=30),
        )
        emergency_services.incident_record_mofcom_report(
            membership=manager,
            incident=incident,
            reported_on=timezone.localdate(),
            reference=TYPED,
            content=TYPED,
        )
        # An approved transaction (its evidence frozen in the writer's language) ...
        approved = controlled_transaction(world, reference="SO-2026-0001")
        emergency_services.incident_link_transaction(
            membership=manager, incident=incident, reference=approved.reference
        )
        transaction_approve(transaction=approved, user=world.users["manager"], note=TYPED)
        # ... and a draft whose red-flag answers the system pre-filled.
        draft = transaction_create(
            organisation=world.organisation,
            user=world.users["staff"],
            reference="SO-2026-0002",
            destination_country="AE",
            end_use=TYPED,
        )
        transaction_line_add(
            transaction=draft,
            user=world.users["staff"],
            item=classified_item(world, listed=True),
            quantity=3,
            value=100,
            currency="EUR",
        )
        # A disposal that kept a record under a legal hold.
        old = IncidentFactory(organisation=world.organisation, title=TYPED, description=TYPED)
        attach(organisation=world.organisation, user=world.users["manager"], target=old)
        long_ago = timezone.now() - relativedelta(years=6)
        Incident.objects.filter(pk=old.pk).update(status="closed", closed_at=long_ago)
        Document._base_manager.filter(object_id=old.pk).update(uploaded_at=long_ago)
        retention_refresh(organisation=world.organisation)
        retained = RetainedRecord.objects.get(record_type="icp.incident", object_id=str(old.pk))
        disposal = disposal_services.disposal_propose(membership=manager, items=[retained])
        hold_services.hold_place(
            membership=manager,
            kind="customs_challenge",
            reference=TYPED,
            title=TYPED,
            items=[retained],
        )
        # An audit with its checklist.
        audit = make_audit(world)
        from audits.services.checklist import checklist_generate

        checklist_generate(audit=audit)
    # Requests carry the writer's language (the middleware activates it).
    approve = world.client("executive").post(
        reverse("records:disposal_approve", args=[disposal.pk]), HTTP_ACCEPT_LANGUAGE=writer
    )
    assert approve.status_code == 302
    bundle = world.client("auditor").post(
        reverse("records:bundle_create"),
        {"scope": "transaction", "transaction": approved.reference, "language": writer},
        HTTP_ACCEPT_LANGUAGE=writer,
    )
    assert bundle.status_code == 302
    job = Job.objects.filter(kind="records.bundle").latest("created_at")
    return {
        "pages": [
            ("manager", reverse("icp:incident_detail", args=[incident.pk])),
            ("manager", approved.get_absolute_url()),
            ("manager", draft.get_absolute_url()),
            ("manager", reverse("records:event_log")),
            ("manager", reverse("records:notification_list")),
            ("executive", reverse("records:notification_list")),
            ("manager", reverse("records:disposal_detail", args=[disposal.pk])),
            ("manager", reverse("records:disposal_list")),
            ("manager", reverse("records:retained_detail", args=[retained.pk])),
            ("manager", reverse("records:retained_list")),
            ("auditor", reverse("audits:checklist", args=[audit.pk])),
            ("auditor", job.get_absolute_url()),
        ],
        "pdfs": [
            ("manager", reverse("transactions:transaction_pdf", args=[approved.pk])),
            ("manager", reverse("transactions:transaction_pdf", args=[draft.pk])),
        ],
    }


@pytest.mark.parametrize(("writer", "reader"), [("zh-hans", "en"), ("en", "zh-hans")])
def test_text_stored_at_write_time_reads_in_the_reader_s_language(
    world,
    django_capture_on_commit_callbacks,
    writer,
    reader,
):
    allowed_before = allow_list()
    with django_capture_on_commit_callbacks(execute=True):
        targets = _write_world(world, writer)
    allowed = sorted(
        {n.strip() for n in [*allowed_before, *_person_typed()] if n and len(n.strip()) > 1},
        key=len,
        reverse=True,
    )
    found = {}
    for persona, url in targets["pages"]:
        response = world.client(persona).get(url, HTTP_ACCEPT_LANGUAGE=reader)
        assert response.status_code == 200, url
        text = strip_allowed(visible_text(response.content.decode()), allowed)
        if bad := leaks(text, reader):
            found[url] = sorted(set(bad))[:10]
    for persona, url in targets["pdfs"]:
        response = world.client(persona).get(url, HTTP_ACCEPT_LANGUAGE=reader)
        assert response.status_code == 200, url
        text = "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
        if reader == "en":
            # PDF text comes back wrapped anywhere: compare without white space (only Han
            # characters are looked for).
            squeezed = [re.sub(r"\s+", "", n) for n in allowed]
            bad = leaks(strip_allowed(re.sub(r"\s+", "", text), [n for n in squeezed if n]), reader)
        else:
            bad = leaks(strip_allowed(text, allowed), reader)
        if bad:
            found[url] = sorted(set(bad))[:10]
    assert not found, found
