"""Permission-table rows for E2 (compliance organisation)."""

from tests.icp.factories_organisation import (
    ComplianceBodyFactory,
    PositionFactory,
    SodRuleFactory,
)
from tests.routes import EDITORS, READERS, Route, expect, own_record

REDIRECT = 302


def _body(world):
    return [ComplianceBodyFactory(organisation=world.organisation).pk]


def _position(world):
    body = ComplianceBodyFactory(organisation=world.organisation)
    return [PositionFactory(body=body, holder=world.users["manager"]).pk]


def _rule(world):
    return [SodRuleFactory(organisation=world.organisation).pk]


ROUTES = [
    Route("icp:organisation_home", READERS),
    Route("icp:compliance_body_create", EDITORS),
    Route(
        "icp:compliance_body_create",
        expect(manager=REDIRECT, auditor=403, executive=403, staff=403, outsider=REDIRECT),
        method="post",
        data=lambda world: {"kind": "committee", "name_zh": "出口管制合规委员会", "order": 0},
    ),
    Route("icp:compliance_body_detail", own_record(READERS), args=_body),
    Route("icp:compliance_body_update", own_record(EDITORS), args=_body),
    Route("icp:position_list", READERS),
    Route("icp:position_create", EDITORS),
    Route("icp:position_detail", own_record(READERS), args=_position),
    Route("icp:position_update", own_record(EDITORS), args=_position),
    Route("icp:sod_rule_list", READERS),
    Route("icp:sod_rule_create", EDITORS),
    Route("icp:sod_rule_detail", own_record(READERS), args=_rule),
    Route("icp:sod_rule_update", own_record(EDITORS), args=_rule),
    Route(
        "icp:sod_rules_install",
        expect(manager=REDIRECT, auditor=403, executive=403, staff=403, outsider=REDIRECT),
        method="post",
    ),
]
