"""List pages: organisation scope, search, django-filter filters, pagination and CSV/XLSX export
of the whole filtered list, declared once per page."""

import datetime
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import force_str
from django.views.generic import ListView

from accounts.permissions import OrganisationMixin
from core.exports import csv_response, xlsx_response

EXPORT_ROW_LIMIT = 100_000


def export_value(obj, column):
    """A column is an attribute path ("party.country.name", "get_status_display") or a callable."""
    if callable(column):
        value = column(obj)
    else:
        value = obj
        for part in column.split("."):
            value = getattr(value, part, None) if value is not None else None
            if callable(value):
                value = value()
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool | int | float):
        return value
    return force_str(value)


class ScopedListView(OrganisationMixin, ListView):
    paginate_by = settings.PAGE_SIZE
    filterset_class = None
    search_fields: tuple = ()
    export_columns: tuple = ()  # ((header, column), ...)
    export_filename = "export"

    def get_base_queryset(self):
        return self.model.objects.for_organisation(self.organisation)

    def get_queryset(self):
        queryset = self.get_base_queryset()
        query = self.request.GET.get("q", "").strip()
        if query and self.search_fields:
            queryset = queryset.filter(
                reduce(or_, (Q(**{f"{field}__icontains": query}) for field in self.search_fields))
            )
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(
                self.request.GET, queryset=queryset, request=self.request
            )
            queryset = self.filterset.qs
        return queryset

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export in ("csv", "xlsx") and self.export_columns:
            rows = self.get_queryset()[:EXPORT_ROW_LIMIT]
            return self.export_csv(rows) if export == "csv" else self.export_xlsx(rows)
        return super().get(request, *args, **kwargs)

    def _rows(self, objects):
        for obj in objects.iterator(chunk_size=2000):
            yield [export_value(obj, column) for _header, column in self.export_columns]

    def _filename(self, extension: str) -> str:
        return f"{self.export_filename}-{timezone.localdate():%Y%m%d}.{extension}"

    def _export_lines(self, objects):
        yield [force_str(header) for header, _column in self.export_columns]
        yield from self._rows(objects)

    def export_csv(self, objects):
        return csv_response(self._export_lines(objects), filename=self._filename("csv"))

    def export_xlsx(self, objects):
        return xlsx_response(
            self._export_lines(objects),
            filename=self._filename("xlsx"),
            sheet_title=self.export_filename,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        params.pop("export", None)
        context.update(
            filterset=self.filterset,
            search_enabled=bool(self.search_fields),
            search_query=self.request.GET.get("q", ""),
            page_query=params.urlencode(),
            exportable=bool(self.export_columns),
        )
        return context
