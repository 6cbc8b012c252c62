"""E2 reads: the organisation chart as a tree, built from two queries."""

from dataclasses import dataclass, field

from accounts.models import Organisation
from icp.models import ComplianceBody, Position


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
