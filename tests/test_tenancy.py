"""Tenancy by construction: a view or an API endpoint fetches a record only through a selector
(`<thing>_get(*, organisation, pk)`, 404 for another organisation's record), lists only through
`core.lists.ScopedListView` or a list selector; none of them scopes a query by hand. And a
service checks the actor's role in one way only, `accounts.permissions.require_role`."""

import ast
from pathlib import Path

from django.apps import apps

from tests.test_layers import APPS

ROOT = Path(__file__).resolve().parent.parent

# Modules whose hand scoping is not yet removed: why, and what comes next. An entry whose module
# no longer scopes by hand fails, so the list only shrinks.
ALLOWED: dict[str, str] = {}

FILTER_METHODS = {"filter", "exclude", "get", "get_or_create", "update_or_create", "first"}
SCOPE_KEYWORDS = {"organisation", "organisation_id", "organisation__in", "organisation_id__in"}


def _scoped_model_names() -> set[str]:
    """The class names of our models that belong to an organisation."""
    names = set()
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        if any(field.name == "organisation" for field in model._meta.get_fields()):
            names.add(model.__name__)
    return names


def view_modules() -> list[Path]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT / app)
            in_package = relative.parts[0] in ("views", "api") and len(relative.parts) > 1
            if in_package or path.stem.startswith("views") or path.stem == "api":
                found.append(path)
    return found


def _target_name(node: ast.expr) -> str:
    """`Party` for `Party`, `models.Party` and `trade_models.Party`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def hand_scoping(source: str, scoped_models: set[str]) -> list[tuple[int, str]]:
    """(line, what) for each place a module scopes or fetches a record by hand."""
    found = []
    for node in ast.walk(ast.parse(source)):
        objects = isinstance(node, ast.Attribute) and node.attr == "objects"
        if objects and _target_name(node.value) in scoped_models:
            found.append((node.lineno, f"{_target_name(node.value)}.objects"))
        if not isinstance(node, ast.Call):
            continue
        name = _target_name(node.func)
        if name in ("get_object_or_404", "get_list_or_404"):
            found.append((node.lineno, name))
        elif name == "for_organisation":
            found.append((node.lineno, "for_organisation()"))
        elif name in FILTER_METHODS and any(k.arg in SCOPE_KEYWORDS for k in node.keywords):
            found.append((node.lineno, f"{name}(organisation=...)"))
    return sorted(found)


def test_no_view_or_api_module_scopes_a_query_by_hand():
    scoped_models = _scoped_model_names()
    found, allowed_seen = [], set()
    for path in view_modules():
        relative = path.relative_to(ROOT)
        for line, what in hand_scoping(path.read_text(encoding="utf-8"), scoped_models):
            if str(relative) in ALLOWED:
                allowed_seen.add(str(relative))
            else:
                found.append(f"{relative}:{line} {what}")
    assert found == [], (
        "fetch through a selector `<thing>_get(*, organisation, pk)`:\n" + "\n".join(found)
    )
    assert allowed_seen == set(ALLOWED), "remove from ALLOWED: " + ", ".join(
        sorted(set(ALLOWED) - allowed_seen)
    )


def test_the_allow_list_says_why_for_each_entry():
    assert all(isinstance(why, str) and why.strip() for why in ALLOWED.values())


def test_the_check_finds_each_idiom():
    source = "\n".join(
        [
            "get_object_or_404(Party, pk=pk)",
            "Party.objects.all()",
            "models.Party.objects.none()",
            "queryset.for_organisation(org)",
            "queryset.filter(organisation=org)",
            "request.organisation.items.get(organisation_id=1)",
            "Country.objects.all()",
            "party_get(organisation=org, pk=pk)",
        ]
    )
    lines = {line for line, _what in hand_scoping(source, {"Party"})}
    assert lines == {1, 2, 3, 4, 5, 6}


def test_every_app_has_its_views_checked():
    checked = {path.relative_to(ROOT).parts[0] for path in view_modules()}
    assert {"accounts", "audits", "icp", "records", "trade", "screening", "chambers"} <= checked


# --- the service-side role check -----------------------------------------------------------------


def service_modules() -> list[Path]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT / app)
            if relative.parts[0] == "services" or path.stem == "services":
                found.append(path)
    return found


def _mentions_role(node: ast.expr) -> bool:
    for child in ast.walk(node):
        name = child.attr if isinstance(child, ast.Attribute) else getattr(child, "id", "")
        if name == "role" or name.endswith("_role") or name.startswith(("role_", "has_role")):
            return True
    return False


def _raises_permission_denied(statements: list[ast.stmt]) -> bool:
    for statement in statements:
        for child in ast.walk(statement):
            if isinstance(child, ast.Raise) and child.exc is not None:
                target = child.exc.func if isinstance(child.exc, ast.Call) else child.exc
                if _target_name(target) == "PermissionDenied":
                    return True
    return False


def own_role_checks(source: str) -> list[int]:
    """Lines where a service decides on a role itself and raises PermissionDenied, instead of
    calling `require_role`."""
    return sorted(
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.If)
        and _mentions_role(node.test)
        and _raises_permission_denied(node.body)
    )


def test_services_check_roles_only_through_require_role():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in service_modules()
        for line in own_role_checks(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "use accounts.permissions.require_role(roles=..., ...): " + ", ".join(found)


def test_the_role_check_finds_each_idiom():
    source = "\n".join(
        [
            "if membership.role not in EDITORS:",
            "    raise PermissionDenied",
            "if _role(organisation, user) != Role.COMPLIANCE_MANAGER:",
            "    raise PermissionDenied('managers only')",
            "if not has_role(user, EDITORS):",
            "    raise exceptions.PermissionDenied()",
            "if membership.role not in EDITORS:",
            "    raise ValidationError('a signatory must be management')",
            "if hold.organisation_id != membership.organisation_id:",
            "    raise PermissionDenied",
        ]
    )
    assert own_role_checks(source) == [1, 3, 5]
