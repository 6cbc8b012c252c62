"""Permission-table rows for the screening pages and the API (see tests/routes.py).

The API accepts only tokens, so with the table's session logins every persona gets 401; the
per-role API table with tokens is in tests/screening/test_api.py."""

from accounts.tokens import api_token_create
from screening.models import Screening, ScreeningList
from screening.services.screening import screening_run
from tests.routes import EDITORS, EVERY_MEMBER, READERS, Route, expect, own_record
from tests.screening.factories import ScreeningListFactory, add_entity

SCREENERS = expect(auditor=403, executive=403)
API_ONLY = expect(anonymous=401, manager=401, auditor=401, executive=401, staff=401, outsider=401)


def _public_list(world):
    screening_list = ScreeningList.objects.filter(code="ROUTE-PUBLIC").first()
    if screening_list is None:
        screening_list = ScreeningListFactory(code="ROUTE-PUBLIC")
        add_entity(screening_list, "P-1", "Lockheed Martin Corporation", countries=["US"])
        screening_list.refresh_from_db()
    return screening_list


def _private_list(world):
    screening_list = ScreeningList.objects.filter(code="ROUTE-PRIVATE").first()
    if screening_list is None:
        screening_list = ScreeningListFactory(organisation=world.organisation, code="ROUTE-PRIVATE")
        add_entity(screening_list, "I-1", "Gulf Horizon General Trading FZE", countries=["AE"])
        screening_list.refresh_from_db()
    return screening_list


def _screening(world):
    _private_list(world)
    return screening_run(
        organisation=world.organisation,
        names=["Gulf Horizon General Trading FZE"],
        source=Screening.Source.PAGE,
        user=world.users["manager"],
    )


def _private_version(world):
    return _private_list(world).current_version


def _private_entity(world):
    return _private_list(world).current_version.entities.get()


def _token(world):
    return api_token_create(
        organisation=world.organisation, user=world.users["manager"], name="ERP"
    )[0]


ROUTES = [
    Route("screening:screen", EVERY_MEMBER),
    Route(
        "screening:screen",
        expect(auditor=403, executive=403, manager=302, staff=302, outsider=302),
        method="post",
        data=lambda w: {"name": "华为技术有限公司", "country": "CN"},
        id="screening:screen:post",
    ),
    Route("screening:queue", READERS),
    Route("screening:screening_list", READERS),
    # Staff see only screenings they ran themselves; this one was run by the manager.
    Route(
        "screening:screening_detail",
        own_record(expect(staff=404)),
        args=lambda w: [_screening(w).pk],
    ),
    Route(
        "screening:hit_adjudicate",
        own_record(expect(manager=302, auditor=403, executive=403, staff=403)),
        method="post",
        args=lambda w: [_screening(w).hits.first().pk],
        data=lambda w: {
            "outcome": "false_positive",
            "reason": "Different company, licence checked.",
        },
    ),
    Route("screening:settings", EDITORS),
    Route("screening:list_index", READERS),
    Route("screening:list_create", EDITORS),
    Route(
        "screening:list_detail",
        READERS,
        args=lambda w: [_public_list(w).pk],
        id="screening:list_detail:public",
    ),
    Route("screening:list_detail", own_record(READERS), args=lambda w: [_private_list(w).pk]),
    # Public lists are maintained by superusers only; private ones by their compliance managers.
    Route(
        "screening:list_import",
        expect(manager=403, auditor=403, executive=403, staff=403, outsider=403),
        args=lambda w: [_public_list(w).pk],
        id="screening:list_import:public",
    ),
    Route("screening:list_import", own_record(EDITORS), args=lambda w: [_private_list(w).pk]),
    Route("screening:entity_create", own_record(EDITORS), args=lambda w: [_private_list(w).pk]),
    Route(
        "screening:list_severity",
        expect(manager=403, auditor=403, executive=403, staff=403, outsider=403),
        args=lambda w: [_public_list(w).pk],
        id="screening:list_severity:public",
    ),
    Route("screening:list_severity", own_record(EDITORS), args=lambda w: [_private_list(w).pk]),
    Route(
        "screening:list_severity",
        own_record(expect(manager=302, auditor=403, executive=403, staff=403)),
        method="post",
        args=lambda w: [_private_list(w).pk],
        data=lambda w: {"severity": "red_flag", "reason": ""},
        id="screening:list_severity:post",
    ),
    Route("screening:announcement_add", own_record(EDITORS), args=lambda w: [_private_list(w).pk]),
    Route(
        "screening:entity_edit",
        own_record(EDITORS),
        args=lambda w: [_private_list(w).pk, _private_entity(w).pk],
    ),
    Route("screening:version_detail", own_record(READERS), args=lambda w: [_private_version(w).pk]),
    Route("screening:entity_detail", own_record(READERS), args=lambda w: [_private_entity(w).pk]),
    Route("screening:token_list", EDITORS),
    Route(
        "screening:token_revoke",
        own_record(expect(manager=302, auditor=403, executive=403, staff=403)),
        method="post",
        args=lambda w: [_token(w).pk],
    ),
    Route("api:screen", API_ONLY, method="post", data=lambda w: {"parties": [{"name": "A"}]}),
    Route("api:schema", expect(anonymous=401)),
    Route("api:docs", EVERY_MEMBER),
]
