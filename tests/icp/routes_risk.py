from icp.models import DestinationRisk
from tests.icp.factories_risk import (
    DestinationRiskFactory,
    RiskAssessmentFactory,
    RiskFactorFactory,
)
from tests.routes import EDITORS, READERS, Route, own_record


def _assessment(world):
    assessment = RiskAssessmentFactory(
        organisation=world.organisation, assessor=world.users["manager"]
    )
    RiskFactorFactory(assessment=assessment)
    return [assessment.pk]


def _risk(world):
    return [
        RiskFactorFactory(
            assessment__organisation=world.organisation,
            assessment__assessor=world.users["manager"],
        ).pk
    ]


def _own_destination(world):
    return [DestinationRiskFactory(organisation=world.organisation).pk]


def _reference_destination(world):
    return [DestinationRisk.objects.reference().get(country="KP").pk]


# POSTs redirect (302) for those allowed.
EDIT_POST = own_record({**EDITORS, "manager": 302})

ROUTES = [
    Route("icp:risk_assessment_list", READERS),
    Route("icp:risk_assessment_create", EDITORS),
    Route("icp:risk_assessment_detail", own_record(READERS), args=_assessment),
    Route("icp:risk_assessment_update", own_record(EDITORS), args=_assessment),
    # Only management approves; the role check comes first, so the outsider (a compliance
    # manager elsewhere) is refused before any lookup.
    Route(
        "icp:risk_assessment_approve",
        {**EDITORS, "manager": 403, "executive": 302, "outsider": 403},
        args=_assessment,
        method="post",
    ),
    Route("icp:risk_assessment_copy", own_record(EDITORS), args=_assessment),
    Route("icp:risk_assessment_compare", own_record(READERS), args=_assessment),
    Route("icp:risk_factor_create", own_record(EDITORS), args=_assessment),
    Route("icp:risk_factor_detail", own_record(READERS), args=_risk),
    Route("icp:risk_factor_update", own_record(EDITORS), args=_risk),
    Route("icp:risk_factor_delete", EDIT_POST, args=_risk, method="post"),
    Route("icp:destination_risk_list", READERS),
    Route("icp:destination_risk_create", EDITORS),
    Route("icp:destination_risk_detail", own_record(READERS), args=_own_destination),
    # Reference rows are the same for every organisation.
    Route(
        "icp:destination_risk_detail",
        READERS,
        args=_reference_destination,
        id="icp:destination_risk_detail:reference",
    ),
    Route("icp:destination_risk_update", own_record(EDITORS), args=_own_destination),
    # A reference row cannot be edited through the organisation's form: not found.
    Route(
        "icp:destination_risk_update",
        {**EDITORS, "manager": 404, "outsider": 404},
        args=_reference_destination,
        id="icp:destination_risk_update:reference",
    ),
    Route("icp:destination_risk_delete", EDIT_POST, args=_own_destination, method="post"),
]
