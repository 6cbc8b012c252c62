"""Chamber rules: invitations, joining and leaving, consent, publishing and delivery.

Every write checks the actor's role in the organisation acting (the chamber for invitations and
publications, the member for answers, leaving and consent). Changes reach the chamber's event
log through the models' history; the member's own steps are also appended to the member's log,
because joining or leaving a chamber and sharing status are its decisions.

By subject: `common` (which chamber an organisation is, registering one, the member's log),
`membership` (invitations, answers, leaving, consent), `publications` (writing, publishing and
delivering them to members), `lists` (the screening lists a chamber keeps for its members, their
updates and subscriptions) and `adoptions` (what a member adopts into its own programme).
"""

from .adoptions import adoption_preview, publication_adopt
from .common import chamber_of, chamber_register
from .lists import (
    LIST_UPDATE_DELIVERY_JOB,
    list_subscription_set,
    list_update_publish,
    list_update_status_set,
    subscribers_rescreen,
)
from .membership import (
    chamber_member_invite,
    chamber_membership_accept,
    chamber_membership_consent_set,
    chamber_membership_decline,
    chamber_membership_leave,
)
from .publications import (
    DELIVERY_JOB,
    LIST_KINDS,
    PUBLICATION_FIELDS,
    TEXT_KINDS,
    members_notify,
    publication_create,
    publication_deliver,
    publication_publish,
)

__all__ = [
    "DELIVERY_JOB",
    "LIST_KINDS",
    "LIST_UPDATE_DELIVERY_JOB",
    "PUBLICATION_FIELDS",
    "TEXT_KINDS",
    "adoption_preview",
    "chamber_member_invite",
    "chamber_membership_accept",
    "chamber_membership_consent_set",
    "chamber_membership_decline",
    "chamber_membership_leave",
    "chamber_of",
    "chamber_register",
    "list_subscription_set",
    "list_update_publish",
    "list_update_status_set",
    "members_notify",
    "publication_adopt",
    "publication_create",
    "publication_deliver",
    "publication_publish",
    "subscribers_rescreen",
]
