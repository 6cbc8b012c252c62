from tests.routes import EVERY_MEMBER, PUBLIC, Route, expect

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
]
