"""Permission-table rows for the service provider pages (see tests/routes.py)."""

from providers.models import CustomerCheck, ProviderKind, ProviderProfile
from tests.routes import EDITORS, EVERY_MEMBER, Route, expect, own_record

CHECKERS = EVERY_MEMBER  # staff check requests; readers read them
CREATORS = expect(auditor=403, executive=403)


def _forwarder(world):
    ProviderProfile.objects.get_or_create(
        organisation=world.organisation, defaults={"kind": ProviderKind.FORWARDER}
    )
    ProviderProfile.objects.get_or_create(
        organisation=world.other_organisation, defaults={"kind": ProviderKind.FORWARDER}
    )
    return []


def _check(world):
    _forwarder(world)
    check = CustomerCheck.objects.create(
        organisation=world.organisation,
        reference="AWB-1",
        customer_name="Shili Optics",
        counterparty_name="Gulf Horizon General Trading FZE",
        goods="Infrared lenses",
        declared=CustomerCheck.Declared.UNKNOWN,  # not releasable: the form tests need a refusal
        created_by=world.users["staff"],
    )
    return [check.pk]


ROUTES = [
    Route("providers:profile", EVERY_MEMBER),
    Route("providers:check_list", CHECKERS, args=lambda world: _forwarder(world) or None),
    Route("providers:check_create", CREATORS, args=lambda world: _forwarder(world) or None),
    Route("providers:check_detail", own_record(CHECKERS), args=_check),
    Route("providers:check_decide", own_record(EDITORS), args=_check, method="post"),
    Route("providers:check_report", own_record(EDITORS), args=_check, method="post"),
]
