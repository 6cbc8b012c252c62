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
# Run audits.
AUDITORS = frozenset({Role.AUDITOR})
