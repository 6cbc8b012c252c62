"""Scoped reads for the item master: the control list and customs catalogue in force for an
organisation, HS-code matches, consultations."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from core.models import Job
from trade.models import (
    ControlListEntry,
    ControlListVersion,
    CustomsCatalogueEntry,
    Item,
    MofcomConsultation,
)
from trade.models.control_list import ReferenceListKind


def control_list_in_force(*, organisation):
    """The control list an organisation classifies against: its own imported list once it has
    one, else the shared list (the labelled starter set in the demo)."""
    own = ControlListVersion.objects.filter(
        organisation=organisation, kind=ReferenceListKind.CONTROL_LIST
    ).exists()
    entries = ControlListEntry.objects.filter(is_active=True)
    if own:
        return entries.filter(organisation=organisation)
    return entries.visible_to(organisation)


def customs_catalogue_in_force(*, organisation):
    """The customs catalogue an organisation checks HS codes against: its own import once it
    has one, else the shared rows."""
    own = ControlListVersion.objects.filter(
        organisation=organisation, kind=ReferenceListKind.CUSTOMS_CATALOGUE
    ).exists()
    entries = CustomsCatalogueEntry.objects.filter(is_active=True)
    return entries.filter(organisation=organisation if own else None)


def customs_catalogue_search(*, organisation, query: str = ""):
    entries = customs_catalogue_in_force(organisation=organisation)
    query = (query or "").strip()
    if query:
        digits = query.replace(".", "").replace(" ", "")
        entries = entries.filter(
            Q(hs_code__startswith=digits)
            | Q(description_zh__icontains=query)
            | Q(description_en__icontains=query)
            | Q(control_codes__icontains=query)
        )
    return entries.order_by("hs_code")


def reference_list_versions(*, organisation, kind):
    own = ControlListVersion.objects.filter(organisation=organisation, kind=kind)
    versions = (
        own
        if own.exists()
        else ControlListVersion.objects.filter(organisation__isnull=True, kind=kind)
    )
    return versions.select_related("created_by").order_by("-number")


def reference_list_import_running(*, organisation, job_kind: str) -> Job | None:
    """The organisation's latest background import of this kind that has not finished."""
    return (
        Job.objects.filter(
            organisation=organisation,
            kind=job_kind,
            status__in=[Job.Status.PENDING, Job.Status.RUNNING, Job.Status.STALLED],
        )
        .order_by("-created_at")
        .first()
    )


def item_consultations(*, item: Item):
    return item.consultations.select_related("asked_by", "settled_by", "answer_document").order_by(
        "-asked_on", "-pk"
    )


def consultation_get(*, organisation, item: Item, pk) -> MofcomConsultation:
    """A MOFCOM consultation about the organisation's item, 404 otherwise."""
    return get_object_or_404(
        MofcomConsultation.objects.for_organisation(organisation), pk=pk, item=item
    )


def _digits(hs_code: str) -> str:
    return "".join(c for c in hs_code or "" if c.isdigit())


def customs_catalogue_matches(*, organisation, hs_codes) -> dict:
    """{hs_code: the catalogue line it falls under} for the codes that are in the catalogue, in
    two queries however many codes. A catalogue code matches when it is the start of the item's
    code (an 8-digit line covers its 10-digit codes), or an item code of at least 8 digits is
    the start of a catalogue code."""
    wanted = {code: _digits(code) for code in hs_codes if len(_digits(code)) >= 8}
    if not wanted:
        return {}
    prefixes = Q()
    for digits in {d[:8] for d in wanted.values()}:
        prefixes |= Q(hs_code__startswith=digits)
    candidates = sorted(
        customs_catalogue_in_force(organisation=organisation).filter(prefixes),
        key=lambda e: -len(e.hs_code),
    )
    found = {}
    for code, digits in wanted.items():
        for entry in candidates:
            if digits.startswith(entry.hs_code) or entry.hs_code.startswith(digits):
                found[code] = entry
                break
    return found


def customs_catalogue_match(*, organisation, hs_code: str) -> CustomsCatalogueEntry | None:
    """The catalogue line an HS code falls under, or None (see `customs_catalogue_matches`)."""
    return customs_catalogue_matches(organisation=organisation, hs_codes=[hs_code]).get(hs_code)
