"""Roles and what each may do, readable as one table.

Views declare one of the role sets below (`roles = roles.PROGRAMME_READERS`), so every access rule
is stated here once and the permission-table test checks it URL by URL.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMPLIANCE_MANAGER = "compliance_manager", _("Compliance manager")
    AUDITOR = "auditor", _("Auditor")
    MANAGEMENT = "management", _("Management")
    STAFF = "staff", _("Staff")


ALL_MEMBERS = frozenset(Role.values)
# Keep the programme: edit policy, organisation, risks, transactions, incidents, training.
PROGRAMME_EDITORS = frozenset({Role.COMPLIANCE_MANAGER})
# Read the whole programme: auditors read everything and change nothing.
PROGRAMME_READERS = frozenset({Role.COMPLIANCE_MANAGER, Role.AUDITOR, Role.MANAGEMENT})
# Approve what needs the principal person in charge's signature.
APPROVERS = frozenset({Role.MANAGEMENT})
# Ask for a new version of the ICP manual (E9): the compliance manager, and management for
# the licence application; auditors download the versions but do not make them.
MANUAL_REQUESTERS = frozenset({Role.COMPLIANCE_MANAGER, Role.MANAGEMENT})
# Run audits.
AUDITORS = frozenset({Role.AUDITOR})
# Assign and follow up corrective actions of audit findings (auditors assign them, compliance
# managers own them); the owner of an action, whatever their role, updates it.
AUDIT_FOLLOW_UP = frozenset({Role.COMPLIANCE_MANAGER, Role.AUDITOR})
# Screen a party and keep the party register: sales staff check a new customer themselves;
# decisions on hits stay with compliance managers (PROGRAMME_EDITORS).
SCREENERS = frozenset({Role.COMPLIANCE_MANAGER, Role.STAFF})
# Draft export transactions, add items, answer red-flag questions: sales staff and compliance
# managers; the review decisions stay with compliance managers (PROGRAMME_EDITORS).
TRANSACTION_DRAFTERS = frozenset({Role.COMPLIANCE_MANAGER, Role.STAFF})
# Join or leave a chamber of commerce and decide whether it sees the programme status: the
# compliance manager and management (the principal person in charge), never auditors or staff.
CHAMBER_MEMBERSHIP_DECIDERS = frozenset({Role.COMPLIANCE_MANAGER, Role.MANAGEMENT})
