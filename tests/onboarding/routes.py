"""Permission-table rows for getting started: the compliance manager's pages only. An outsider
of each role is answered like the same role in its own organisation (its own steps)."""

from tests.routes import EDITORS, Route

EDITOR_POST = {**EDITORS, "manager": 302, "outsider": 302}


def _answers(world):
    return {
        "products": "listed",
        "destinations": "mixed",
        "technology": "none",
        "partners": "distributors",
        "controls": "partial",
    }


ROUTES = [
    Route("onboarding:home", EDITORS),
    Route("onboarding:risk_questions", EDITORS),
    Route(
        "onboarding:home",
        EDITOR_POST,
        method="post",
        data=lambda world: {"profile": "lite", "confirmed": "on"},
    ),
    Route(
        "onboarding:risk_questions",
        EDITOR_POST,
        method="post",
        data=_answers,
    ),
    Route("onboarding:step_skip", EDITOR_POST, args=lambda world: ["items"], method="post"),
    Route("onboarding:step_resume", EDITOR_POST, args=lambda world: ["items"], method="post"),
]
