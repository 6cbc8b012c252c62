from tests.routes import EDITORS, EVERY_MEMBER, Route, expect, own_record
from tests.screening.factories_parties import PartyFactory

SCREENERS = expect(auditor=403, executive=403)


def _party(world):
    return PartyFactory(organisation=world.organisation)


ROUTES = [
    Route("parties:list", EVERY_MEMBER),
    Route("parties:create", SCREENERS),
    Route("parties:import", EDITORS),
    Route(
        "parties:rescreen_all",
        expect(manager=302, auditor=403, executive=403, staff=403, outsider=302),
        method="post",
    ),
    Route("parties:detail", own_record(EVERY_MEMBER), args=lambda w: [_party(w).pk]),
    Route("parties:edit", own_record(SCREENERS), args=lambda w: [_party(w).pk]),
    Route(
        "parties:screen",
        own_record(expect(manager=302, auditor=403, executive=403, staff=302)),
        method="post",
        args=lambda w: [_party(w).pk],
    ),
]
