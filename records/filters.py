import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from records.models import Document, EventLogEntry
from records.models.retention import RetentionState
from records.selectors import record_type_choices


class RetainedRecordFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=RetentionState.choices)
    record_type = django_filters.ChoiceFilter(label=_("Record type"), choices=record_type_choices)
    document_type = django_filters.ChoiceFilter(
        label=_("Document type"), choices=Document.Type.choices
    )
    retained_until_before = django_filters.DateFilter(
        field_name="retained_until",
        lookup_expr="lte",
        label=_("Retained until, at the latest"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class EventLogFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(
        label=pgettext_lazy("event log", "Action"),
        choices=EventLogEntry._meta.get_field("action").choices,
    )
    record_type = django_filters.CharFilter(label=_("Record type"))
    object_id = django_filters.CharFilter(label=_("Record id"))
    since = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="at",
        lookup_expr="date__lte",
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
