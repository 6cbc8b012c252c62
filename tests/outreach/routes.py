"""Permission-table rows for outreach.

A chamber's event pages are read by its compliance managers, auditors and management and kept
by its compliance managers; in an organisation that is not a chamber they answer 404. A member's
event pages are open to every person of an active member organisation; an outsider (not a
member) gets 404 on an event. The case library is read by everyone for the chambers' cases and by
the programme's readers for the organisation's own; compliance managers enter cases. The
certificate check is public.
"""

from tests.routes import EDITORS, EVERY_MEMBER, PUBLIC, READERS, Route, expect, own_record

CHAMBER_READERS = own_record(READERS)
CHAMBER_EDITORS = own_record(EDITORS)
CHAMBER_POST = own_record({**EDITORS, "manager": 302})
MEMBER_POST = own_record(expect(manager=302, auditor=302, executive=302, staff=302))


def _as_chamber(world):
    from tests.chambers.factories import ChamberFactory

    ChamberFactory(organisation=world.organisation)
    return []


def _own_event(world):
    from tests.outreach.factories import EventFactory

    _as_chamber(world)
    return [EventFactory(organisation=world.organisation, created_by=world.users["manager"]).pk]


def _event_data(world):
    return {
        "kind": "seminar",
        "title_zh": "出口管制合规研讨会",
        "starts_at": "2030-05-20T14:00",
        "duration_minutes": "120",
        "place": "商会报告厅",
        "capacity": "40",
        "registration_deadline": "2030-05-18T17:00",
    }


def _member_event(world):
    """An event of a chamber the test organisation is an active member of."""
    from tests.chambers.factories import ChamberMembershipFactory
    from tests.outreach.factories import EventFactory

    membership = ChamberMembershipFactory(member=world.organisation)
    return [EventFactory(organisation=membership.organisation).pk]


def _own_registration(world, persona: str):
    """The persona's own registration for an event of its organisation's chamber."""
    from outreach.models import Event
    from tests.outreach.factories import RegistrationFactory

    event = Event.objects.get(pk=_member_event(world)[0])
    registration = RegistrationFactory(
        event=event, member=world.organisation, user=world.users[persona], attended=True
    )
    registration.verification_code = f"code-{registration.pk}"
    registration.save()
    return [registration.pk]


def _public_certificate(world):
    registration_pk = _own_registration(world, "staff")[0]
    return [f"code-{registration_pk}"]


def _own_case(world):
    from tests.outreach.factories import EnforcementCaseFactory

    return [
        EnforcementCaseFactory(
            organisation=world.organisation, created_by=world.users["manager"]
        ).pk
    ]


def _chamber_case(world):
    _as_chamber(world)
    return _own_case(world)


def _member_case(world):
    from tests.chambers.factories import ChamberMembershipFactory
    from tests.outreach.factories import EnforcementCaseFactory

    membership = ChamberMembershipFactory(member=world.organisation)
    return [EnforcementCaseFactory(organisation=membership.organisation, status="published").pk]


def _case_data(world):
    return {
        "title_zh": "某公司未经许可出口管制物项案",
        "authority": "customs",
        "authority_name": "南京海关",
        "decision_number": "宁关缉违字〔2025〕0001号",
        "decision_date": "2025-02-03",
        "source": "https://example.test/decision",
        "summary_zh": "案情。",
        "provisions": ["ECL-34"],
    }


ROUTES = [
    Route("outreach:event_list", CHAMBER_READERS, args=_as_chamber),
    Route("outreach:event_create", CHAMBER_EDITORS, args=_as_chamber),
    Route("outreach:event_create", CHAMBER_POST, args=_as_chamber, method="post", data=_event_data),
    Route("outreach:event_detail", CHAMBER_READERS, args=_own_event),
    Route("outreach:event_update", CHAMBER_EDITORS, args=_own_event),
    Route("outreach:event_update", CHAMBER_POST, args=_own_event, method="post", data=_event_data),
    Route("outreach:event_cancel", CHAMBER_EDITORS, args=_own_event),
    Route(
        "outreach:event_cancel",
        CHAMBER_POST,
        args=_own_event,
        method="post",
        data=lambda world: {"reason": "讲师因故无法到场。"},
    ),
    Route(
        "outreach:event_attendance",
        CHAMBER_POST,
        args=_own_event,
        method="post",
        data=lambda world: {},
    ),
    Route("outreach:member_event_list", EVERY_MEMBER),
    Route("outreach:member_event_detail", own_record(EVERY_MEMBER), args=_member_event),
    Route("outreach:event_register", MEMBER_POST, args=_member_event, method="post"),
    # Only the person who registered cancels or downloads; the others get 404.
    Route(
        "outreach:registration_cancel",
        own_record(expect(manager=302, auditor=404, executive=404, staff=404)),
        args=lambda world: _own_registration(world, "manager"),
        method="post",
    ),
    Route(
        "outreach:registration_certificate",
        own_record(expect(manager=404, auditor=404, executive=404, staff=200)),
        args=lambda world: _own_registration(world, "staff"),
    ),
    Route(
        "outreach:certificate_verify",
        {**PUBLIC, "outsider": 200},
        args=_public_certificate,
        id="outreach:certificate_verify:public",
    ),
    Route("outreach:case_list", EVERY_MEMBER),
    Route("outreach:case_create", EDITORS),
    Route(
        "outreach:case_create",
        expect(manager=302, auditor=403, executive=403, staff=403, outsider=302),
        method="post",
        data=_case_data,
    ),
    Route("outreach:case_detail", own_record(READERS), args=_own_case),
    Route("outreach:case_update", own_record(EDITORS), args=_own_case),
    Route(
        "outreach:case_update",
        own_record({**EDITORS, "manager": 302}),
        args=_own_case,
        method="post",
        data=_case_data,
    ),
    Route("outreach:case_publish", CHAMBER_POST, args=_chamber_case, method="post"),
    Route("outreach:member_case_detail", own_record(EVERY_MEMBER), args=_member_case),
]
