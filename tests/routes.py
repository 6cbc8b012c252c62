"""The permission table: every URL name x persona -> expected status.

Each app lists its rows in `tests/<app>/routes.py` (or `routes_<subject>.py`) as
`ROUTES = [Route(...), ...]`.
`tests/test_permission_table.py` runs every row for every persona and fails when a URL name in
the URLconf has no row. Personas: anonymous, manager, auditor, executive, staff (all members of
the test organisation) and outsider (a compliance manager of another organisation).
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
