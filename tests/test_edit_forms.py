"""No edit form changes a record unasked.

Every edit view is opened as a person allowed to use it, and the form is sent back exactly as
the browser would send it when the user presses "Save" without touching anything. The record
(every concrete field and every many-to-many) must not change, and neither a history row nor an
event-log entry may be written. This catches a form's `initial` (today's date, a default) put
over a stored value, and date inputs that a browser empties because the value is not ISO
(`2026/12/05` in the Chinese UI). A guard walks the URL resolver so that a new edit view must
be registered here.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import models
from django.urls import reverse

from records.models import EventLogEntry
from tests.html_forms import form_data
from tests.test_permission_table import _url_names

PAST = datetime.date(2026, 3, 10)  # never "today", so a default date put over it shows


@dataclass
class EditForm:
    name: str
    make: Callable  # world -> the record the form edits
    persona: str  # a persona allowed to edit it
    args: Callable = lambda record: [record.pk]  # record -> URL arguments
    page: Callable | None = None  # record -> the page holding the form, when not the view itself


def _robot(world):
    from notices.models import WebhookChannel
    from tests.notices.routes import _channel

    return WebhookChannel.objects.get(pk=_channel(world)[0])


def _session(world):
    from tests.icp.factories_training import AttendanceFactory, TrainingSessionFactory

    session = TrainingSessionFactory(
        course__organisation=world.organisation, date=PAST, trainer="Li Ming"
    )
    AttendanceFactory(session=session, user=world.users["staff"])
    session.attendees.add(world.users["staff"])
    return session


def _course(world):
    from tests.icp.factories_training import CourseFactory

    return CourseFactory(organisation=world.organisation)


def _plan(world):
    from tests.icp.factories_emergency import ResponsePlanFactory

    return ResponsePlanFactory(organisation=world.organisation, review_due=PAST)


def _body(world):
    from tests.icp.factories_organisation import ComplianceBodyFactory

    return ComplianceBodyFactory(organisation=world.organisation)


def _position(world):
    from tests.icp.factories_organisation import ComplianceBodyFactory, PositionFactory

    body = ComplianceBodyFactory(organisation=world.organisation)
    return PositionFactory(body=body, holder=world.users["manager"])


def _sod_rule(world):
    from tests.icp.factories_organisation import SodRuleFactory

    return SodRuleFactory(organisation=world.organisation)


def _policy(world):
    from tests.icp.factories_policy import PolicyVersionFactory

    return PolicyVersionFactory(organisation=world.organisation, created_by=world.users["manager"])


def _assessment(world):
    from tests.icp.factories_risk import RiskAssessmentFactory

    return RiskAssessmentFactory(organisation=world.organisation, assessor=world.users["manager"])


def _risk(world):
    from tests.icp.factories_risk import RiskFactorFactory

    return RiskFactorFactory(
        assessment__organisation=world.organisation, assessment__assessor=world.users["manager"]
    )


def _destination(world):
    from tests.icp.factories_risk import DestinationRiskFactory

    return DestinationRiskFactory(organisation=world.organisation, as_of=PAST)


def _retention_rule(world):
    from records.models import RetentionRule

    return RetentionRule.objects.create(
        organisation=world.organisation, subject="document", years=10, start_event="ended"
    )


def _member(world):
    from accounts.models import Membership

    return Membership.objects.get(organisation=world.organisation, user=world.users["staff"])


def _audit(world):
    from tests.audits.factories import make_audit

    return make_audit(
        world,
        elements=["E1", "E4"],
        sample_size=1,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )


def _question(world):
    from audits.services.templates import template_copy, template_standard_ensure

    template = template_copy(
        organisation=world.organisation,
        user=world.users["auditor"],
        source=template_standard_ensure(),
        name_zh="本公司清单",
    )
    return template.questions.first()


def _entity(world):
    from tests.screening.routes_screening import _private_entity

    return _private_entity(world)


def _party(world):
    from tests.screening.factories_parties import PartyFactory

    return PartyFactory(organisation=world.organisation)


def _transaction(world):
    from trade.services.transaction import transaction_create

    return transaction_create(
        organisation=world.organisation,
        user=world.users["staff"],
        reference="SO-EDIT-1",
        destination_country="DE",
        end_use="Machine tools",
    )


def _line(world):
    from tests.trade.factories_transactions import ItemFactory
    from trade.models import TransactionItem

    return TransactionItem.objects.create(
        organisation=world.organisation,
        transaction=_transaction(world),
        item=ItemFactory(organisation=world.organisation),
        quantity=3,
        value=1200,
    )


def _item(world):
    from tests.trade.factories_transactions import ItemFactory

    return ItemFactory(organisation=world.organisation)


def _licence(world):
    from tests.screening.factories_parties import PartyFactory
    from tests.trade.factories_transactions import ItemFactory
    from trade.models import Licence

    licence = Licence.objects.create(
        organisation=world.organisation,
        number="LIC-EDIT",
        kind="general",
        issued_on=PAST,
        valid_from=PAST,
        valid_until=PAST + datetime.timedelta(days=300),
        destinations=["DE"],
    )
    licence.items.add(ItemFactory(organisation=world.organisation))
    licence.end_users.add(PartyFactory(organisation=world.organisation))
    return licence


def _case(world):
    from tests.outreach.factories import EnforcementCaseFactory

    return EnforcementCaseFactory(
        organisation=world.organisation, created_by=world.users["manager"]
    )


def _event(world):
    from tests.chambers.factories import ChamberFactory
    from tests.outreach.factories import EventFactory

    ChamberFactory(organisation=world.organisation)
    return EventFactory(organisation=world.organisation, created_by=world.users["manager"])


EDIT_FORMS = [
    EditForm("accounts:member_edit", _member, "manager"),
    EditForm("notices:channel_edit", _robot, "manager"),
    EditForm("records:rule_edit", _retention_rule, "manager"),
    EditForm("audits:audit_edit", _audit, "auditor"),
    EditForm("audits:question_edit", _question, "auditor"),
    EditForm(
        "screening:entity_edit",
        _entity,
        "manager",
        args=lambda entity: [entity.version.screening_list_id, entity.pk],
    ),
    EditForm("parties:edit", _party, "manager"),
    EditForm("transactions:transaction_edit", _transaction, "staff"),
    EditForm(
        "transactions:line_update",
        _line,
        "staff",
        args=lambda line: [line.transaction_id, line.pk],
        page=lambda line: line.transaction.get_absolute_url(),  # inline on the order
    ),
    EditForm("transactions:item_edit", _item, "manager"),
    EditForm("transactions:licence_edit", _licence, "manager"),
    EditForm("icp:plan_edit", _plan, "manager"),
    EditForm("icp:risk_assessment_update", _assessment, "manager"),
    EditForm("icp:risk_factor_update", _risk, "manager"),
    EditForm("icp:destination_risk_update", _destination, "manager"),
    EditForm("icp:course_update", _course, "manager"),
    EditForm("icp:session_update", _session, "manager"),
    EditForm("icp:policy_version_edit", _policy, "manager"),
    EditForm("icp:compliance_body_update", _body, "manager"),
    EditForm("icp:position_update", _position, "manager"),
    EditForm("icp:sod_rule_update", _sod_rule, "manager"),
    EditForm("outreach:case_update", _case, "manager"),
    EditForm("outreach:event_update", _event, "manager"),
]

# URL names that look like edit views but have no edit form to save unchanged, with the reason.
NOT_EDIT_FORMS = {
    "audits:action_update": "a status-and-note POST from the action page, not an edit form",
}

EDIT_SUFFIXES = ("_edit", "_update", "edit")


def test_every_edit_view_is_registered():
    edit_names = {name for name in _url_names() if name.split(":")[-1].endswith(EDIT_SUFFIXES)} - {
        "admin"
    }
    registered = {form.name for form in EDIT_FORMS}
    missing = sorted(edit_names - registered - set(NOT_EDIT_FORMS))
    assert not missing, f"edit views missing from EDIT_FORMS in {__name__}: {missing}"
    stale = sorted((registered | set(NOT_EDIT_FORMS)) - edit_names)
    assert not stale, f"registered names that are no URL: {stale}"


def snapshot(record) -> dict:
    """Every stored value of the record (auto-updated timestamps aside) and its many-to-many."""
    model = type(record)
    fresh = model._base_manager.get(pk=record.pk)
    values = {
        field.attname: getattr(fresh, field.attname)
        for field in model._meta.concrete_fields
        if not getattr(field, "auto_now", False)
    }
    if isinstance(fresh, models.Model):
        for field in model._meta.many_to_many:
            values[field.name] = sorted(getattr(fresh, field.name).values_list("pk", flat=True))
    for name, value in values.items():
        if isinstance(value, models.fields.files.FieldFile):
            values[name] = value.name
    return values


def history_count(record) -> int:
    history = getattr(type(record), "history", None)
    if history is None:
        return 0
    return type(record).history.filter(**{type(record)._meta.pk.attname: record.pk}).count()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("edit", EDIT_FORMS, ids=lambda edit: edit.name)
def test_saving_an_edit_form_unchanged_changes_nothing(edit, language, world, reference):
    record = edit.make(world)
    url = reverse(edit.name, args=edit.args(record))
    client = world.client(edit.persona)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page_url = edit.page(record) if edit.page else url
    page = client.get(page_url)
    assert page.status_code == 200, f"GET {page_url} as {edit.persona}: {page.status_code}"
    data = form_data(page.content.decode(), action=url)

    before, histories, events = (
        snapshot(record),
        history_count(record),
        EventLogEntry.objects.count(),
    )
    response = client.post(url, data)

    errors = ""
    if response.status_code == 200 and response.context and "form" in response.context:
        errors = response.context["form"].errors.as_json()
    assert response.status_code == 302, (
        f"saving {edit.name} unchanged in {language} did not succeed "
        f"({response.status_code}): {errors} (sent {data})"
    )
    after = snapshot(record)
    changed = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
    assert not changed, f"{edit.name} saved unchanged in {language} changed {changed}"
    assert history_count(record) == histories, f"{edit.name} wrote a history row"
    assert EventLogEntry.objects.count() == events, f"{edit.name} wrote an event-log entry"
