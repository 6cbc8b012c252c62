from . import roles


def organisation(request):
    membership = getattr(request, "membership", None)
    role = membership.role if membership else None
    return {
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": membership,
        "user_memberships": getattr(request, "memberships", []),
        "can_edit_programme": role in roles.PROGRAMME_EDITORS,
        "can_read_programme": role in roles.PROGRAMME_READERS,
        "can_approve": role in roles.APPROVERS,
        "is_auditor": role in roles.AUDITORS,
    }
