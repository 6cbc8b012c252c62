"""E1 reads: the policy in force, acknowledgement figures and the difference between versions."""

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Exists, Field, OuterRef, Subquery

from accounts.models import Membership, Organisation, User
from icp.models import PolicyAcknowledgement, PolicyStatus, PolicyVersion
from icp.models.policy import OPEN_STATUSES


def policy_current(*, organisation: Organisation) -> PolicyVersion | None:
    """The published version (the one in force), or None."""
    return (
        PolicyVersion.objects.for_organisation(organisation)
        .filter(status=PolicyStatus.PUBLISHED)
        .select_related("signatory", "approved_by", "published_by")
        .first()
    )


def policy_open_version(*, organisation: Organisation) -> PolicyVersion | None:
    """The version in preparation (draft, submitted or approved), or None."""
    return (
        PolicyVersion.objects.for_organisation(organisation)
        .filter(status__in=OPEN_STATUSES)
        .select_related("signatory", "submitted_by", "returned_by")
        .first()
    )


def policy_versions(*, organisation: Organisation):
    return (
        PolicyVersion.objects.for_organisation(organisation)
        .select_related("signatory", "approved_by", "created_by")
        .order_by("-number")
    )


def policy_version_get(*, organisation: Organisation, pk) -> PolicyVersion:
    return (
        PolicyVersion.objects.for_organisation(organisation)
        .select_related(
            "signatory",
            "created_by",
            "submitted_by",
            "approved_by",
            "returned_by",
            "published_by",
            "based_on",
            "superseded_by",
        )
        .get(pk=pk)
    )


def policy_acknowledgement_of(*, version: PolicyVersion, user: User):
    return PolicyAcknowledgement.objects.filter(version=version, user=user).first()


@dataclass
class AcknowledgementStats:
    version: PolicyVersion | None
    total: int = 0
    acknowledged: int = 0
    pending: list = field(default_factory=list)  # memberships, with .acknowledged_at = None
    done: list = field(default_factory=list)  # memberships, with .acknowledged_at set

    @property
    def percent(self) -> int:
        """Whole percent, rounded down so 199 of 200 never shows as 100 %."""
        return (self.acknowledged * 100 // self.total) if self.total else 0

    @property
    def outstanding(self) -> int:
        return self.total - self.acknowledged


def policy_acknowledgement_stats(
    *, organisation: Organisation, version: PolicyVersion | None
) -> AcknowledgementStats:
    """Who among the active members has acknowledged `version`: one query, whatever the size."""
    stats = AcknowledgementStats(version=version)
    if version is None:
        return stats
    acknowledgements = PolicyAcknowledgement.objects.filter(
        version=version, user=OuterRef("user_id")
    )
    memberships = (
        Membership.objects.active()
        .filter(organisation=organisation)
        .select_related("user")
        .annotate(
            has_acknowledged=Exists(acknowledgements),
            acknowledged_at=Subquery(acknowledgements.values("acknowledged_at")[:1]),
        )
        .order_by("user__full_name", "user__email")
    )
    for membership in memberships:
        (stats.done if membership.has_acknowledged else stats.pending).append(membership)
    stats.total = len(stats.done) + len(stats.pending)
    stats.acknowledged = len(stats.done)
    return stats


# --- differences between two versions -------------------------------------------------------

# Latin words and numbers stay whole; every other character (a Chinese character, punctuation)
# is its own token, so a changed phrase in Chinese is marked, not the whole paragraph.
_TOKEN = re.compile(r"[A-Za-z0-9_]+|\s+|.", re.DOTALL)


@dataclass
class Segment:
    text: str
    changed: bool = False


@dataclass
class DiffRow:
    kind: str  # "equal", "changed", "added", "removed"
    old_number: int | None
    new_number: int | None
    old: list[Segment]
    new: list[Segment]

    @property
    def is_blank(self) -> bool:
        """An unchanged empty line (a paragraph break): not worth a row of its own."""
        return self.kind == "equal" and not any(segment.text.strip() for segment in self.old)


def _inline(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    old_segments, new_segments = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            old_segments.append(Segment("".join(a[i1:i2])))
            new_segments.append(Segment("".join(b[j1:j2])))
            continue
        if i2 > i1:
            old_segments.append(Segment("".join(a[i1:i2]), changed=True))
        if j2 > j1:
            new_segments.append(Segment("".join(b[j1:j2]), changed=True))
    return old_segments, new_segments


def text_diff(old: str, new: str) -> list[DiffRow]:
    """Line-by-line comparison for a side-by-side view, with changed words marked in lines that
    were edited rather than replaced."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                rows.append(
                    DiffRow(
                        "equal",
                        i1 + offset + 1,
                        j1 + offset + 1,
                        [Segment(a[i1 + offset])],
                        [Segment(b[j1 + offset])],
                    )
                )
            continue
        old_lines, new_lines = a[i1:i2], b[j1:j2]
        for offset in range(max(len(old_lines), len(new_lines))):
            old_line = old_lines[offset] if offset < len(old_lines) else None
            new_line = new_lines[offset] if offset < len(new_lines) else None
            if old_line is not None and new_line is not None:
                old_segments, new_segments = _inline(old_line, new_line)
                rows.append(
                    DiffRow("changed", i1 + offset + 1, j1 + offset + 1, old_segments, new_segments)
                )
            elif old_line is not None:
                rows.append(
                    DiffRow("removed", i1 + offset + 1, None, [Segment(old_line, True)], [])
                )
            elif new_line is not None:
                rows.append(DiffRow("added", None, j1 + offset + 1, [], [Segment(new_line, True)]))
    return rows


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class PolicyDiff:
    old: PolicyVersion
    new: PolicyVersion
    body_zh: list[DiffRow]
    body_en: list[DiffRow]
    fields: list[FieldChange]

    @property
    def changed_lines(self) -> int:
        return sum(1 for row in (*self.body_zh, *self.body_en) if row.kind != "equal")

    @property
    def identical(self) -> bool:
        return not self.changed_lines and not self.fields


def policy_diff(*, old: PolicyVersion, new: PolicyVersion) -> PolicyDiff:
    """What changed from `old` to `new`: both statements line by line, and the signed fields."""
    fields = []
    for name in (
        "title_zh",
        "title_en",
        "signatory_name",
        "signatory_title",
        "effective_date",
        "review_due_date",
    ):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            field = PolicyVersion._meta.get_field(name)
            assert isinstance(field, Field)  # the compared names are concrete fields
            label = str(field.verbose_name)
            fields.append(FieldChange(label, str(before or "—"), str(after or "—")))
    return PolicyDiff(
        old=old,
        new=new,
        body_zh=text_diff(old.body_zh, new.body_zh),
        body_en=text_diff(old.body_en, new.body_en),
        fields=fields,
    )


def policy_diff_default_base(*, version: PolicyVersion) -> PolicyVersion | None:
    """What to compare a version with: the version it was made from, else the one before it."""
    if version.based_on_id:
        return version.based_on
    return (
        PolicyVersion.objects.for_organisation(version.organisation)
        .filter(number__lt=version.number)
        .order_by("-number")
        .first()
    )
