from tests.routes import EDITORS, EVERY_MEMBER, Route, expect, own_record
from tests.trade.factories import PartyFactory

SCREENERS = expect(auditor=403, executive=403)


def _party(world):
    return PartyFactory(organisation=world.organisation)


ROUTES = [
    Route("trade:party_list", EVERY_MEMBER),
    Route("trade:party_create", SCREENERS),
    Route("trade:party_import", EDITORS),
    Route(
        "trade:party_rescreen_all",
        expect(manager=302, auditor=403, executive=403, staff=403, outsider=302),
        method="post",
    ),
    Route("trade:party_detail", own_record(EVERY_MEMBER), args=lambda w: [_party(w).pk]),
    Route("trade:party_edit", own_record(SCREENERS), args=lambda w: [_party(w).pk]),
    Route(
        "trade:party_screen",
        own_record(expect(manager=302, auditor=403, executive=403, staff=302)),
        method="post",
        args=lambda w: [_party(w).pk],
    ),
]
