"""The review queue."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts import roles
from core.lists import ScopedListView
from trade.models import RiskLevel, Transaction, TransactionState
from trade.selectors_transactions import (
    transaction_queue,
    transaction_statistics,
    transactions_with_overdue_reports,
)
from trade.services.licence import post_shipment_overdue_count

AGE_CHOICES = (
    ("7", gettext_lazy("Older than 7 days")),
    ("30", gettext_lazy("Older than 30 days")),
    ("90", gettext_lazy("Older than 90 days")),
)


class TransactionFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=gettext_lazy("State"), choices=TransactionState.choices
    )
    risk_level = django_filters.ChoiceFilter(label=gettext_lazy("Risk"), choices=RiskLevel.choices)
    age = django_filters.ChoiceFilter(
        label=gettext_lazy("Age"), choices=AGE_CHOICES, method="filter_age"
    )
    kind = django_filters.ChoiceFilter(label=gettext_lazy("Kind"), choices=Transaction.Kind.choices)
    reports = django_filters.ChoiceFilter(
        label=gettext_lazy("Reports after shipment"),
        choices=(("overdue", gettext_lazy("Overdue")),),
        method="filter_reports",
    )

    class Meta:
        model = Transaction
        fields = ["state", "risk_level", "age", "kind", "reports"]

    def filter_age(self, queryset, name, value):
        return queryset.filter(created_at__lt=timezone.now() - timezone.timedelta(days=int(value)))

    def filter_reports(self, queryset, name, value):
        return transactions_with_overdue_reports(queryset)


class TransactionQueueView(ScopedListView):
    """The review queue. Compliance managers work it; everyone else sees where orders stand."""

    model = Transaction
    roles = roles.ALL_MEMBERS
    template_name = "trade/transaction/queue.html"
    filterset_class = TransactionFilter
    search_fields = ("reference", "end_user_name", "customer_reference")
    export_filename = "transactions"
    export_columns = (
        (gettext_lazy("Reference"), "reference"),
        (gettext_lazy("Kind"), "get_kind_display"),
        (gettext_lazy("Stage"), "get_stage_display"),
        (gettext_lazy("Destination"), "destination_country.code"),
        (gettext_lazy("End user"), "end_user_name"),
        (gettext_lazy("Value"), "total_value"),
        (gettext_lazy("Currency"), "currency"),
        (gettext_lazy("State"), "get_state_display"),
        (gettext_lazy("Risk"), "get_risk_level_display"),
        (gettext_lazy("Checks open"), "checks_open"),
        (gettext_lazy("Created"), "created_at"),
    )

    def get_base_queryset(self):
        return transaction_queue(organisation=self.organisation)

    def get_queryset(self):
        queryset = super().get_queryset()
        # Compliance managers open the queue on what waits for them.
        if (
            "state" not in self.request.GET
            and not self.request.GET.get("q")
            and not self.request.GET.get("reports")
            and self.membership.role in roles.PROGRAMME_EDITORS
        ):
            queryset = queryset.filter(
                state__in=[TransactionState.IN_REVIEW, TransactionState.ON_HOLD]
            )
        return queryset.order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        role = self.membership.role
        context.update(
            can_draft=role in roles.TRANSACTION_DRAFTERS,
            show_statistics=role in roles.PROGRAMME_READERS,
            default_view=role in roles.PROGRAMME_EDITORS
            and "state" not in self.request.GET
            and not self.request.GET.get("reports"),
        )
        if role in roles.PROGRAMME_READERS:
            context["statistics"] = transaction_statistics(organisation=self.organisation)
            context["reports_overdue"] = post_shipment_overdue_count(organisation=self.organisation)
        return context
