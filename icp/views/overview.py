from django.shortcuts import render

from accounts import roles
from accounts.permissions import organisation_required
from core.panels import overview_panels
from core.selectors import jobs_recent
from icp.selectors.for_you import for_you
from icp.selectors.licence_readiness import general_licence_checks
from icp.selectors.overview import programme_overview
from icp.selectors.policy import policy_acknowledgement_of, policy_current
from reference.selectors import element_get, element_list, provisions_for


@organisation_required()
def overview(request):
    """The organisation's home page: each element's true status, and what is overdue."""
    context = {
        "recent_jobs": jobs_recent(organisation=request.organisation, user=request.user),
    }
    statuses = None
    if request.membership.role in roles.PROGRAMME_READERS:
        statuses = programme_overview(organisation=request.organisation)
        # The same checks as the readiness page, the overview's figures reused.
        readiness = general_licence_checks(organisation=request.organisation, statuses=statuses)
        names = {element.code: element for element in element_list()}
        context.update(
            cards=[(names.get(status.code), status) for status in statuses],
            readiness_met=readiness.met,
            readiness_total=readiness.total,
        )
    else:
        policy = policy_current(organisation=request.organisation)
        context.update(
            policy=policy,
            policy_acknowledged=policy is not None
            and policy_acknowledgement_of(version=policy, user=request.user) is not None,
        )
    context["for_you"] = for_you(
        organisation=request.organisation, membership=request.membership, statuses=statuses
    )
    # What apps above the programme add (e.g. a chamber's regulatory updates), registered.
    context["panels"] = overview_panels(request)
    return render(request, "icp/overview.html", context)


@organisation_required()
def element_detail(request, code):
    element = element_get(code=code)
    return render(
        request,
        "icp/element_detail.html",
        {"element": element, "provisions": provisions_for(element)},
    )
