"""Every template compiles: a filter or tag used without its `{% load %}` (a `{% load %}` in
the parent template does not reach the child) fails here, not on the one page that renders it."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

TEMPLATES = Path(settings.BASE_DIR) / "templates"
NAMES = sorted(
    str(path.relative_to(TEMPLATES))
    for path in TEMPLATES.rglob("*")
    if path.is_file() and path.suffix in {".html", ".txt", ".xml"}
)


def test_the_templates_are_found():
    assert len(NAMES) > 100


@pytest.mark.parametrize("name", NAMES)
def test_the_template_compiles(name):
    engines["django"].get_template(name)
