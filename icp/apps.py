from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IcpConfig(AppConfig):
    name = "icp"
    verbose_name = _("Internal compliance programme")

    def ready(self):
        from . import jobs, reminder_sources  # noqa: F401  (job kinds, reminder source)

        self._guard_policy_deletes()
        self._subscribe()
        self._follow_reference_framework()
        self._history_display()

    @staticmethod
    def _history_display() -> None:
        """How the change history shows the programme's JSON fields (core/history.py): as the
        record's page shows them, labels instead of codes."""
        from core.history import history_field_register
        from reference.choices import Duty

        from .models import Course, Position, QuizAttempt
        from .models.training import AUDIENCE_CHOICES

        history_field_register(Position, "duty_codes", choices=Duty.choices)
        history_field_register(Course, "audience", choices=AUDIENCE_CHOICES)
        history_field_register(QuizAttempt, "marking")  # the marked answers: "changed"

    @staticmethod
    def _subscribe() -> None:
        """The events of lower apps that the programme acts on, and the hooks it fills."""
        from trade.hooks import approver_rule_register, destination_risk_reader_register
        from trade.signals import licence_condition_lapsed

        from .receivers import incident_for_lapsed_voucher, segregation_of_duties_reasons
        from .selectors.risk import destination_risks_for_review

        licence_condition_lapsed.connect(
            incident_for_lapsed_voucher, dispatch_uid="icp.incident_for_lapsed_voucher"
        )
        approver_rule_register(segregation_of_duties_reasons)
        destination_risk_reader_register(destination_risks_for_review)

    @staticmethod
    def _follow_reference_framework() -> None:
        """The destination risk reference rows (E3) follow the current framework file: loading
        an older file beside a newer one leaves them alone (the library only sends the signal
        for the current version)."""
        from reference.signals import framework_loaded

        from .services.destination_risk import destination_risk_reference_load

        def _load_destination_risk(sender, *, framework, data, **kwargs) -> None:
            if "destination_risk" in data:
                destination_risk_reference_load(entries=data["destination_risk"])

        framework_loaded.connect(
            _load_destination_risk, weak=False, dispatch_uid="icp.destination_risk_reference"
        )

    @staticmethod
    def _guard_policy_deletes() -> None:
        """A queryset or cascade delete obeys the rule of PolicyVersion/Acknowledgement.delete()."""
        from django.core.exceptions import ValidationError

        from core.guards import guard_delete

        from .models import PolicyAcknowledgement, PolicyStatus, PolicyVersion

        def _version(instance):
            if instance.status != PolicyStatus.DRAFT:
                raise ValidationError(
                    _("Only a draft may be deleted; this version is part of the record."),
                    code="frozen",
                )

        def _acknowledgement(instance):
            raise ValidationError(_("An acknowledgement cannot be deleted."), code="immutable")

        guard_delete(PolicyVersion, _version)
        guard_delete(PolicyAcknowledgement, _acknowledgement)
