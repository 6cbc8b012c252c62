"""The programme navigation: the nine ICP elements in the guidance's order and names."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    code: str
    label: Promise
    url_name: str
    args: tuple = ()

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=self.args)


ELEMENTS = (
    NavItem("E1", _("Compliance policy statement"), "icp:element_detail", ("E1",)),
    NavItem("E2", _("Compliance organisation"), "icp:element_detail", ("E2",)),
    NavItem("E3", _("Risk assessment"), "icp:element_detail", ("E3",)),
    NavItem("E4", _("Transaction review"), "icp:element_detail", ("E4",)),
    NavItem("E5", _("Emergency measures"), "icp:element_detail", ("E5",)),
    NavItem("E6", _("Education and training"), "icp:element_detail", ("E6",)),
    NavItem("E7", _("Compliance audits"), "icp:element_detail", ("E7",)),
    NavItem("E8", _("Recordkeeping"), "icp:element_detail", ("E8",)),
    NavItem("E9", _("ICP manual"), "icp:element_detail", ("E9",)),
)


def navigation(request):
    """Context processor: the element navigation with the active entry marked."""
    return {"nav_elements": ELEMENTS, "nav_path": request.path}
