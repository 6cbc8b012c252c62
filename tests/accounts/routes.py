from accounts.models import Membership
from tests.accounts.factories import InvitationFactory
from tests.routes import EDITORS, EVERY_MEMBER, PUBLIC, READERS, Route, expect, own_record

AUTHENTICATED = expect()
LOGGED_IN_REDIRECT = {
    **PUBLIC,
    **{p: 302 for p in ("manager", "auditor", "executive", "staff", "outsider")},
}

ROUTES = [
    # A logged-in user who opens the login page goes straight to the overview.
    Route("accounts:login", LOGGED_IN_REDIRECT),
    Route(
        "accounts:logout",
        {
            **AUTHENTICATED,
            "anonymous": 302,
            "manager": 302,
            "auditor": 302,
            "executive": 302,
            "staff": 302,
            "outsider": 302,
        },
        method="post",
    ),
    Route("accounts:password_change", AUTHENTICATED),
    Route("accounts:password_change_done", AUTHENTICATED),
    Route("accounts:password_reset", PUBLIC),
    Route("accounts:password_reset_done", PUBLIC),
    Route("accounts:password_reset_confirm", PUBLIC, args=lambda world: ["MQ", "bad-token"]),
    Route("accounts:password_reset_complete", PUBLIC),
    Route(
        "accounts:switch_organisation",
        {
            **AUTHENTICATED,
            **{p: 302 for p in ("manager", "auditor", "executive", "staff", "outsider")},
        },
        method="post",
        data=lambda world: {"organisation": world.organisation.pk},
    ),
    # Every member reads their own organisation's details (the outsider, their own); compliance
    # managers change them.
    Route("accounts:organisation_profile", EVERY_MEMBER),
    Route(
        "accounts:organisation_profile",
        expect(manager=302, auditor=403, executive=403, staff=403, outsider=302),
        method="post",
        data=lambda world: {"name_zh": "新名称有限公司"},
    ),
    # No organisation of the test world has a logo yet (tests/accounts/test_organisation_profile.py
    # serves one).
    Route(
        "accounts:organisation_logo",
        expect(manager=404, auditor=404, executive=404, staff=404, outsider=404),
    ),
    # Members: compliance managers manage them; auditors and management read the list (they
    # check segregation of duties and audit independence); staff do not see it. The outsider sees
    # their own organisation's members and never a member of another one.
    Route("accounts:member_list", READERS),
    Route("accounts:member_invite", EDITORS),
    Route(
        "accounts:member_invite",
        expect(manager=302, auditor=403, executive=403, staff=403, outsider=302),
        method="post",
        data=lambda world: {"email": "new.colleague@acme.test", "role": "auditor"},
    ),
    Route("accounts:member_edit", own_record(EDITORS), args=lambda world: [_staff(world)]),
    Route(
        "accounts:member_edit",
        own_record(expect(manager=302, auditor=403, executive=403, staff=403)),
        method="post",
        args=lambda world: [_staff(world)],
        data=lambda world: {"role": "auditor", "job_title": ""},
    ),
    Route(
        "accounts:member_deactivate",
        own_record(expect(manager=302, auditor=403, executive=403, staff=403)),
        method="post",
        args=lambda world: [_staff(world)],
    ),
    Route(
        "accounts:member_reactivate",
        own_record(expect(manager=302, auditor=403, executive=403, staff=403)),
        method="post",
        args=lambda world: [_staff(world)],
    ),
    Route(
        "accounts:invitation_cancel",
        own_record(expect(manager=302, auditor=403, executive=403, staff=403)),
        method="post",
        args=lambda world: [
            InvitationFactory(organisation=world.organisation, invited_by=world.users["manager"]).pk
        ],
    ),
    # The invitation link needs no login: the signed token is the proof (a bad one is refused).
    Route("accounts:invitation_accept", PUBLIC, args=lambda world: ["not-a-signed-token"]),
]


def _staff(world) -> int:
    return Membership.objects.get(user=world.users["staff"], organisation=world.organisation).pk
