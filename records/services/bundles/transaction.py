"""The bundle record of one export transaction: everything an inspector asks about it."""

from django.apps import apps
from django.utils.translation import gettext as _

from core.i18n import joined, localised, parenthesised

from .common import BundleRecord, BundleSection, _document_section, _documents_of, _fmt


def _transaction_model():
    try:
        return apps.get_model("trade", "Transaction")
    except LookupError:
        return None


def transaction_bundle_record(transaction) -> BundleRecord:
    """Everything an inspector asks about one export transaction."""
    record = BundleRecord(title=str(transaction), kind=str(transaction._meta.verbose_name))
    record.sections.append(
        BundleSection(
            title=_("Summary"),
            facts=[
                (_("Reference"), transaction.reference),
                (_("Kind"), transaction.get_kind_display()),
                (_("State"), transaction.get_state_display()),
                (_("Order date"), _fmt(transaction.order_date)),
                (_("Destination"), _fmt(transaction.destination_country.name)),
                (_("Stated end use"), transaction.end_use),
                (_("Shipped on"), _fmt(transaction.shipped_on)),
                (_("EUC number"), _fmt(transaction.euc_number)),
                (_("EUC issued by"), _fmt(transaction.euc_issuer)),
                (_("EUC valid until"), _fmt(transaction.euc_valid_until)),
            ],
        )
    )
    parties = list(transaction.parties.select_related("party"))
    record.sections.append(
        BundleSection(
            title=_("Parties"),
            headers=[_("Role"), _("Party"), _("Country")],
            rows=[
                [p.get_role_display(), str(p.party), _fmt(getattr(p.party, "country", ""))]
                for p in parties
            ],
            empty=_("No parties."),
        )
    )
    Screening = apps.get_model("screening", "Screening")
    # The screening frozen with the approval is the evidence; before approval, the latest one.
    approval = (
        transaction.approvals.filter(superseded_at__isnull=True).order_by("-approved_at").first()
    )
    frozen = {
        entry.get("party_id"): entry.get("screening_id")
        for entry in ((approval.evidence or {}).get("parties", []) if approval else [])
    }
    screening_rows = []
    for link in parties:
        screenings = Screening.objects.filter(
            organisation_id=transaction.organisation_id, party=link.party
        ).prefetch_related("list_versions__screening_list")
        if frozen.get(link.party_id):
            screenings = screenings.filter(pk=frozen[link.party_id])
        screening = screenings.order_by("-created_at").first()
        if screening is None:
            screening_rows.append([str(link.party), _("Not screened"), "—", "—"])
            continue
        versions = joined(str(v) for v in screening.list_versions.all())
        screening_rows.append(
            [
                str(link.party),
                screening.get_decision_display(),
                _fmt(screening.created_at),
                versions or "—",
            ]
        )
    record.sections.append(
        BundleSection(
            title=_("Screening evidence"),
            headers=[_("Party"), _("Result"), _("Screened"), _("List versions used")],
            rows=screening_rows,
            empty=_("No parties to screen."),
        )
    )
    answers = transaction.red_flag_answers.select_related("red_flag", "answered_by", "resolved_by")
    record.sections.append(
        BundleSection(
            title=_("Red-flag answers"),
            headers=[_("Red flag"), _("Answer"), _("Note"), _("Answered by"), _("Resolution")],
            rows=[
                [
                    # The question in the bundle's language.
                    f"{a.red_flag.ref_id} {localised(a.red_flag, 'text')}".strip(),
                    a.get_answer_display() or "—",
                    a.note_text or "—",
                    f"{_fmt(a.answered_by)} {_fmt(a.answered_at)}",
                    a.resolution or "—",
                ]
                for a in answers
            ],
            empty=_("No red-flag answers."),
        )
    )
    classification_rows = []
    for line in transaction.lines.select_related("item"):
        classification = line.item.classifications.order_by("-pk").first()
        classification_rows.append(
            [
                str(line.item),
                f"{line.quantity.normalize():f} {line.unit}",
                classification.get_status_display() if classification else _("Not classified"),
                (classification.control_code or "—") if classification else "—",
                (classification.rationale or "—") if classification else "—",
            ]
        )
    record.sections.append(
        BundleSection(
            title=_("Items and classification"),
            headers=[
                _("Item"),
                _("Quantity"),
                _("Classification"),
                _("Control code"),
                _("Rationale"),
            ],
            rows=classification_rows,
            empty=_("No items."),
        )
    )
    paths = transaction.licence_paths.select_related(
        "line__item", "licence", "walked_by", "confirmed_by"
    ).order_by("line_id")
    record.sections.append(
        BundleSection(
            title=_("Licensing decision path"),
            headers=[_("Item"), _("Outcome"), _("Legal basis"), _("Walked by"), _("Confirmed by")],
            rows=[
                [
                    str(p.line.item),
                    p.get_outcome_display() + (f" · {p.licence}" if p.licence_id else ""),
                    p.basis_display or "—",
                    f"{_fmt(p.walked_by)} {_fmt(p.walked_at)}",
                    f"{_fmt(p.confirmed_by)} {_fmt(p.confirmed_at)}" if p.confirmed_at else "—",
                ]
                for p in paths
            ],
            empty=_("Not walked yet."),
        )
    )
    licence = transaction.licence
    record.sections.append(
        BundleSection(
            title=_("Licence"),
            facts=[
                (_("Licence decision"), transaction.get_licence_decision_display() or "—"),
                (_("Licence"), _fmt(licence)),
                (_("Valid until"), _fmt(getattr(licence, "valid_until", None))),
                (_("Licence note"), transaction.licence_note or "—"),
            ],
        )
    )
    approvals = transaction.approvals.select_related("approved_by").order_by("approved_at")
    events = transaction.events.select_related("actor").order_by("created_at", "pk")
    record.sections.append(
        BundleSection(
            title=_("Approvals and decisions"),
            headers=[_("When"), _("What"), _("Who"), _("Note")],
            rows=[
                [
                    _fmt(a.approved_at),
                    _("Approved") + (parenthesised(_("superseded")) if a.superseded_at else ""),
                    _fmt(a.approved_by),
                    a.note or "—",
                ]
                for a in approvals
            ]
            + [
                [_fmt(e.created_at), e.get_kind_display(), _fmt(e.actor), e.reason_text or "—"]
                for e in events
            ],
            empty=_("No approvals yet."),
        )
    )
    # The reports due after the shipment (REGS Art. 18(1)), with the evidence filed on each.
    duties = list(
        transaction.post_shipment_duties.select_related("licence", "done_by").order_by(
            "due_on", "pk"
        )
    )
    if duties:
        record.sections.append(
            BundleSection(
                title=_("Reports after shipment"),
                headers=[_("Report"), _("Licence"), _("Due"), _("Done"), _("Evidence")],
                rows=[
                    [
                        duty.get_kind_display(),
                        _fmt(duty.licence),
                        _fmt(duty.due_on),
                        f"{_fmt(duty.done_at)} {_fmt(duty.done_by)}" if duty.done_at else "—",
                        duty.evidence_note or "—",
                    ]
                    for duty in duties
                ],
            )
        )
    record.documents = _documents_of(transaction)
    if licence is not None:
        record.documents += _documents_of(licence)
    for duty in duties:
        record.documents += _documents_of(duty)
    record.sections.append(_document_section(record.documents))
    return record
