"""Registrations: a check's attachments (core/registry.py) and, on the programme's overview
(core/panels.py), the customer checks awaiting a decision. Nothing imports this app."""

from accounts import roles
from core.panels import Panel, overview_panel
from core.registry import register_record

from .models import CustomerCheck
from .selectors import open_check_count, provider_profile_of

# Documents the customer presented (licence, voucher, invoice) are the check's attachments.
register_record(
    CustomerCheck,
    read_roles=roles.SCREENERS | roles.PROGRAMME_READERS,
    edit_roles=roles.SCREENERS,
)


@overview_panel(order=40)
def customer_checks_panel(request):
    membership = getattr(request, "membership", None)
    if membership is None or membership.role not in roles.SCREENERS | roles.PROGRAMME_READERS:
        return None
    profile = provider_profile_of(organisation=request.organisation)
    if profile is None:
        return None
    return Panel(
        "providers/_overview_panel.html",
        {"profile": profile, "open_checks": open_check_count(organisation=request.organisation)},
    )
