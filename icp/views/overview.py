from django.shortcuts import render

from accounts.permissions import organisation_required
from core.models import Job

from icp.selectors import element_get, element_list, provisions_for


@organisation_required()
def overview(request):
    """The organisation's home page: the nine elements of its programme."""
    recent_jobs = Job.objects.filter(
        organisation=request.organisation, created_by=request.user
    ).order_by("-created_at")[:5]
    return render(
        request,
        "icp/overview.html",
        {"elements": element_list(), "recent_jobs": recent_jobs},
    )


@organisation_required()
def element_detail(request, code):
    element = element_get(code=code)
    return render(
        request,
        "icp/element_detail.html",
        {"element": element, "provisions": provisions_for(element)},
    )
