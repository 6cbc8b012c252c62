import datetime
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError

from accounts.roles import Role
from icp.models import DestinationRisk, RiskAssessment, RiskFactor
from icp.models.risk import risk_band
from icp.selectors.risk import (
    destination_risk_for,
    destination_risk_list,
    risk_assessment_compare,
    risk_assessment_previous,
    risk_heat_map,
)
from icp.services import destination_risk as destination_services
from icp.services import risk as services
from reference.services import DEFAULT_FRAMEWORK_FILE, reference_framework_load
from tests.accounts.factories import MembershipFactory
from tests.icp.factories_risk import DestinationRiskFactory
from tests.icp.factories_training import CourseFactory

pytestmark = pytest.mark.django_db


def _risk_values(**overrides):
    values = {
        "category": "destinations",
        "title_zh": "经第三国转运至受限最终用户",
        "title_en": "Transhipment via third countries to restricted end users",
        "likelihood": 4,
        "impact": 5,
        "residual_likelihood": 2,
        "residual_impact": 5,
    }
    return values | overrides


@pytest.fixture
def assessment(world):
    return services.risk_assessment_create(
        organisation=world.organisation,
        user=world.users["manager"],
        title="2026年度出口管制风险评估",
        assessment_date=datetime.date(2026, 1, 20),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )


def _complete(assessment, user, n=2):
    return [
        services.risk_factor_create(
            assessment=assessment,
            user=user,
            owner=user,
            review_date=datetime.date(2026, 6, 30),
            **_risk_values(title_en=f"Risk {i}"),
        )
        for i in range(n)
    ]


def test_scores_are_likelihood_times_impact_before_and_after_mitigation(assessment, manager):
    risk = services.risk_factor_create(assessment=assessment, user=manager, **_risk_values())
    assert (risk.inherent_score, risk.residual_score) == (20, 10)
    assert (risk.inherent_band, risk.residual_band) == ("critical", "high")
    assert [risk_band(s) for s in (1, 4, 5, 9, 10, 14, 15, 25)] == [
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
        "critical",
        "critical",
    ]


def test_residual_cannot_exceed_inherent_and_scores_stay_on_the_scale(assessment, manager):
    with pytest.raises(ValidationError, match="cannot be higher"):
        services.risk_factor_create(
            assessment=assessment, user=manager, **_risk_values(residual_likelihood=5)
        )
    with pytest.raises(ValidationError):
        services.risk_factor_create(assessment=assessment, user=manager, **_risk_values(impact=6))
    assert not assessment.risks.exists()


def test_a_risk_needs_a_name_and_an_owner_from_the_organisation(world, assessment, manager):
    with pytest.raises(ValidationError, match="Name the risk"):
        services.risk_factor_create(
            assessment=assessment, user=manager, **_risk_values(title_zh="", title_en="")
        )
    with pytest.raises(ValidationError, match="member of this organisation"):
        services.risk_factor_create(
            assessment=assessment,
            user=manager,
            owner=world.users["outsider"],
            **_risk_values(),
        )


def test_keys_follow_one_sequence_per_organisation_and_are_never_reused(assessment, manager):
    first, second = _complete(assessment, manager)
    assert (first.key, second.key) == ("R-001", "R-002")
    services.risk_factor_delete(risk=second, user=manager)
    third = services.risk_factor_create(assessment=assessment, user=manager, **_risk_values())
    assert third.key == "R-003"


def test_courses_of_another_organisation_cannot_be_linked(world, assessment, manager):
    foreign = CourseFactory(organisation=world.other_organisation)
    with pytest.raises(ValidationError, match="another organisation"):
        services.risk_factor_create(
            assessment=assessment, user=manager, courses=[foreign], **_risk_values()
        )


