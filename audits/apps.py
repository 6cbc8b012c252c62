from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "audits"
    verbose_name = _("Compliance audits")

    def ready(self):
        from accounts import roles
        from core.registry import register_record

        from . import jobs  # noqa: F401  (registers the job kinds)
        from .models import Audit, AuditFrozenError, ChecklistItem, CorrectiveAction, Finding

        register_record(Audit, read_roles=roles.PROGRAMME_READERS, edit_roles=roles.AUDITORS)
        # Evidence files are attached through audits:item_attach, which enforces the freeze
        # and the independence rule; the generic upload view may therefore never change items.
        register_record(ChecklistItem, read_roles=roles.PROGRAMME_READERS, edit_roles=frozenset())
        register_record(Finding, read_roles=roles.PROGRAMME_READERS, edit_roles=roles.AUDITORS)
        register_record(
            CorrectiveAction,
            read_roles=roles.PROGRAMME_READERS,
            edit_roles=roles.AUDIT_FOLLOW_UP,
        )

        # How the change history shows the JSON and coded fields (core/history.py), as the
        # pages do: the elements' numbers (E1, E3), the sampling reasons' labels; the evidence
        # links (a list of links) only as "changed".
        from core.history import history_field_register
        from core.i18n import joined

        from .models import PlanEntry
        from .services.checklist_sample import sample_reason_label

        history_field_register(Audit, "elements", joined)
        history_field_register(PlanEntry, "elements", joined)
        history_field_register(ChecklistItem, "evidence")
        history_field_register(
            ChecklistItem,
            "sample_reason",
            lambda value: joined(sample_reason_label(code) for code in value.split(", ") if code),
        )

        # A signed-off audit, its items and findings refuse a queryset or cascade delete too,
        # by the same rule as their delete() (core/guards.py).
        from core.guards import guard_delete

        from .models.audit import _refuse_if_frozen

        def _audit(instance):
            if instance.is_signed_off:
                raise AuditFrozenError

        guard_delete(Audit, _audit)
        guard_delete(ChecklistItem, lambda instance: _refuse_if_frozen(instance.audit_id))
        guard_delete(Finding, lambda instance: _refuse_if_frozen(instance.audit_id))
