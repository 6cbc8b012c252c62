"""List pages: organisation scope, search, django-filter filters, pagination and CSV/XLSX export
of the whole filtered list, declared once per page."""

import datetime
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.text import capfirst
from django.views.generic import ListView

from accounts.permissions import OrganisationMixin
from core.exports import csv_response, xlsx_response

EXPORT_ROW_LIMIT = 100_000
# Rows read from the database at a time while an export is written (with their prefetches).
EXPORT_CHUNK_ROWS = 2000


def export_relations(model, columns) -> tuple[list[str], list[str]]:
    """The relations the attribute-path columns walk through ("finding.audit.reference",
    "owner"), as (select_related, prefetch_related) paths: an export then reads them with its
    rows instead of one query per row. A generic relation can only be prefetched; a path that
    leaves the model's fields (a property, a method) stops there."""
    joins: list[str] = []
    prefetches: list[str] = []
    for _header, column in columns:
        if callable(column):
            continue
        current, chain = model, []
        for part in column.split("."):
            try:
                field = current._meta.get_field(part)
            except FieldDoesNotExist:
                break
            if not (field.many_to_one or field.one_to_one) or field.auto_created:
                break
            if part != field.name:  # "actor_id": the key itself, no join needed
                break
            chain.append(part)
            if field.related_model is None:  # a generic foreign key
                prefetches.append("__".join(chain))
                break
            current = field.related_model
        if chain and "__".join(chain) not in prefetches:
            joins.append("__".join(chain))
    return sorted(set(joins)), sorted(set(prefetches))


def export_value(obj, column):
    """A column is an attribute path ("party.country.name", "get_status_display") or a callable.
    Booleans, numbers, dates and times stay typed: core.exports writes each as a person reads
    it in the file's format (是/否 and local time to the minute in a CSV file)."""
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
    if isinstance(value, datetime.date):  # a datetime too
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
    export_title = None  # an XLSX export's sheet name; the model's plural name when None

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
            rows = self.get_export_queryset()[:EXPORT_ROW_LIMIT]
            return self.export_csv(rows) if export == "csv" else self.export_xlsx(rows)
        return super().get(request, *args, **kwargs)

    def get_export_queryset(self):
        """The list's queryset with the relations its export columns read, so an export makes
        the same number of queries for ten rows or a hundred thousand."""
        queryset = self.get_queryset()
        joins, prefetches = export_relations(queryset.model, self.export_columns)
        if joins:
            queryset = queryset.select_related(*joins)
        if prefetches:
            queryset = queryset.prefetch_related(*prefetches)
        return queryset

    def prepare_export_rows(self, rows: list) -> list:
        """A chunk of rows before their columns are read, for a view whose rows need more than
        their queryset gives (their names now, in the reader's language): a fixed number of
        queries per chunk."""
        return rows

    def _rows(self, objects):
        chunk: list = []
        for obj in objects.iterator(chunk_size=EXPORT_CHUNK_ROWS):
            chunk.append(obj)
            if len(chunk) == EXPORT_CHUNK_ROWS:
                yield from self._chunk_lines(chunk)
                chunk = []
        yield from self._chunk_lines(chunk)

    def _chunk_lines(self, chunk: list):
        for obj in self.prepare_export_rows(chunk) if chunk else ():
            yield [export_value(obj, column) for _header, column in self.export_columns]

    def get_export_title(self) -> str:
        """The XLSX sheet's name in the reader's language ("交易方"), not the file's slug."""
        return force_str(self.export_title or capfirst(self.model._meta.verbose_name_plural))

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
            sheet_title=self.get_export_title(),
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
