"""Permission-table rows for E1 (compliance policy statement)."""

from tests.icp.factories_policy import PolicyVersionFactory
from tests.routes import EDITORS, EVERY_MEMBER, LOGIN, READERS, Route, expect, own_record

REDIRECT = 302  # a POST that succeeds (or is refused with a message) redirects


def _version(world, **traits):
    return PolicyVersionFactory(
        organisation=world.organisation, created_by=world.users["manager"], **traits
    )


def _pk(**traits):
    return lambda world: [_version(world, **traits).pk]


POST_EDITORS = own_record(
    expect(manager=REDIRECT, auditor=403, executive=403, staff=403)
)  # fmt: skip
POST_APPROVERS = expect(manager=403, auditor=403, executive=REDIRECT, staff=403, outsider=403)

ROUTES = [
    Route("icp:policy_home", EVERY_MEMBER),
    Route("icp:policy_version_list", READERS),
    Route("icp:policy_compare", READERS),
    Route("icp:policy_version_create", EDITORS),
    Route(
        "icp:policy_version_create",
        expect(manager=REDIRECT, auditor=403, executive=403, staff=403, outsider=REDIRECT),
        method="post",
        data=lambda world: {
            "title_zh": "出口管制合规政策声明",
            "body_zh": "本公司严格遵守出口管制法律法规。",
            "signatory_name": "刘建国",
            "signatory_title": "总经理",
            "effective_date": "2026-01-01",
        },
    ),
    Route("icp:policy_version_detail", own_record(READERS), args=_pk()),
    Route("icp:policy_version_edit", own_record(EDITORS), args=_pk()),
    Route(
        "icp:policy_version_edit",
        POST_EDITORS,
        args=_pk(),
        method="post",
        data=lambda world: {
            "title_zh": "出口管制合规政策声明",
            "body_zh": "修订后的正文。",
            "signatory_name": "刘建国",
            "signatory_title": "总经理",
            "effective_date": "2026-01-01",
        },
    ),
    Route("icp:policy_version_submit", POST_EDITORS, args=_pk(), method="post"),
    Route(
        "icp:policy_version_approve",
        POST_APPROVERS,
        args=_pk(submitted=True),
        method="post",
        data=lambda world: {"comment": ""},
    ),
    Route(
        "icp:policy_version_return",
        POST_APPROVERS,
        args=_pk(submitted=True),
        method="post",
        data=lambda world: {"comment": "请补充第五条。"},
    ),
    Route("icp:policy_version_publish", POST_EDITORS, args=_pk(approved=True), method="post"),
    Route("icp:policy_version_new_from", POST_EDITORS, args=_pk(published=True), method="post"),
    Route(
        "icp:policy_acknowledge",
        own_record(
            expect(
                manager=REDIRECT,
                auditor=REDIRECT,
                executive=REDIRECT,
                staff=REDIRECT,
                anonymous=LOGIN,
            )
        ),
        args=_pk(published=True),
        method="post",
    ),
    Route("icp:policy_acknowledgements", own_record(READERS), args=_pk(published=True)),
]
