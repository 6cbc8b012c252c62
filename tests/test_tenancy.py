"""Tenancy by construction: a view or an API endpoint fetches a record only through a selector
(`<thing>_get(*, organisation, pk)`, 404 for another organisation's record), lists only through
`core.lists.ScopedListView` or a list selector; none of them scopes a query by hand. And a
service checks the actor's role in one way only, `accounts.permissions.require_role` (or its
yes/no companion `has_role`), reading the actor's membership itself: no service takes the actor's
role from its caller, and no API permission class reads a role inline (the API uses
`accounts.api_permissions.MemberHasRole`, which calls `require_role`)."""

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


def _validates_as_a_choice(function: ast.AST, name: str) -> bool:
    """`if role not in PartyRole.values:` (or `in Role.values`): the role is data the service
    writes, checked against its choices."""
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Name)
            and node.left.id == name
            and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops)
            and any(
                isinstance(comparator, ast.Attribute) and comparator.attr == "values"
                for comparator in node.comparators
            )
        ):
            return True
    return False


def role_parameters(source: str) -> list[tuple[int, str]]:
    """(line, function) for each function that takes a role from its caller (`role`, `*_role`)
    and does not validate it as a choice it writes: the actor's role, which the function must
    read from the actor's membership instead (`require_role(organisation=..., user=...)`)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        for argument in arguments:
            name = argument.arg
            is_role = name == "role" or name.endswith("_role")
            if is_role and not _validates_as_a_choice(node, name):
                found.append((node.lineno, f"{node.name}({name})"))
    return found


def test_no_service_takes_the_actors_role_from_its_caller():
    found = [
        f"{path.relative_to(ROOT)}:{line} {what}"
        for path in service_modules()
        for line, what in role_parameters(path.read_text(encoding="utf-8"))
    ]
    assert found == [], (
        "take the user and read the role with accounts.permissions.require_role(organisation=..., "
        "user=...) (has_role for a yes/no): " + ", ".join(found)
    )


def test_the_role_parameter_check_finds_the_idiom():
    source = "\n".join(
        [
            "def action_update(*, action, user, role: str, status):",
            "    if role != Role.COMPLIANCE_MANAGER:",
            "        raise ValidationError('managers only')",
            "def action_can_update(action, user, user_role):",
            "    return user_role in EDITORS",
            "def party_add(*, transaction, user, party, role: str):",
            "    if role not in PartyRole.values:",
            "        raise ValidationError('choose a role')",
            "def membership_change(*, membership, user, role: str):",
            "    if role not in Role.values:",
            "        raise ValidationError('choose a role')",
            "def action_verify(*, action, user):",
            "    require_role(roles=AUDITORS, organisation=action.organisation, user=user)",
        ]
    )
    assert role_parameters(source) == [
        (1, "action_update(role)"),
        (4, "action_can_update(user_role)"),
    ]


def app_modules() -> list[Path]:
    return [
        path
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.relative_to(ROOT / app).parts
    ]


PERMISSION_METHODS = {"has_permission", "has_object_permission"}


def inline_role_permissions(source: str) -> list[tuple[int, str]]:
    """(line, class) for each API permission class (one with `has_permission` or
    `has_object_permission`) that reads a role itself (`membership.role`, `getattr(m, "role")`)
    instead of calling `require_role`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ClassDef):
            continue
        methods = [
            item
            for item in node.body
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
            and item.name in PERMISSION_METHODS
        ]
        for method in methods:
            for child in ast.walk(method):
                reads_role = (isinstance(child, ast.Attribute) and child.attr == "role") or (
                    isinstance(child, ast.Call)
                    and _target_name(child.func) == "getattr"
                    and any(
                        isinstance(arg, ast.Constant) and arg.value == "role" for arg in child.args
                    )
                )
                if reads_role:
                    found.append((child.lineno, node.name))
    return sorted(set(found))


def test_no_api_permission_class_checks_a_role_inline():
    found = [
        f"{path.relative_to(ROOT)}:{line} {what}"
        for path in app_modules()
        for line, what in inline_role_permissions(path.read_text(encoding="utf-8"))
    ]
    assert found == [], (
        "declare `roles = accounts.roles.<SET>` on the view and use "
        "accounts.api_permissions.MemberHasRole: " + ", ".join(found)
    )


def test_the_permission_class_check_finds_each_idiom():
    source = "\n".join(
        [
            "class MayScreen(permissions.BasePermission):",
            "    def has_permission(self, request, view):",
            "        membership = getattr(request._request, 'membership', None)",
            "        return membership is not None and membership.role in SCREENERS",
            "class OwnRecord(BasePermission):",
            "    def has_object_permission(self, request, view, obj):",
            "        return getattr(request.membership, 'role') == 'auditor'",
            "class MemberHasRole(BasePermission):",
            "    def has_permission(self, request, view):",
            "        require_role(roles=view.roles, membership=request.membership)",
            "        return True",
            "class Serializer:",
            "    def to_representation(self, obj):",
            "        return obj.role",
        ]
    )
    assert inline_role_permissions(source) == [(4, "MayScreen"), (7, "OwnRecord")]


def test_the_api_uses_the_one_permission_class():
    from rest_framework.views import APIView

    from accounts.api_permissions import MemberHasRole
    from screening.api.views import ScreenView
    from trade.api.transactions import TransactionCreateView, TransactionDecisionView

    for view in (ScreenView, TransactionCreateView, TransactionDecisionView):
        assert issubclass(view, APIView) and MemberHasRole in view.permission_classes
        assert view.roles, view.__name__
