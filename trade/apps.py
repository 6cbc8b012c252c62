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

    @staticmethod
    def _subscribe() -> None:
        """The events of screening (below trade) that trade acts on."""
        from screening.signals import parties_rescreened

        from .receivers import transactions_recheck_after_parties_rescreened

        parties_rescreened.connect(
            transactions_recheck_after_parties_rescreened,
            dispatch_uid="trade.transactions_recheck_after_parties_rescreened",
        )
