"""The permission table: every URL name x persona -> expected status.

Each app lists its rows in `tests/<app>/routes.py` (or `routes_<subject>.py`) as
`ROUTES = [Route(...), ...]`.
`tests/test_permission_table.py` runs every row for every persona and fails when a URL name in
the URLconf has no row. Personas: anonymous, manager, auditor, executive, staff (all members of
the test organisation) and outsider (a compliance manager of another organisation).

The table also runs every row as an outsider of each other role (an auditor, a member of
management and a staff member of the other organisation; see `OUTSIDER_ROLES`). A row does not
list them: on an object route (a row with `args`, the records of the test organisation, where the
outsider compliance manager gets 403 or 404) every outsider must get 403 or 404 and, on a POST,
change nothing; elsewhere each outsider gets what the same role gets in its own organisation. A
row may still name one of them to say otherwise.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

LOGIN = 302  # anonymous users are sent to the login page


def expect(
    *,
    anonymous=LOGIN,
    manager=200,
    auditor=200,
    executive=200,
    staff=200,
    outsider=200,
):
    return {
        "anonymous": anonymous,
        "manager": manager,
        "auditor": auditor,
        "executive": executive,
        "staff": staff,
        "outsider": outsider,
    }


# Common shapes.
EVERY_MEMBER = expect()
PUBLIC = expect(anonymous=200)
READERS = expect(staff=403)  # compliance managers, auditors and management read
EDITORS = expect(auditor=403, executive=403, staff=403)  # compliance managers change


def own_record(expectation: dict) -> dict:
    """A record of the test organisation: the outsider must not even learn it exists."""
    return {**expectation, "outsider": 404}


# Outsiders of the other roles, each answered like the insider of the same role (see above).
OUTSIDER_ROLES = {
    "outsider_auditor": "auditor",
    "outsider_executive": "executive",
    "outsider_staff": "staff",
}
DENIED = frozenset({403, 404})


@dataclass
class Route:
    name: str
    expected: dict
    args: Callable | None = None  # world -> list of URL arguments (records of the test org)
    method: str = "get"
    data: Callable | None = None  # world -> POST data
    id: str = field(default="")

    def __post_init__(self):
        self.id = self.id or f"{self.name}:{self.method}"

    @property
    def is_object_route(self) -> bool:
        """A route on a record of the test organisation, which no outsider may reach."""
        return self.args is not None and self.expected["outsider"] in DENIED

    def statuses_for(self, persona: str) -> set[int]:
        """The statuses this row accepts for `persona` (one, except for derived outsiders)."""
        if persona in self.expected:
            return {self.expected[persona]}
        if self.is_object_route:
            return set(DENIED)
        return {self.expected[OUTSIDER_ROLES[persona]]}
