"""The getting-started panel on the overview, by registration (core/panels.py): shown to the
compliance manager until every step is done or set aside. The overview does not import this."""

from accounts import roles
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
