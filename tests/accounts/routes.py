from tests.routes import PUBLIC, Route, expect

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
]
