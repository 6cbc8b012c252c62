"""The programme navigation: the nine ICP elements in the guidance's order and names."""

from dataclasses import dataclass
from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.permissions import view_roles


@cache
def _url_of(url_name: str, args: tuple, script_prefix: str) -> str:
    # Every page shows the menu: its addresses are reversed once per process, not per request.
    return reverse(url_name, args=args)


@cache
def _roles_of(url_name: str, args: tuple) -> frozenset | None:
    return view_roles(resolve(reverse(url_name, args=args)).func)


@receiver(setting_changed)
def _urls_changed(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _url_of.cache_clear()
        _roles_of.cache_clear()


@dataclass(frozen=True)
class NavItem:
    code: str
    label: Promise
    url_name: str
    args: tuple = ()
    # Other URL prefixes that belong to this entry (its sub-pages), for highlighting.
    prefixes: tuple = ()

    @property
    def roles(self) -> frozenset | None:
        """Who sees the entry: the roles the entry's view admits (accounts/permissions.py), read
        from the view itself so the menu never offers a link that would answer 403."""
        return _roles_of(self.url_name, self.args)

    @property
    def url(self) -> str:
        return _url_of(self.url_name, self.args, get_script_prefix())

    def is_active(self, path: str) -> bool:
        return any(path.startswith(prefix) for prefix in (self.url, *self.prefixes))


ELEMENTS = (
    NavItem(
        "E1",
        _("Compliance policy statement"),
        "icp:policy_home",
        prefixes=("/elements/E1/",),
    ),
    NavItem(
        "E2",
        _("Compliance organisation"),
        "icp:organisation_home",
        prefixes=("/elements/E2/",),
    ),
    NavItem(
        "E3",
        _("Risk assessment"),
        "icp:risk_assessment_list",
        prefixes=("/elements/E3/",),
    ),
    NavItem(
        "E4",
        _("Transaction review"),
        "transactions:queue",
        prefixes=("/trade/", "/elements/E4/"),
    ),
    NavItem(
        "E5",
        _("Emergency measures"),
        "icp:incident_list",
        prefixes=("/response-plans/", "/elements/E5/"),
    ),
    NavItem(
        "E6", _("Education and training"), "icp:training_overview", prefixes=("/elements/E6/",)
    ),
    NavItem(
        "E7", _("Compliance audits"), "audits:audit_list", prefixes=("/audits/", "/elements/E7/")
    ),
    NavItem("E8", _("Recordkeeping"), "records:overview", prefixes=("/elements/E8/",)),
    NavItem("E9", _("ICP manual"), "icp:manual_home", prefixes=("/manual/", "/elements/E9/")),
)

# Working tools beside the nine elements.
TOOLS = (
    NavItem("screening", _("Screening"), "screening:screen", prefixes=("/screening/",)),
    NavItem("parties", _("Parties"), "parties:list", prefixes=("/parties/",)),
)


def _entries(items, role, path) -> list[dict]:
    entries = []
    for item in items:
        roles = item.roles
        if roles is None or role in roles:
            url = item.url
            active = any(path.startswith(prefix) for prefix in (url, *item.prefixes))
            entries.append({"code": item.code, "label": item.label, "url": url, "active": active})
    return entries


def navigation(request):
    """Context processor: the entries the member may open, the active one marked."""
    membership = getattr(request, "membership", None)
    role = membership.role if membership else None
    return {
        "nav_elements": _entries(ELEMENTS, role, request.path),
        "nav_tools": _entries(TOOLS, role, request.path),
        "nav_path": request.path,
    }
