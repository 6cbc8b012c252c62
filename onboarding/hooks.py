"""The getting-started panel on the overview, by registration (core/panels.py): shown to the
compliance manager until every step is done or set aside. The overview does not import this."""

from accounts import roles
from accounts.profiles import is_lite
from core.panels import Panel, overview_panel

from .selectors import onboarding_progress


@overview_panel(order=10)
def onboarding_overview_panel(request):
    membership = getattr(request, "membership", None)
    organisation = getattr(request, "organisation", None)
    if organisation is None or membership is None:
        return None
    if membership.role not in roles.PROGRAMME_EDITORS:
        return None
    progress = onboarding_progress(organisation=organisation)
    if progress.next_step is None:
        return None
    return Panel("onboarding/_overview_panel.html", {"progress": progress})


@overview_panel(order=11)
def programme_profile_panel(request):
    """The overview says when the lite programme is active (the full one is the default)."""
    organisation = getattr(request, "organisation", None)
    membership = getattr(request, "membership", None)
    if organisation is None or membership is None or not is_lite(organisation):
        return None
    return Panel(
        "onboarding/_profile_panel.html",
        {"can_change": membership.role in roles.PROGRAMME_EDITORS},
    )
