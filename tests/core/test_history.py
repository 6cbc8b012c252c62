"""The history panel: unchanged saves write nothing; changes read as labels, names, local times."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from core.history import history_entries
from icp.models import PolicyVersion
from icp.models.policy import PolicyStatus
from records.models import EventLogEntry
from tests.icp.factories_policy import PolicyVersionFactory


@pytest.fixture
def version(world):
    return PolicyVersionFactory(organisation=world.organisation, created_by=world.users["manager"])


def _counts(version):
    return version.history.count(), EventLogEntry.objects.count()


def test_an_unchanged_save_writes_no_history_row_and_no_event(version):
    before = _counts(version)
    PolicyVersion.objects.get(pk=version.pk).save()
    version.save()  # the same values, even with the in-memory instance
    assert _counts(version) == before

    version.signatory_title = "董事长"
    version.save()
    assert _counts(version) == (before[0] + 1, before[1] + 1)
    # The skip lasts one save: a later real change is recorded again.
    version.save()
    version.signatory_name = "王芳"
    version.save()
    assert _counts(version) == (before[0] + 2, before[1] + 2)


def test_a_save_that_only_moves_an_auto_timestamp_is_unchanged(version):
    before = _counts(version)
    version.save(update_fields=["updated_at"])
    assert _counts(version) == before


def test_a_caller_that_skips_history_itself_is_left_alone(version):
    version.skip_history_when_saving = True
    version.signatory_title = "董事长"
    before = _counts(version)
    version.save()
    assert _counts(version) == before
    assert version.skip_history_when_saving is True


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_changes_read_as_labels_names_and_local_times(version, world, language):
    approver = world.users["executive"]
    approver.full_name = "刘建国"
    approver.save()
    approved_at = datetime.datetime(2026, 11, 28, 2, 4, 5, 123456, tzinfo=datetime.UTC)
    version.status = PolicyStatus.APPROVED
    version.approved_by = approver
    version.approved_at = approved_at
    version.save()

    with translation.override(language):
        newest = history_entries(version)[0]
        changes = {str(label): (str(old), str(new)) for label, old, new in newest.changes}
        status_label = str(PolicyVersion._meta.get_field("status").verbose_name)
        approver_label = str(PolicyVersion._meta.get_field("approved_by").verbose_name)
        approved_label = str(PolicyVersion._meta.get_field("approved_at").verbose_name)
        draft, approved = str(PolicyStatus.DRAFT.label), str(PolicyStatus.APPROVED.label)

    assert changes[status_label] == (draft, approved)
    assert changes[approver_label] == ("", "刘建国")
    # 02:04 UTC is 10:04 in Shanghai; no seconds' fractions, no UTC offset.
    old, new = changes[approved_label]
    assert old == ""
    assert "10:04" in new and "123456" not in new and "+00:00" not in new
    assert str(timezone.get_current_timezone()) == "Asia/Shanghai"
    if language == "zh-hans":
        assert draft == "草稿" or re.search(r"[\u4e00-\u9fff]", draft)
        assert "2026年11月28日" in new
    else:
        assert new == "2026-11-28 10:04"
    # The auto-updated timestamp is the entry's own time, not a change to list.
    updated_label = str(PolicyVersion._meta.get_field("updated_at").verbose_name)
    assert updated_label not in changes
    assert not any(re.fullmatch(r"\d+", new) for _old, new in changes.values())


def test_the_history_panel_shows_no_codes_or_ids(version, world):
    version.status = PolicyStatus.SUBMITTED
    version.submitted_by = world.users["manager"]
    version.save()
    client = world.client("manager")
    client.cookies["django_language"] = "zh-hans"
    page = client.get(version.get_absolute_url()).content.decode()
    panel = page[page.index('id="history"') :]
    panel = panel[: panel.index("</section>")]
    assert "submitted" not in panel and "draft" not in panel
    assert f'→ <ins class="text-success">{world.users["manager"].pk}</ins>' not in panel
    assert str(world.users["manager"]) in panel
