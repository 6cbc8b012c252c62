"""E2 reads: the organisation chart as a tree, built from two queries; bodies, positions and
segregation-of-duties rules one at a time."""

from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404

from accounts.models import Organisation
from icp.models import ComplianceBody, Position, SodRule


@dataclass
class ChartPosition:
    position: Position
    children: list = field(default_factory=list)
    # A superior in another body (e.g. the compliance manager reports to the committee chair).
    reports_elsewhere: bool = False


@dataclass
class ChartBody:
    body: ComplianceBody
    positions: list = field(default_factory=list)  # root ChartPositions of this body
    children: list = field(default_factory=list)  # ChartBody

    @property
    def head(self) -> Position | None:
        return next((node.position for node in self.positions if node.position.is_head), None)


def _positions(organisation: Organisation):
    return (
        Position.objects.for_organisation(organisation)
        .filter(is_active=True)
        .select_related("holder", "deputy", "reports_to", "reports_to__holder")
        .order_by("-is_head", "order", "title_zh")
    )


def organisation_chart(*, organisation: Organisation) -> list[ChartBody]:
    """Active bodies as a tree (body under parent body), each with its positions as a tree
    (position under the position it reports to, within the body)."""
    bodies = list(
        ComplianceBody.objects.for_organisation(organisation)
        .filter(is_active=True)
        .order_by("order", "name_zh")
    )
    nodes = {body.pk: ChartBody(body) for body in bodies}
    position_nodes = {}
    positions = list(_positions(organisation))
    for position in positions:
        position_nodes[position.pk] = ChartPosition(position)
    for position in positions:
        node = position_nodes[position.pk]
        superior = position_nodes.get(position.reports_to_id)
        if superior is not None and superior.position.body_id == position.body_id:
            superior.children.append(node)
        elif position.body_id in nodes:
            node.reports_elsewhere = position.reports_to_id is not None
            nodes[position.body_id].positions.append(node)
    roots: list[ChartBody] = []
    for body in bodies:
        parent = nodes.get(body.parent_id)
        (parent.children if parent is not None else roots).append(nodes[body.pk])
    return roots


def body_positions(*, body: ComplianceBody) -> list[Position]:
    return list(
        Position.objects.for_organisation(body.organisation)
        .filter(body=body)
        .select_related("holder", "deputy", "reports_to")
        .order_by("-is_active", "-is_head", "order", "title_zh")
    )


def compliance_body_get(*, organisation: Organisation, pk) -> ComplianceBody:
    return get_object_or_404(
        ComplianceBody.objects.for_organisation(organisation).select_related("parent"), pk=pk
    )


def compliance_body_chosen(*, organisation: Organisation, pk: str) -> ComplianceBody | None:
    """The organisation's body whose id a link gave (e.g. `?body=3`), None when there is none."""
    if not pk.isdigit():
        return None
    return ComplianceBody.objects.for_organisation(organisation).filter(pk=pk).first()


def position_get(*, organisation: Organisation, pk) -> Position:
    return get_object_or_404(
        Position.objects.for_organisation(organisation).select_related(
            "body", "holder", "deputy", "reports_to"
        ),
        pk=pk,
    )


def sod_rule_list(*, organisation: Organisation):
    return (
        SodRule.objects.for_organisation(organisation)
        .select_related("position_a", "position_b")
        .order_by("-is_active", "code")
    )


def sod_rule_active_count(*, organisation: Organisation) -> int:
    return SodRule.objects.for_organisation(organisation).filter(is_active=True).count()


def sod_rule_get(*, organisation: Organisation, pk) -> SodRule:
    return get_object_or_404(sod_rule_list(organisation=organisation), pk=pk)
