from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeConfig(AppConfig):
    name = "trade"
    verbose_name = _("Items, export transactions and licences")

    def ready(self):
        from accounts import roles
        from core.registry import register_record

        from . import jobs_imports, reminder_sources  # noqa: F401  (job kinds, reminder source)
        from .models import Item, Licence, Transaction

        register_record(
            Transaction, read_roles=roles.ALL_MEMBERS, edit_roles=roles.TRANSACTION_DRAFTERS
        )
        register_record(Item, read_roles=roles.ALL_MEMBERS, edit_roles=roles.TRANSACTION_DRAFTERS)
        register_record(
            Licence, read_roles=roles.PROGRAMME_READERS, edit_roles=roles.PROGRAMME_EDITORS
        )

        from .models import MofcomConsultation

        register_record(
            MofcomConsultation,
            read_roles=roles.ALL_MEMBERS,
            edit_roles=roles.TRANSACTION_DRAFTERS,
        )

        from .models import PostShipmentDuty

        # The evidence of a post-shipment report (REGS Art. 18(1)) is attached to the duty.
        register_record(
            PostShipmentDuty, read_roles=roles.ALL_MEMBERS, edit_roles=roles.PROGRAMME_EDITORS
        )

        self._subscribe()
        self._history_display()

    @staticmethod
    def _history_display() -> None:
        """How the change history shows trade's coded and JSON fields (core/history.py): the
        stored sentences in the reader's language, labels instead of codes."""
        from core.history import history_field_register, history_stored_text_register

        from . import review_text, stored_text
        from .licensing_reference import current_licensing_reference
        from .models import Licence, LicencePath, RedFlagAnswer, ReportDuty, Transaction

        history_stored_text_register(
            Transaction,
            text="state_reason",
            code="state_reason_code",
            params="state_reason_params",
            render=stored_text.render,
        )
        history_stored_text_register(
            RedFlagAnswer,
            text="note",
            code="note_code",
            params="note_params",
            render=review_text.render,
        )
        history_field_register(Licence, "report_duties", choices=ReportDuty.choices)

        def voucher_case(code) -> str:
            case = current_licensing_reference().voucher_case(code)
            return str(case.text) if case else str(_("(removed)"))

        history_field_register(Licence, "voucher_case", voucher_case)
        for name in ("answers", "findings", "basis"):  # the path's page shows them: "changed"
            history_field_register(LicencePath, name)

    @staticmethod
    def _subscribe() -> None:
        """The events of screening (below trade) that trade acts on."""
        from screening.signals import parties_rescreened

        from .receivers import transactions_recheck_after_parties_rescreened

        parties_rescreened.connect(
            transactions_recheck_after_parties_rescreened,
            dispatch_uid="trade.transactions_recheck_after_parties_rescreened",
        )
