"""E2 Compliance organisation: writes, and the segregation-of-duties (SoD) checks.

`sod_conflicts_for_user` finds standing conflicts (one person holds, or deputises in, positions a
rule says must be kept apart); `sod_check` is what transaction approval calls before letting one
person perform several duties on the same deal. Both read the organisation's rules as data.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts import roles as role_sets
from accounts.models import Membership, Organisation, User
from accounts.permissions import require_role
from core.i18n import joined, localised
from icp.models import ComplianceBody, Duty, Position, SodRule


def _require_editor(*, organisation: Organisation, user: User) -> None:
    require_role(
        organisation=organisation,
        user=user,
        roles=role_sets.PROGRAMME_EDITORS,
        message="compliance managers only",
    )


def _apply(obj, fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)


def _same_organisation(obj, organisation: Organisation, field_name: str) -> None:
    if obj is not None and obj.organisation_id != organisation.pk:
        raise ValidationError({field_name: _("Choose a record of this organisation.")})


def _no_cycle(obj, parent, attribute: str, field_name: str, message: str) -> None:
    """Walks up from `parent`; meeting `obj` again means the new link would close a loop."""
    seen = set()
    node = parent
    while node is not None:
        if obj.pk is not None and node.pk == obj.pk:
            raise ValidationError({field_name: message}, code="cycle")
        if node.pk in seen:  # an existing loop in bad data: stop rather than spin
            break
        seen.add(node.pk)
        node = getattr(node, attribute)


# --- compliance bodies ------------------------------------------------------------------------

BODY_FIELDS = (
    "kind",
    "name_zh",
    "name_en",
    "parent",
    "mandate_zh",
    "mandate_en",
    "meeting_frequency",
    "order",
    "is_active",
)


def _body_save(body: ComplianceBody, fields: dict) -> ComplianceBody:
    _apply(body, fields, BODY_FIELDS)
    _same_organisation(body.parent, body.organisation, "parent")
    _no_cycle(
        body,
        body.parent,
        "parent",
        "parent",
        _("A body cannot report to itself or to a body below it."),
    )
    body.full_clean()
    body.save()
    return body


@transaction.atomic
def compliance_body_create(
    *, organisation: Organisation, user: User, fields: dict
) -> ComplianceBody:
    _require_editor(organisation=organisation, user=user)
    return _body_save(ComplianceBody(organisation=organisation), fields)


@transaction.atomic
def compliance_body_update(*, body: ComplianceBody, user: User, fields: dict) -> ComplianceBody:
    _require_editor(organisation=body.organisation, user=user)
    return _body_save(body, fields)


# --- positions --------------------------------------------------------------------------------

POSITION_FIELDS = (
    "body",
    "title_zh",
    "title_en",
    "is_head",
    "commitment",
    "duties_zh",
    "duties_en",
    "authority_zh",
    "authority_en",
    "may_stop_exports",
    "may_consult_authority",
    "duty_codes",
    "holder",
    "holder_name",
    "deputy",
    "phone",
    "email",
    "reports_to",
    "order",
    "is_active",
)


def _require_member(organisation: Organisation, user: User | None, field_name: str) -> None:
    if user is None:
        return
    if not Membership.objects.active().filter(organisation=organisation, user=user).exists():
        raise ValidationError(
            {
                field_name: _("%(user)s is not an active member of this organisation.")
                % {"user": user}
            },
            code="not_member",
        )


def _position_save(position: Position, fields: dict) -> Position:
    _apply(position, fields, POSITION_FIELDS)
    organisation = position.organisation
    _same_organisation(position.body, organisation, "body")
    _same_organisation(position.reports_to, organisation, "reports_to")
    _require_member(organisation, position.holder, "holder")
    _require_member(organisation, position.deputy, "deputy")
    if position.holder_id and position.holder_id == position.deputy_id:
        raise ValidationError(
            {"deputy": _("The deputy must be someone other than the holder.")},
            code="deputy_is_holder",
        )
    if position.holder_id:
        position.holder_name = ""
    unknown = set(position.duty_codes or []) - set(Duty.values)
    if unknown:
        raise ValidationError({"duty_codes": _("Unknown duty: %s") % joined(sorted(unknown))})
    position.duty_codes = sorted(set(position.duty_codes or []))
    _no_cycle(
        position,
        position.reports_to,
        "reports_to",
        "reports_to",
        _("A position cannot report to itself or to a position that reports to it."),
    )
    position.full_clean()
    position.save()
    return position


@transaction.atomic
def position_create(*, organisation: Organisation, user: User, fields: dict) -> Position:
    _require_editor(organisation=organisation, user=user)
    return _position_save(Position(organisation=organisation), fields)


@transaction.atomic
def position_update(*, position: Position, user: User, fields: dict) -> Position:
    _require_editor(organisation=position.organisation, user=user)
    return _position_save(position, fields)


# --- SoD rules --------------------------------------------------------------------------------

SOD_RULE_FIELDS = (
    "code",
    "kind",
    "name_zh",
    "name_en",
    "rationale_zh",
    "rationale_en",
    "position_a",
    "position_b",
    "duty_a",
    "duty_b",
    "is_active",
)


def _rule_save(rule: SodRule, fields: dict) -> SodRule:
    _apply(rule, fields, SOD_RULE_FIELDS)
    if rule.kind == SodRule.Kind.POSITIONS:
        rule.duty_a = rule.duty_b = ""
        if rule.position_a is None or rule.position_b is None:
            raise ValidationError(
                {"position_b": _("Choose the two positions that must be kept apart.")}
            )
        _same_organisation(rule.position_a, rule.organisation, "position_a")
        _same_organisation(rule.position_b, rule.organisation, "position_b")
        if rule.position_a.pk == rule.position_b.pk:
            raise ValidationError({"position_b": _("Choose two different positions.")})
    else:
        rule.position_a = rule.position_b = None
        if not rule.duty_a or not rule.duty_b:
            raise ValidationError({"duty_b": _("Choose the two duties that must be kept apart.")})
        if rule.duty_a == rule.duty_b:
            raise ValidationError({"duty_b": _("Choose two different duties.")})
    rule.full_clean()
    rule.save()
    return rule


def _new_rule_code(organisation: Organisation) -> str:
    """The code of a rule the organisation writes itself: a stable key for the data (the
    recommended rules have named codes), never shown; people know a rule by its name."""
    taken = set(SodRule.objects.for_organisation(organisation).values_list("code", flat=True))
    number = len(taken) + 1
    while f"rule-{number}" in taken:
        number += 1
    return f"rule-{number}"


@transaction.atomic
def sod_rule_create(*, organisation: Organisation, user: User, fields: dict) -> SodRule:
    _require_editor(organisation=organisation, user=user)
    fields = {"code": _new_rule_code(organisation), **fields}
    return _rule_save(SodRule(organisation=organisation), fields)


@transaction.atomic
def sod_rule_update(*, rule: SodRule, user: User, fields: dict) -> SodRule:
    _require_editor(organisation=rule.organisation, user=user)
    if "code" in fields and fields["code"] != rule.code:
        # Transactions and audit trails cite the code: it never changes once set.
        raise ValidationError({"code": _("A rule's code cannot be changed.")}, code="code_fixed")
    return _rule_save(rule, fields)


# The transaction-level rules most exporters need (E2-R4: no one person alone reviews and decides
# a complex transaction; E2-R5: compliance independent of the business; auditors independent).
RECOMMENDED_DUTY_RULES = (
    {
        "code": "sales_approver_not_compliance_reviewer",
        "duty_a": Duty.SALES_APPROVAL,
        "duty_b": Duty.COMPLIANCE_REVIEW,
        "name_zh": "销售审批人不得同时担任该笔交易的合规审查人",
        "name_en": "The sales approver of a deal must not be its compliance reviewer",
        "rationale_zh": "合规审查须独立于业务（独立性原则）；复杂交易不得由一人单独审查和决定。",
        "rationale_en": "Compliance review must be independent of the business (independence "
        "principle); no one person alone may review and decide a transaction.",
    },
    {
        "code": "screening_decider_not_sales_approver",
        "duty_a": Duty.SCREENING_DECISION,
        "duty_b": Duty.SALES_APPROVAL,
        "name_zh": "筛查疑似命中的判定人不得是该笔交易的销售审批人",
        "name_en": "Whoever clears a screening match must not approve the same sale",
        "rationale_zh": "防止为促成交易而放过管控名单疑似命中。",
        "rationale_en": "Stops a control-list match being waved through to win the order.",
    },
    {
        "code": "compliance_reviewer_not_auditor",
        "duty_a": Duty.COMPLIANCE_REVIEW,
        "duty_b": Duty.PROGRAMME_AUDIT,
        "name_zh": "合规审查人不得审计本人的审查工作",
        "name_en": "A compliance reviewer must not audit their own reviews",
        "rationale_zh": "合规审计须由独立于被审计工作的人员实施。",
        "rationale_en": "A compliance audit must be carried out by someone independent of the "
        "work audited.",
    },
)


@transaction.atomic
def sod_rules_install_recommended(*, organisation: Organisation, user: User) -> list[SodRule]:
    """Add the recommended transaction-level rules the organisation does not have yet (by
    code). Idempotent: existing rules, changed or not, are left alone. Returns those added."""
    _require_editor(organisation=organisation, user=user)
    existing = set(SodRule.objects.for_organisation(organisation).values_list("code", flat=True))
    created = []
    for values in RECOMMENDED_DUTY_RULES:
        if values["code"] in existing:
            continue
        created.append(
            _rule_save(SodRule(organisation=organisation), {**values, "kind": SodRule.Kind.DUTIES})
        )
    return created


# --- SoD checks -------------------------------------------------------------------------------


@dataclass
class SodViolation:
    """One rule broken by one person: which rule, and through which positions or duties."""

    rule: SodRule
    user: User
    positions: list = field(default_factory=list)
    duties: tuple = ()

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def message(self) -> str:
        return _("%(user)s: %(rule)s") % {"user": self.user, "rule": localised(self.rule, "name")}


def _held_positions(positions) -> dict[int, list]:
    """user id -> positions they hold or deputise in (a deputy acts in the position)."""
    held = defaultdict(list)
    for position in positions:
        for user_id in {position.holder_id, position.deputy_id} - {None}:
            held[user_id].append(position)
    return held


def _conflicts(*, positions, rules, users: dict) -> list[SodViolation]:
    violations = []
    for user_id, held in _held_positions(positions).items():
        held_ids = {position.pk for position in held}
        duties = defaultdict(list)
        for position in held:
            for code in position.duty_codes or []:
                duties[code].append(position)
        for rule in rules:
            if rule.kind == SodRule.Kind.POSITIONS:
                if rule.position_a_id in held_ids and rule.position_b_id in held_ids:
                    involved = [p for p in held if p.pk in (rule.position_a_id, rule.position_b_id)]
                    violations.append(SodViolation(rule, users[user_id], involved))
            elif rule.duty_a in duties and rule.duty_b in duties:
                # Also when one position itself combines both duties: still one person doing both.
                involved = list(dict.fromkeys([*duties[rule.duty_a], *duties[rule.duty_b]]))
                violations.append(
                    SodViolation(rule, users[user_id], involved, (rule.duty_a, rule.duty_b))
                )
    return sorted(violations, key=lambda v: (str(v.user), v.rule.code))


def _active_positions(organisation: Organisation):
    return (
        Position.objects.for_organisation(organisation)
        .filter(is_active=True)
        .filter(body__is_active=True)
        .select_related("holder", "deputy")
    )


def _active_rules(organisation: Organisation) -> list[SodRule]:
    return list(
        SodRule.objects.for_organisation(organisation)
        .filter(is_active=True)
        .select_related("position_a", "position_b")
    )


def sod_conflicts(*, organisation: Organisation) -> list[SodViolation]:
    """Every standing conflict in the organisation (two queries)."""
    positions = list(_active_positions(organisation))
    users = {}
    for position in positions:
        for person in (position.holder, position.deputy):
            if person is not None:
                users[person.pk] = person
    return _conflicts(positions=positions, rules=_active_rules(organisation), users=users)


def sod_conflicts_for_user(*, organisation: Organisation, user: User) -> list[SodViolation]:
    """The rules `user` breaks by the positions they hold or deputise in."""
    positions = list(_active_positions(organisation).filter(Q(holder=user) | Q(deputy=user)))
    return _conflicts(positions=positions, rules=_active_rules(organisation), users={user.pk: user})


def sod_check(*, organisation: Organisation, user: User, duty_codes) -> list[SodViolation]:
    """The active transaction-level rules broken if `user` performs all of `duty_codes` on one
    transaction (e.g. approved the sale and now wants to do the compliance review). Empty means
    allowed. One query."""
    codes = set(duty_codes)
    unknown = codes - set(Duty.values)
    if unknown:
        raise ValueError(f"Unknown duty codes: {sorted(unknown)}")
    rules = SodRule.objects.for_organisation(organisation).filter(
        is_active=True, kind=SodRule.Kind.DUTIES, duty_a__in=codes, duty_b__in=codes
    )
    return [SodViolation(rule, user, [], (rule.duty_a, rule.duty_b)) for rule in rules]
