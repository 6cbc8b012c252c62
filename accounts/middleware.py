from .models import Membership

SESSION_KEY = "organisation_id"


class OrganisationMiddleware:
    """Puts the current organisation and the user's membership in it on the request.

    The organisation comes from the session and is re-checked against the user's active
    memberships on every request, so a removed membership takes effect at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = None
        request.membership = None
        request.memberships = []
        if request.user.is_authenticated:
            memberships = list(
                Membership.objects.active()
                .filter(user=request.user)
                .select_related("organisation")
                .order_by("organisation__slug")
            )
            request.memberships = memberships
            wanted = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.organisation_id == wanted), None)
            current = current or (memberships[0] if memberships else None)
            if current is not None:
                request.membership = current
                request.organisation = current.organisation
                if wanted != current.organisation_id:
                    request.session[SESSION_KEY] = current.organisation_id
        return self.get_response(request)
