"""E1 services: every transition of a policy version and every refusal."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from icp.models import PolicyAcknowledgement, PolicyStatus, PolicyVersion
from icp.selectors.policy import (
    policy_acknowledgement_stats,
    policy_current,
    policy_diff,
    policy_diff_default_base,
    text_diff,
)
from icp.services.policy import (
    default_review_due_date,
    policy_acknowledge,
    policy_approve,
    policy_approvers,
    policy_create_draft,
    policy_new_version_from,
    policy_publish,
    policy_return,
    policy_submit,
    policy_update_draft,
)
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.icp.factories_policy import PolicyAcknowledgementFactory, PolicyVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(world):
    return world.organisation


@pytest.fixture
def users(world):
    return world.users


def _draft(org, users, **fields):
    defaults = {
        "effective_date": datetime.date(2026, 3, 1),
        "signatory_name": "刘建国",
        "signatory_title": "总经理",
    }
    return policy_create_draft(organisation=org, user=users["manager"], fields=defaults | fields)


def _published(org, users) -> PolicyVersion:
    version = _draft(org, users)
    policy_submit(version=version, user=users["manager"])
    policy_approve(version=version, user=users["executive"])
    return policy_publish(version=version, user=users["manager"])


# --- drafting ---------------------------------------------------------------------------------


def test_a_first_draft_starts_from_the_bilingual_template(org, users):
    version = policy_create_draft(organisation=org, user=users["manager"])
    assert version.number == 1 and version.status == PolicyStatus.DRAFT
    assert "出口管制法" in version.body_zh and "Export Control Law" in version.body_en
    assert version.created_by == users["manager"]


def test_review_is_due_a_year_after_the_effective_date_by_default(org, users):
    version = _draft(org, users, effective_date=datetime.date(2026, 3, 1))
    assert version.review_due_date == datetime.date(2027, 3, 1)
    assert default_review_due_date(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)


def test_review_before_the_effective_date_is_refused(org, users):
    with pytest.raises(ValidationError) as error:
        _draft(
            org,
            users,
            effective_date=datetime.date(2026, 3, 1),
            review_due_date=datetime.date(2026, 2, 1),
        )
    assert "review_due_date" in error.value.message_dict


@pytest.mark.parametrize("persona", ["auditor", "executive", "staff", "outsider"])
def test_only_compliance_managers_draft(org, users, persona):
    with pytest.raises(PermissionDenied):
        policy_create_draft(organisation=org, user=users[persona])


def test_only_one_version_in_preparation_at_a_time(org, users):
    _draft(org, users)
    with pytest.raises(ValidationError) as error:
        _draft(org, users)
    assert error.value.code == "open_version_exists"


def test_a_draft_can_be_edited(org, users):
    version = _draft(org, users)
    policy_update_draft(
        version=version,
        user=users["manager"],
        fields={"body_zh": "新的正文", "signatory": users["executive"], "signatory_name": ""},
    )
    version.refresh_from_db()
    assert version.body_zh == "新的正文"
    # Choosing a management user as signatory fills in the name.
    assert version.signatory_name == users["executive"].get_full_name()


def test_the_signatory_must_be_a_management_member(org, users):
    version = _draft(org, users)
    with pytest.raises(ValidationError) as error:
        policy_update_draft(
            version=version, user=users["manager"], fields={"signatory": users["staff"]}
        )
    assert "signatory" in error.value.message_dict


def test_editing_needs_a_compliance_manager(org, users):
    version = _draft(org, users)
    with pytest.raises(PermissionDenied):
        policy_update_draft(version=version, user=users["executive"], fields={"body_zh": "x"})


# --- submit, approve, return ------------------------------------------------------------------


def test_submit_moves_a_complete_draft_to_submitted(org, users):
    version = _draft(org, users)
    policy_submit(version=version, user=users["manager"])
    version.refresh_from_db()
    assert version.status == PolicyStatus.SUBMITTED
    assert version.submitted_by == users["manager"] and version.submitted_at


def test_submit_refuses_an_incomplete_draft(org, users):
    version = policy_create_draft(organisation=org, user=users["manager"], fields={"body_en": ""})
    with pytest.raises(ValidationError) as error:
        policy_submit(version=version, user=users["manager"])
    assert set(error.value.message_dict) == {
        "body_en",
        "signatory_name",
        "signatory_title",
        "effective_date",
    }
    version.refresh_from_db()
    assert version.status == PolicyStatus.DRAFT


@pytest.mark.parametrize("persona", ["auditor", "executive", "staff"])
def test_only_compliance_managers_submit(org, users, persona):
    version = _draft(org, users)
    with pytest.raises(PermissionDenied):
        policy_submit(version=version, user=users[persona])


def test_a_submitted_version_cannot_be_edited_or_submitted_again(org, users):
    version = _draft(org, users)
    policy_submit(version=version, user=users["manager"])
    with pytest.raises(ValidationError):
        policy_update_draft(version=version, user=users["manager"], fields={"body_zh": "x"})
    with pytest.raises(ValidationError):
        policy_submit(version=version, user=users["manager"])


def test_management_approves_and_the_text_is_fingerprinted(org, users):
    version = _draft(org, users)
    policy_submit(version=version, user=users["manager"])
    policy_approve(version=version, user=users["executive"], comment="同意")
    version.refresh_from_db()
    assert version.status == PolicyStatus.APPROVED
    assert version.approved_by == users["executive"] and version.approval_comment == "同意"
    assert version.content_sha256 == version.content_fingerprint()


@pytest.mark.parametrize("persona", ["manager", "auditor", "staff", "outsider"])
def test_only_management_approves(org, users, persona):
    version = _draft(org, users)
    policy_submit(version=version, user=users["manager"])
    with pytest.raises(PermissionDenied):
        policy_approve(version=version, user=users[persona])
    with pytest.raises(PermissionDenied):
        policy_return(version=version, user=users[persona], comment="no")


def test_a_named_signatory_is_the_only_approver(org, users):
    other_executive = MembershipFactory(organisation=org, role=Role.MANAGEMENT).user
    version = _draft(org, users, signatory=users["executive"])
    policy_submit(version=version, user=users["manager"])
    assert policy_approvers(version=version) == [users["executive"]]
    with pytest.raises(PermissionDenied):
        policy_approve(version=version, user=other_executive)
    policy_approve(version=version, user=users["executive"])


def test_without_a_named_signatory_any_management_member_may_approve(org, users):
    version = _draft(org, users)
    assert policy_approvers(version=version) == [users["executive"]]


def test_a_draft_cannot_be_approved(org, users):
    version = _draft(org, users)
    with pytest.raises(ValidationError) as error:
        policy_approve(version=version, user=users["executive"])
    assert error.value.code == "wrong_status"


def test_return_sends_it_back_to_draft_with_the_reason(org, users):
    version = _draft(org, users)
    policy_submit(version=version, user=users["manager"])
    policy_return(version=version, user=users["executive"], comment="第五条请补充匿名举报渠道。")
    version.refresh_from_db()
    assert version.status == PolicyStatus.DRAFT
    assert version.return_comment == "第五条请补充匿名举报渠道。"
    assert version.returned_by == users["executive"]
    # ... and the manager can edit and resubmit.
    policy_update_draft(version=version, user=users["manager"], fields={"body_zh": "已补充"})
    policy_submit(version=version, user=users["manager"])


def test_return_needs_a_comment(org, users):
    version = _draft(org, users)
    policy_submit(version=version, user=users["manager"])
    with pytest.raises(ValidationError) as error:
        policy_return(version=version, user=users["executive"], comment="  ")
    assert "comment" in error.value.message_dict


# --- frozen -----------------------------------------------------------------------------------


def test_an_approved_version_is_frozen_in_the_service(org, users):
    version = _draft(org, users)
    policy_submit(version=version, user=users["manager"])
    policy_approve(version=version, user=users["executive"])
    with pytest.raises(ValidationError) as error:
        policy_update_draft(version=version, user=users["manager"], fields={"body_zh": "改"})
    assert error.value.code == "frozen"


def test_an_approved_version_is_frozen_in_the_model(org, users):
    version = _published(org, users)
    version.body_en = "Quietly changed."
    with pytest.raises(ValidationError) as error:
        version.save()
    assert error.value.code == "frozen"
    with pytest.raises(ValidationError):
        version.delete()
    version.refresh_from_db()
    assert version.body_en != "Quietly changed."


def test_publish_refuses_a_text_changed_behind_the_applications_back(org, users):
    version = _draft(org, users)
    policy_submit(version=version, user=users["manager"])
    policy_approve(version=version, user=users["executive"])
    PolicyVersion.objects.filter(pk=version.pk).update(body_zh="被篡改")
    with pytest.raises(ValidationError) as error:
        policy_publish(version=version, user=users["manager"])
    assert error.value.code == "fingerprint_mismatch"


# --- publish, supersede, new version ----------------------------------------------------------


def test_publishing_makes_it_current_and_supersedes_the_previous_one(org, users):
    first = _published(org, users)
    assert policy_current(organisation=org) == first
    second = policy_new_version_from(version=first, user=users["manager"])
    assert second.number == 2 and second.based_on == first
    assert second.body_zh == first.body_zh
    assert second.effective_date == first.review_due_date
    policy_submit(version=second, user=users["manager"])
    policy_approve(version=second, user=users["executive"])
    policy_publish(version=second, user=users["manager"])
    first.refresh_from_db()
    assert first.status == PolicyStatus.SUPERSEDED
    assert first.superseded_by == second and first.superseded_at
    assert policy_current(organisation=org) == second


@pytest.mark.parametrize("persona", ["auditor", "executive", "staff"])
def test_only_compliance_managers_publish(org, users, persona):
    version = _draft(org, users)
    policy_submit(version=version, user=users["manager"])
    policy_approve(version=version, user=users["executive"])
    with pytest.raises(PermissionDenied):
        policy_publish(version=version, user=users[persona])


def test_only_an_approved_version_can_be_published(org, users):
    version = _draft(org, users)
    policy_submit(version=version, user=users["manager"])
    with pytest.raises(ValidationError):
        policy_publish(version=version, user=users["manager"])


def test_new_version_needs_a_finished_source_and_no_open_version(org, users):
    draft = _draft(org, users)
    with pytest.raises(ValidationError) as error:
        policy_new_version_from(version=draft, user=users["manager"])
    assert error.value.code == "source_is_draft"
    policy_submit(version=draft, user=users["manager"])
    policy_approve(version=draft, user=users["executive"])
    policy_publish(version=draft, user=users["manager"])
    policy_new_version_from(version=draft, user=users["manager"])
    with pytest.raises(ValidationError) as error:
        policy_new_version_from(version=draft, user=users["manager"])
    assert error.value.code == "open_version_exists"
    with pytest.raises(PermissionDenied):
        policy_new_version_from(version=draft, user=users["executive"])


# --- acknowledgement --------------------------------------------------------------------------


def test_members_acknowledge_the_published_version_once(org, users):
    version = _published(org, users)
    ack = policy_acknowledge(version=version, user=users["staff"], language="zh-hans")
    assert ack.user == users["staff"] and ack.version == version and ack.organisation == org
    with pytest.raises(ValidationError) as error:
        policy_acknowledge(version=version, user=users["staff"])
    assert error.value.code == "already_acknowledged"
    assert PolicyAcknowledgement.objects.filter(user=users["staff"]).count() == 1


def test_an_acknowledgement_is_immutable(org, users):
    ack = policy_acknowledge(version=_published(org, users), user=users["staff"])
    ack.language = "en"
    with pytest.raises(ValidationError):
        ack.save()
    with pytest.raises(ValidationError):
        ack.delete()


def test_only_the_published_version_can_be_acknowledged(org, users):
    version = _draft(org, users)
    with pytest.raises(ValidationError) as error:
        policy_acknowledge(version=version, user=users["staff"])
    assert error.value.code == "not_published"


def test_outsiders_cannot_acknowledge(org, users):
    version = _published(org, users)
    with pytest.raises(PermissionDenied):
        policy_acknowledge(version=version, user=users["outsider"])


def test_stats_count_active_members_and_list_who_is_missing(org, users):
    version = _published(org, users)
    inactive = MembershipFactory(organisation=org, is_active=False).user
    for persona in ("manager", "staff", "executive"):
        policy_acknowledge(version=version, user=users[persona])
    stats = policy_acknowledgement_stats(organisation=org, version=version)
    assert (stats.total, stats.acknowledged, stats.percent) == (4, 3, 75)
    assert [m.user for m in stats.pending] == [users["auditor"]]
    assert all(m.acknowledged_at for m in stats.done)
    assert inactive not in [m.user for m in stats.pending + stats.done]
    # An acknowledgement of an older version does not count for the new one.
    second = policy_new_version_from(version=version, user=users["manager"])
    policy_submit(version=second, user=users["manager"])
    policy_approve(version=second, user=users["executive"])
    policy_publish(version=second, user=users["manager"])
    assert policy_acknowledgement_stats(organisation=org, version=second).acknowledged == 0


def test_stats_with_200_members_take_one_query(org, users, django_assert_num_queries):
    version = PolicyVersionFactory(organisation=org, published=True, created_by=users["manager"])
    for index in range(200):
        membership = MembershipFactory(organisation=org, user=UserFactory())
        if index % 4:
            PolicyAcknowledgementFactory(version=version, user=membership.user)
    with django_assert_num_queries(1):
        stats = policy_acknowledgement_stats(organisation=org, version=version)
    assert stats.total == 204 and stats.acknowledged == 150
    assert stats.percent == 73  # 150/204 = 73.5 %, rounded down


def test_no_published_version_means_empty_stats(org):
    stats = policy_acknowledgement_stats(organisation=org, version=None)
    assert (stats.total, stats.percent, stats.pending) == (0, 0, [])


# --- diff -------------------------------------------------------------------------------------


def test_text_diff_marks_changed_chinese_characters_not_whole_paragraphs():
    rows = text_diff(
        "第一段。\n资料保存不少于五年。\n本政策每年评审一次。",
        "第一段。\n资料保存不少于十年。\n本政策每半年评审一次。",
    )
    assert [row.kind for row in rows] == ["equal", "changed", "changed"]
    replaced, inserted = rows[1], rows[2]
    assert [s.text for s in replaced.old if s.changed] == ["五"]
    assert [s.text for s in replaced.new if s.changed] == ["十"]
    assert [s.text for s in inserted.old if s.changed] == []
    assert [s.text for s in inserted.new if s.changed] == ["半"]
    assert "".join(s.text for s in inserted.new) == "本政策每半年评审一次。"


def test_text_diff_marks_english_words_and_added_lines():
    rows = text_diff("Keep records for five years.", "Keep records for ten years.\nNew line.")
    assert rows[0].kind == "changed"
    assert [s.text for s in rows[0].old if s.changed] == ["five"]
    assert [s.text for s in rows[0].new if s.changed] == ["ten"]
    assert rows[1].kind == "added" and rows[1].new[0].text == "New line."
    removed = text_diff("a\nb", "a")
    assert removed[1].kind == "removed" and removed[1].old_number == 2


def test_policy_diff_compares_both_languages_and_the_signed_fields(org, users):
    first = _published(org, users)
    second = policy_new_version_from(version=first, user=users["manager"])
    policy_update_draft(
        version=second,
        user=users["manager"],
        fields={
            "body_en": first.body_en.replace("for at least five years", "for at least ten years")
        },
    )
    second.refresh_from_db()
    diff = policy_diff(old=first, new=second)
    assert all(row.kind == "equal" for row in diff.body_zh)
    changed = [row for row in diff.body_en if row.kind == "changed"]
    assert len(changed) == 1 and any(s.text == "ten" for s in changed[0].new if s.changed)
    assert {change.label for change in diff.fields} == {"effective date", "review due"}
    assert not diff.identical
    assert policy_diff_default_base(version=second) == first
    assert policy_diff(old=first, new=first).identical