def test_only_management_approves_and_not_their_own_assessment(world, assessment, manager):
    _complete(assessment, manager)
    for persona in ("manager", "auditor", "staff"):
        with pytest.raises(ValidationError, match="management member"):
            services.risk_assessment_approve(assessment=assessment, user=world.users[persona])
    executive = world.users["executive"]
    own = services.risk_assessment_create(
        organisation=world.organisation,
        user=executive,
        title="Own",
        assessment_date=datetime.date(2026, 2, 1),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    _complete(own, executive, n=1)
    with pytest.raises(ValidationError, match="cannot approve their own"):
        services.risk_assessment_approve(assessment=own, user=executive)


def test_an_empty_or_incomplete_register_cannot_be_approved(world, assessment, manager):
    executive = world.users["executive"]
    with pytest.raises(ValidationError, match="without any risk"):
        services.risk_assessment_approve(assessment=assessment, user=executive)
    services.risk_factor_create(assessment=assessment, user=manager, **_risk_values())
    with pytest.raises(ValidationError, match=r"owner and a review date.*R-001"):
        services.risk_assessment_approve(assessment=assessment, user=executive)


def test_approved_assessment_is_frozen(world, assessment, manager):
    first, _second = _complete(assessment, manager)
    executive = world.users["executive"]
    approved = services.risk_assessment_approve(
        assessment=assessment, user=executive, note="资源已到位"
    )
    assert approved.status == RiskAssessment.Status.APPROVED
    assert approved.approved_by == executive and approved.approved_at is not None
    frozen = "approved and can no longer be changed"
    with pytest.raises(ValidationError, match=frozen):
        services.risk_assessment_update(assessment=approved, user=manager, title="Changed")
    with pytest.raises(ValidationError, match=frozen):
        services.risk_factor_create(assessment=approved, user=manager, **_risk_values())
    with pytest.raises(ValidationError, match=frozen):
        services.risk_factor_update(risk=first, user=manager, likelihood=1, residual_likelihood=1)
    with pytest.raises(ValidationError, match=frozen):
        services.risk_factor_delete(risk=first, user=manager)
    with pytest.raises(ValidationError, match=frozen):
        services.risk_assessment_approve(assessment=approved, user=executive)
    first.refresh_from_db()
    assert first.likelihood == 4 and approved.risks.count() == 2


def test_every_change_is_in_the_history(assessment, manager):
    risk = services.risk_factor_create(assessment=assessment, user=manager, **_risk_values())
    services.risk_factor_update(risk=risk, user=manager, likelihood=5)
    assert [h.likelihood for h in risk.history.order_by("history_date")] == [4, 5]


def _approved_2025(world, manager):
    previous = services.risk_assessment_create(
        organisation=world.organisation,
        user=manager,
        title="2025",
        assessment_date=datetime.date(2025, 1, 20),
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    course = CourseFactory(organisation=world.organisation)
    risks = _complete(previous, manager, n=3)
    risks[0].courses.add(course)
    services.risk_assessment_approve(assessment=previous, user=world.users["executive"])
    return previous, risks, course


def test_copy_forward_copies_the_register_with_its_keys(world, manager):
    previous, risks, course = _approved_2025(world, manager)
    draft = services.risk_assessment_copy_forward(
        source=previous,
        user=manager,
        title="2026",
        assessment_date=datetime.date(2026, 1, 20),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    assert draft.status == RiskAssessment.Status.DRAFT and draft.previous == previous
    copies = list(draft.risks.order_by("key"))
    assert [r.key for r in copies] == [r.key for r in risks]
    assert [r.inherent_score for r in copies] == [r.inherent_score for r in risks]
    assert list(copies[0].courses.all()) == [course]
    assert copies[0].owner == manager and copies[0].review_date == risks[0].review_date
    assert previous.risks.count() == 3  # the source is untouched
    assert risk_assessment_previous(assessment=draft) == previous


def test_comparison_shows_new_changed_and_closed_risks(world, manager):
    previous, _risks, _course = _approved_2025(world, manager)
    draft = services.risk_assessment_copy_forward(
        source=previous,
        user=manager,
        title="2026",
        assessment_date=datetime.date(2026, 1, 20),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    copies = {risk.key: risk for risk in draft.risks.all()}
    services.risk_factor_update(
        risk=copies["R-001"], user=manager, impact=4, residual_impact=3, courses=[]
    )
    services.risk_factor_delete(risk=copies["R-002"], user=manager)
    new = services.risk_factor_create(
        assessment=draft, user=manager, **_risk_values(category="end_use")
    )

    comparison = risk_assessment_compare(assessment=draft, previous=previous)

    assert [risk.key for risk in comparison.new] == [new.key] == ["R-004"]
    assert [risk.key for risk in comparison.closed] == ["R-002"]
    assert [risk.key for risk in comparison.unchanged] == ["R-003"]
    [change] = comparison.changed
    assert change.key == "R-001"
    assert set(change.fields) == {"impact", "residual impact", "training courses"}
    assert change.inherent_delta == 16 - 20 and change.residual_delta == 6 - 10


def test_heat_map_counts_risks_per_cell(assessment, manager):
    _complete(assessment, manager, n=2)  # both 4x5, residual 2x5
    services.risk_factor_create(
        assessment=assessment,
        user=manager,
        **_risk_values(likelihood=1, impact=1, residual_likelihood=1, residual_impact=1),
    )
    inherent = risk_heat_map(assessment=assessment)
    assert [cell.impact for cell in (row[0] for row in inherent)] == [5, 4, 3, 2, 1]
    assert inherent[0][3].count == 2 and inherent[0][3].band == "critical"  # L4 x I5
    assert inherent[4][0].count == 1 and inherent[4][0].band == "low"  # L1 x I1
    assert sum(cell.count for row in inherent for cell in row) == 3
    residual = risk_heat_map(assessment=assessment, residual=True)
    assert residual[0][1].count == 2  # L2 x I5


def test_reference_destinations_are_loaded_from_the_framework_file(reference):
    north_korea = DestinationRisk.objects.reference().get(country="KP")
    assert north_korea.level == "embargo" and north_korea.scope == "country_wide"
    assert "1718" in north_korea.source and north_korea.reason_zh
    assert north_korea.as_of == datetime.date(2026, 11, 1)
    assert north_korea.confidence == "verified"
    data = yaml.safe_load(Path(DEFAULT_FRAMEWORK_FILE).read_text(encoding="utf-8"))
    assert DestinationRisk.objects.reference().count() == len(data["destination_risk"])


def test_loading_the_reference_again_changes_nothing(reference):
    rows = DestinationRisk.objects.reference().count()
    history = DestinationRisk.history.count()
    reference_framework_load()
    assert DestinationRisk.objects.reference().count() == rows
    assert DestinationRisk.history.count() == history


def test_a_destination_dropped_from_the_file_is_kept_but_not_applied(world, reference):
    data = yaml.safe_load(Path(DEFAULT_FRAMEWORK_FILE).read_text(encoding="utf-8"))
    entries = [entry for entry in data["destination_risk"] if entry["country"] != "TR"]
    counts = destination_services.destination_risk_reference_load(entries=entries)
    assert counts == {"created": 0, "updated": 0, "retired": 1}
    assert not DestinationRisk.objects.reference().get(country="TR").is_active
    assert destination_risk_for(organisation=world.organisation, country="TR") is None
    destination_services.destination_risk_reference_load(entries=data["destination_risk"])
    assert destination_risk_for(organisation=world.organisation, country="tr").level == "elevated"


def test_an_organisation_override_wins_for_that_organisation_only(world, reference, manager):
    override = destination_services.destination_risk_save(
        organisation=world.organisation,
        user=manager,
        country="AE",
        level="high",
        scope="transit_diversion",
        reason_zh="本公司曾发现经迪拜转运至俄罗斯的订单。",
        reason_en="We saw orders routed via Dubai to Russia.",
        source="Internal incident 2026-03",
        confidence="verified",
        as_of=datetime.date(2026, 3, 1),
    )
    assert destination_risk_for(organisation=world.organisation, country="AE") == override
    other = destination_risk_for(organisation=world.other_organisation, country="AE")
    assert other.is_reference and other.level == "elevated"
    assert destination_risk_for(organisation=world.organisation, country="DE") is None
    listed = list(destination_risk_list(organisation=world.organisation).filter(country="AE"))
    assert listed == [override]
    destination_services.destination_risk_delete(
        organisation=world.organisation, row=override, user=manager
    )
    assert destination_risk_for(organisation=world.organisation, country="AE").is_reference


def test_reference_rows_cannot_be_changed_and_one_row_per_country(world, reference, manager):
    north_korea = DestinationRisk.objects.reference().get(country="KP")
    with pytest.raises(ValidationError, match="Reference rows"):
        destination_services.destination_risk_save(
            organisation=world.organisation, user=manager, instance=north_korea, level="high"
        )
    DestinationRiskFactory(organisation=world.organisation, country="VN")
    with pytest.raises(ValidationError, match="already has its own entry"):
        destination_services.destination_risk_save(
            organisation=world.organisation,
            user=manager,
            country="VN",
            level="high",
            scope="targeted",
            source="x",
            confidence="secondary",
            as_of=datetime.date(2026, 1, 1),
        )


def test_assessor_must_be_a_member(world):
    with pytest.raises(ValidationError, match="member of this organisation"):
        services.risk_assessment_create(
            organisation=world.organisation,
            user=world.users["outsider"],
            title="x",
            assessment_date=datetime.date(2026, 1, 1),
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 12, 31),
        )


def test_period_must_be_in_order(world, manager):
    with pytest.raises(ValidationError, match="period must end"):
        services.risk_assessment_create(
            organisation=world.organisation,
            user=manager,
            title="x",
            assessment_date=datetime.date(2026, 1, 1),
            period_start=datetime.date(2026, 12, 31),
            period_end=datetime.date(2026, 1, 1),
        )


def test_a_management_member_of_another_organisation_cannot_approve(world, assessment, manager):
    _complete(assessment, manager)
    foreign = MembershipFactory(organisation=world.other_organisation, role=Role.MANAGEMENT).user
    with pytest.raises(ValidationError, match="management member"):
        services.risk_assessment_approve(assessment=assessment, user=foreign)
    assert RiskFactor.objects.filter(assessment=assessment).count() == 2


def test_destinations_follow_the_current_framework_version_only(reference, tmp_path):
    """The programme loads the destination rows when the library says a version became current
    (reference.signals.framework_loaded); an older file loaded beside it changes nothing."""
    data = yaml.safe_load(Path(DEFAULT_FRAMEWORK_FILE).read_text(encoding="utf-8"))
    data["meta"]["version"] = "2099.1"
    for entry in data["destination_risk"]:
        if entry["country"] == "TR":
            entry["level"] = "high"
    newer = tmp_path / "newer.yaml"
    newer.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    reference_framework_load(path=newer)
    assert DestinationRisk.objects.reference().get(country="TR").level == "high"

    reference_framework_load()  # the 2021.1 file again: no longer the current version
    assert DestinationRisk.objects.reference().get(country="TR").level == "high"
