"""Transaction review pages: the queue, the transaction page with its checklist, and the actions
on it. Views are thin: check access, validate a form, call one service, redirect."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction as db_transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.imports import import_stash, import_stash_discard, import_stash_get, template_response
from core.lists import ScopedListView
from core.pdf import render_pdf
from records.services import document_attach, documents_for
from reference.models import RedFlag
from trade.forms_transactions import (
    ANSWER_CHOICES,
    PATH_ANSWER_LABELS,
    ApproveForm,
    DocumentForm,
    DutyForm,
    EucForm,
    ImportForm,
    LicenceDecisionForm,
    LicencePathForm,
    LineForm,
    LineUpdateForm,
    PartyLinkForm,
    ReasonForm,
    RedFlagAnswersForm,
    ResolveForm,
    ShippedForm,
    TransactionForm,
)
from trade.licensing_reference import current_licensing_reference
from trade.models import (
    Answer,
    RiskLevel,
    Transaction,
    TransactionItem,
    TransactionState,
)
from trade.selectors_transactions import (
    after_approval,
    approval_amendments,
    approval_current,
    approval_frozen_record,
    approval_latest,
    post_shipment_duty_get,
    red_flag_answer_get,
    transaction_get,
    transaction_line_get,
    transaction_party_get,
    transaction_queue,
    transaction_statistics,
    transactions_with_overdue_reports,
)
from trade.services import transaction as services
from trade.services.licence import post_shipment_duty_complete, post_shipment_overdue_count
from trade.services.licence_path import (
    control_list_matches,
    ctx_fingerprint,
    finding_text,
    path_of,
    path_rows,
)
from trade.services.licence_path import licence_path_confirm as licence_path_confirm_service
from trade.services.licence_path import licence_path_walk as licence_path_walk_service
from trade.services.review import review_checklist, review_context
from trade.services.transaction_import import transactions_import, transactions_preview

AGE_CHOICES = (
    ("7", gettext_lazy("Older than 7 days")),
    ("30", gettext_lazy("Older than 30 days")),
    ("90", gettext_lazy("Older than 90 days")),
)

# The stash of a previewed transaction import (core.imports).
TRANSACTION_IMPORT_KIND = "trade.import_transactions"


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


def _errors(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def transaction_create(request):
    form = TransactionForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            transaction = services.transaction_create(
                organisation=request.organisation, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Transaction %(ref)s created. Add its items and parties.") % {"ref": transaction},
            )
            return redirect(transaction)
    return render(request, "trade/transaction/form.html", {"form": form})


@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def transaction_edit(request, pk):
    transaction = transaction_get(organisation=request.organisation, pk=pk)
    form = TransactionForm(
        request.POST or None, instance=transaction, organisation=request.organisation
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in TransactionForm.Meta.fields}
        # The bound form already wrote the values onto the instance; compare with the stored row.
        transaction = transaction_get(organisation=request.organisation, pk=pk)
        try:
            services.transaction_update(transaction=transaction, user=request.user, **values)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Transaction saved."))
            return redirect(transaction)
    return render(
        request, "trade/transaction/form.html", {"form": form, "transaction": transaction}
    )


def _answer_rows(ctx, editable: bool, typed=None):
    """The red-flag rows; `typed` (a refused questionnaire) puts back the answers and notes as
    they were sent."""
    rows = []
    for flag in ctx.red_flags:
        answer = ctx.answers.get(flag.pk)
        rows.append(
            {
                "flag": flag,
                "answer": answer,
                "blocking_open": flag.severity == RedFlag.Severity.BLOCKING
                and answer is not None
                and answer.is_raised
                and not answer.is_resolved,
                "locked": answer is not None and answer.prefilled and answer.answer == Answer.YES,
                "value": answer.answer if answer is not None else "",
                "note": answer.note if answer is not None else "",
            }
        )
    # Raised flags first, then unanswered, then the rest; within each, the questionnaire's order:
    if typed is not None:
        for row in rows:
            key = row["flag"].pk
            row["value"] = typed.data.get(f"answer-{key}", row["value"])
            row["note"] = typed.data.get(f"note-{key}", row["note"])
    # PRC statutory triggers first, then the other indicators grouped by theme.
    rows.sort(
        key=lambda r: (
            0
            if r["answer"] and r["answer"].is_raised
            else (1 if not (r["answer"] and r["answer"].answer) else 2),
            r["flag"].order,
            r["flag"].ref_id,
        )
    )
    return rows


@organisation_required(roles=roles.ALL_MEMBERS)
def transaction_detail(request, pk):
    return _render_detail(request, transaction_get(organisation=request.organisation, pk=pk))


def _render_detail(request, transaction, **bound):
    """The transaction page; `bound` forms (as the user sent them, with their errors) take the
    place of the empty ones, so a refused action shows again with what was typed."""
    role = request.membership.role
    ctx = review_context(transaction)
    checks = review_checklist(ctx)
    can_draft = role in roles.TRANSACTION_DRAFTERS and transaction.is_editable
    can_decide = role in roles.PROGRAMME_EDITORS
    approvers = (
        services.transaction_approvers(transaction=transaction, ctx=ctx)
        if role in roles.PROGRAMME_READERS
        else []
    )
    me = next((a for a in approvers if a.user.pk == request.user.pk), None)
    approval = approval_current(transaction=transaction)
    organisation = request.organisation
    context = {
        "transaction": transaction,
        "object": transaction,
        "ctx": ctx,
        "checks": checks,
        "all_passed": all(c.passed for c in checks),
        "flag_rows": _answer_rows(ctx, can_draft, typed=bound.get("flag_form")),
        "answer_choices": ANSWER_CHOICES,
        "approvers": approvers,
        "able_approvers": [a for a in approvers if a.may_approve],
        "unable_approvers": [a for a in approvers if not a.may_approve],
        "can_invite": role in roles.PROGRAMME_EDITORS,
        "approval_amendments": approval_amendments(approval),
        "may_approve": me is not None and me.may_approve,
        "my_approver_check": me,
        "approval": approval,
        "events": transaction.events.select_related("actor").order_by("-created_at", "-pk")[:50],
        "documents": documents_for(transaction),
        "can_draft": can_draft,
        "can_decide": can_decide,
        "can_read_programme": role in roles.PROGRAMME_READERS,
        "drawdowns": transaction.drawdowns.select_related("licence").order_by("-drawn_at"),
        "duties": transaction.post_shipment_duties.select_related("licence", "done_by").order_by(
            "due_on", "pk"
        ),
        "duty_form": DutyForm() if can_decide else None,
    }
    if can_draft:
        context.update(
            line_form=LineForm(organisation=organisation),
            party_form=PartyLinkForm(organisation=organisation),
            euc_form=EucForm(
                initial={
                    "euc_issuer": transaction.euc_issuer,
                    "euc_number": transaction.euc_number,
                    "euc_issued_on": transaction.euc_issued_on,
                    "euc_valid_until": transaction.euc_valid_until,
                }
            ),
            document_form=DocumentForm(),
        )
    if can_decide:
        context.update(
            licence_form=LicenceDecisionForm(
                organisation=organisation,
                initial={
                    "decision": transaction.licence_decision or None,
                    "licence": transaction.licence_id,
                    "note": transaction.licence_note,
                },
            ),
            hold_form=ReasonForm(),
            reject_form=ReasonForm(),
            release_form=ReasonForm(),
            approve_form=ApproveForm(),
            resolve_form=ResolveForm(),
            shipped_form=ShippedForm(initial={"shipped_on": timezone.localdate()}),
        )
    context.update(bound)
    context["bound_errors"] = [
        error
        for form in bound.values()
        if hasattr(form, "non_field_errors")
        for error in form.non_field_errors()
    ]
    return render(request, "trade/transaction/detail.html", context)


def _post_action(request, pk, action, *, success: str):
    """Run `action(transaction)` for a POST, turning ValidationError into a message."""
    return _run(request, transaction_get(organisation=request.organisation, pk=pk), action, success)


def _form_action(request, pk, form, action, *, success: str, form_name: str, **bound):
    """Validate `form`, then run `action(transaction, cleaned_data)` in a database transaction;
    the transaction is fetched once. On a form error or a service's refusal nothing is changed
    and the page is shown again with the form as typed and its errors (under `form_name`)."""
    transaction = transaction_get(organisation=request.organisation, pk=pk)
    if form.is_valid():
        try:
            with db_transaction.atomic():
                action(transaction, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if success:
                messages.success(request, success)
            return redirect(transaction)
    transaction = transaction_get(organisation=request.organisation, pk=pk)
    return _render_detail(request, transaction, **{form_name: form}, **bound)


def _run(request, transaction, action, success: str):
    try:
        with db_transaction.atomic():
            action(transaction)
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied:
        raise
    else:
        if success:
            messages.success(request, success)
    return redirect(transaction)


def _form_or_error(request, form) -> bool:
    if form.is_valid():
        return True
    messages.error(
        request,
        " ".join(
            f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
            for f, e in form.errors.items()
        ),
    )
    return False


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def line_add(request, pk):
    return _form_action(
        request,
        pk,
        LineForm(request.POST, organisation=request.organisation),
        lambda t, data: services.transaction_line_add(transaction=t, user=request.user, **data),
        success=_("Item added."),
        form_name="line_form",
    )


def _line(request, pk, line_pk) -> TransactionItem:
    return transaction_line_get(organisation=request.organisation, transaction_pk=pk, pk=line_pk)


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def line_update(request, pk, line_pk):
    """A line's quantity and value, changed in its row; refused, the row shows what was typed
    with the error (`line_update_pk` names the row)."""
    line = _line(request, pk, line_pk)
    form = LineUpdateForm(request.POST)
    if form.is_valid() and all(
        getattr(line, name) == value for name, value in form.cleaned_data.items()
    ):
        messages.info(request, _("Nothing changed."))  # no event, no new review
        return redirect(line.transaction)
    return _form_action(
        request,
        pk,
        form,
        lambda t, data: services.transaction_line_update(line=line, user=request.user, **data),
        success=_("Item changed."),
        form_name="line_update_form",
        line_update_pk=line.pk,
    )


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def line_remove(request, pk, line_pk):
    line = _line(request, pk, line_pk)
    return _post_action(
        request,
        pk,
        lambda t: services.transaction_line_remove(line=line, user=request.user),
        success=_("Item removed."),
    )


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def party_add(request, pk):
    return _form_action(
        request,
        pk,
        PartyLinkForm(request.POST, organisation=request.organisation),
        lambda t, data: services.transaction_party_add(transaction=t, user=request.user, **data),
        success=_("Party added."),
        form_name="party_form",
    )


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def party_remove(request, pk, link_pk):
    link = transaction_party_get(organisation=request.organisation, transaction_pk=pk, pk=link_pk)
    return _post_action(
        request,
        pk,
        lambda t: services.transaction_party_remove(link=link, user=request.user),
        success=_("Party removed."),
    )


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def euc_record(request, pk):
    return _form_action(
        request,
        pk,
        EucForm(request.POST),
        lambda t, data: services.transaction_euc_record(transaction=t, user=request.user, **data),
        success=_("End-user certificate recorded."),
        form_name="euc_form",
    )


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def document_upload(request, pk):
    form = DocumentForm(request.POST, request.FILES)
    transaction = transaction_get(organisation=request.organisation, pk=pk)
    if not transaction.is_editable:
        messages.error(request, _("A rejected transaction cannot be changed."))
        return redirect(transaction)
    if not _form_or_error(request, form):
        return redirect(transaction)

    def attach(t):
        document_attach(
            organisation=request.organisation,
            user=request.user,
            target=t,
            upload=form.cleaned_data["file"],
            document_type=form.cleaned_data["document_type"],
        )
        from trade.services.review import transaction_refresh

        transaction_refresh(transaction=t)

    return _run(request, transaction, attach, _("Document attached."))


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def licence_decide(request, pk):
    return _form_action(
        request,
        pk,
        LicenceDecisionForm(request.POST, organisation=request.organisation),
        lambda t, data: services.transaction_licence_decide(
            transaction=t, user=request.user, **data
        ),
        success=_("Licence decision recorded."),
        form_name="licence_form",
    )


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def red_flags_answer(request, pk):
    """The questionnaire saved at once; any refusal saves nothing and shows the page again with
    every answer and note as typed and the refusals."""
    transaction = transaction_get(organisation=request.organisation, pk=pk)
    form = RedFlagAnswersForm(request.POST)
    form.is_valid()
    flags = {str(flag.pk): flag for flag in review_context(transaction).red_flags}
    answers = {}
    for key, flag in flags.items():
        value = request.POST.get(f"answer-{key}", "")
        if value and value not in Answer.values:
            continue
        answers[flag] = (value, request.POST.get(f"note-{key}", "")[:2000])
    try:
        with db_transaction.atomic():
            errors = services.red_flags_answer_many(
                transaction=transaction, user=request.user, answers=answers
            )
            if errors:
                raise ValidationError(errors)  # undo the answers that were accepted
    except ValidationError as exc:
        for error in exc.messages:
            form.add_error(None, error)
        transaction = transaction_get(organisation=request.organisation, pk=pk)
        return _render_detail(request, transaction, flag_form=form)
    messages.success(request, _("Answers saved."))
    return redirect(transaction.get_absolute_url() + "#red-flags")


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def red_flag_resolve(request, pk, answer_pk):
    answer = red_flag_answer_get(organisation=request.organisation, transaction_pk=pk, pk=answer_pk)
    return _form_action(
        request,
        pk,
        ResolveForm(request.POST),
        lambda t, data: services.red_flag_resolve(
            answer=answer, user=request.user, justification=data["justification"]
        ),
        success=_("Red flag resolved."),
        form_name="resolve_form",
        resolve_answer_pk=answer.pk,
    )


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def screen_parties(request, pk):
    def screen(t):
        count = services.transaction_screen_parties(
            transaction=t, user=request.user, only_stale=False
        )
        messages.success(
            request,
            ngettext("%(count)d party screened.", "%(count)d parties screened.", count)
            % {"count": count},
        )

    return _post_action(request, pk, screen, success="")


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def submit(request, pk):
    return _post_action(
        request,
        pk,
        lambda t: services.transaction_submit(transaction=t, user=request.user),
        success=_("Submitted for review."),
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def approve(request, pk):
    return _form_action(
        request,
        pk,
        ApproveForm(request.POST),
        lambda t, data: services.transaction_approve(
            transaction=t, user=request.user, note=data.get("note", "")
        ),
        success=_("Approved. The evidence is frozen with the approval."),
        form_name="approve_form",
    )


def _reason_action(service, success, form_name):
    @require_POST
    @organisation_required(roles=roles.PROGRAMME_EDITORS)
    def view(request, pk):
        return _form_action(
            request,
            pk,
            ReasonForm(request.POST),
            lambda t, data: service(transaction=t, user=request.user, reason=data["reason"]),
            success=str(success),
            form_name=form_name,
        )

    return view


reject = _reason_action(services.transaction_reject, gettext_lazy("Rejected."), "reject_form")
hold = _reason_action(services.transaction_hold, gettext_lazy("Put on hold."), "hold_form")
release = _reason_action(
    services.transaction_release, gettext_lazy("Released from hold."), "release_form"
)


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def mark_shipped(request, pk):
    return _form_action(
        request,
        pk,
        ShippedForm(request.POST),
        lambda t, data: services.transaction_mark_shipped(
            transaction=t, user=request.user, shipped_on=data["shipped_on"]
        ),
        success=_("Shipment recorded."),
        form_name="shipped_form",
    )


@organisation_required(roles=roles.PROGRAMME_READERS)
def review_record_pdf(request, pk):
    """The printable review record: the checklist, the evidence, the decision trail."""
    transaction = transaction_get(organisation=request.organisation, pk=pk)
    ctx = review_context(transaction)
    language = translation.get_language() or "zh-hans"
    approval = approval_latest(transaction=transaction)
    checks = review_checklist(ctx)
    # An approval in force: the record shows the evidence frozen with it, and what came later
    # separately. Without one (in review, reopened), the review as it stands.
    current = approval if approval is not None and approval.superseded_at is None else None
    pdf = render_pdf(
        "pdf/transaction_review.html",
        {
            "frozen": approval_frozen_record(
                approval=current, checks=checks, red_flags=ctx.red_flags
            )
            if current
            else None,
            "after": after_approval(transaction=transaction, approval=current) if current else None,
            "title": _("Transaction review record %(ref)s") % {"ref": transaction.reference},
            "organisation": request.organisation,
            "transaction": transaction,
            "ctx": ctx,
            "checks": checks,
            "flag_rows": _answer_rows(ctx, False),
            "path_rows": path_rows(ctx),
            "approval": approval,
            "events": transaction.events.select_related("actor").order_by("created_at", "pk"),
            "documents": documents_for(transaction),
            "printed_at": timezone.now(),
            "printed_by": request.user,
        },
        language=language,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="review-{transaction.pk}.pdf"'
    return response


@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def transaction_import_view(request):
    if request.GET.get("template"):
        return template_response(
            stem="orders",
            columns=[
                "reference",
                "destination_country",
                "end_use",
                "item_name",
                "item_model",
                "quantity",
                "unit",
                "value",
                "currency",
                "buyer_name",
                "buyer_country",
            ],
            example=[
                "SO-0001",
                "DE",
                "机床改造 / machine retrofit",
                "伺服电机",
                "SM-80",
                "2",
                "pcs",
                "1000",
                "EUR",
                "Berlin Maschinenbau GmbH",
                "DE",
            ],
            file_format=request.GET["template"],
        )
    if request.method == "POST" and "token" in request.POST:
        return _transaction_import_confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            preview = transactions_preview(
                organisation=request.organisation, content=content, filename=upload.name
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            context["preview"] = preview
            if preview.is_valid:
                context["token"] = import_stash(
                    organisation=request.organisation,
                    user=request.user,
                    kind=TRANSACTION_IMPORT_KIND,
                    content=content,
                    filename=upload.name,
                    summary=preview.summary(),
                )
    return render(request, "trade/transaction/import.html", context)


def _transaction_import_confirm(request):
    """Import the previewed file, if it would still create what its preview said."""
    try:
        stashed = import_stash_get(
            token=request.POST["token"],
            organisation=request.organisation,
            user=request.user,
            kind=TRANSACTION_IMPORT_KIND,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("transactions:transaction_import")
    try:
        try:
            again = transactions_preview(
                organisation=request.organisation,
                content=stashed.content,
                filename=stashed.filename,
            ).summary()
        except ValidationError:
            again = None
        if again != stashed.summary:
            messages.error(
                request,
                _(
                    "The registers changed since the preview, so nothing was imported: upload "
                    "the file again to see what it would create now."
                ),
            )
            return redirect("transactions:transaction_import")
        try:
            outcome = transactions_import(
                organisation=request.organisation,
                user=request.user,
                content=stashed.content,
                filename=stashed.filename,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("transactions:transaction_import")
    finally:
        import_stash_discard(stashed=stashed)
    messages.success(
        request,
        _(
            "%(count)d transactions imported as drafts "
            "(%(parties)d new parties, %(items)d new items)."
        )
        % {
            "count": len(outcome.transactions),
            "parties": outcome.parties_created,
            "items": outcome.items_created,
        },
    )
    return redirect("transactions:queue")


# --- the licensing decision path of a line ------------------------------------------------------


def _path_line(request, pk, line_pk) -> TransactionItem:
    return transaction_line_get(
        organisation=request.organisation,
        transaction_pk=pk,
        pk=line_pk,
        related=("item__current_classification",),
    )


def _render_path(request, line, form=None, status=200):
    transaction = line.transaction
    reference = current_licensing_reference()
    ctx = review_context(transaction)
    line = next((candidate for candidate in ctx.lines if candidate.pk == line.pk), line)
    path = path_of(line)
    role = request.membership.role
    can_walk = role in roles.TRANSACTION_DRAFTERS and transaction.is_editable
    if form is None and can_walk:
        initial = dict(path.answers) if path else {}
        if path:
            initial["voucher_case"] = path.voucher_case
        form = LicencePathForm(
            reference=reference,
            destination=transaction.destination_country.code,
            initial=initial,
        )
    context = {
        "transaction": transaction,
        "line": line,
        "path": path,
        "stale": path is not None and path.fingerprint != ctx_fingerprint(ctx, line),
        "findings": [finding_text(f) for f in path.findings] if path else [],
        "answer_rows": _path_answer_rows(reference, path) if path else [],
        "voucher_case": reference.voucher_case(path.voucher_case) if path else None,
        "control_list_matches": control_list_matches(ctx),
        "form": form,
        "can_walk": can_walk,
        "can_confirm": role in roles.PROGRAMME_EDITORS and transaction.is_editable,
        "reference": reference,
    }
    return render(request, "trade/transaction/licence_path.html", context, status=status)


def _path_answer_rows(reference, path) -> list:
    return [
        {
            "question": reference.question(code).text if reference.question(code) else code,
            "answer": PATH_ANSWER_LABELS.get(value, value),
        }
        for code, value in path.answers.items()
    ]


@organisation_required(roles=roles.ALL_MEMBERS)
def licence_path(request, pk, line_pk):
    """The licensing decision path of one line: the questions, or the outcome walked."""
    return _render_path(request, _path_line(request, pk, line_pk))


@require_POST
@organisation_required(roles=roles.TRANSACTION_DRAFTERS)
def licence_path_walk(request, pk, line_pk):
    line = _path_line(request, pk, line_pk)
    form = LicencePathForm(
        request.POST,
        reference=current_licensing_reference(),
        destination=line.transaction.destination_country.code,
    )
    if not form.is_valid():
        return _render_path(request, line, form)
    try:
        with db_transaction.atomic():
            path = licence_path_walk_service(
                line=line,
                user=request.user,
                answers=form.answers(),
                voucher_case=form.cleaned_data.get("voucher_case", ""),
            )
    except ValidationError as exc:
        _apply_errors(form, exc)
        return _render_path(request, line, form)
    messages.success(
        request,
        _("Path recorded: %(outcome)s.") % {"outcome": path.get_outcome_display()},
    )
    return redirect(path.get_absolute_url())


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def licence_path_confirm(request, pk, line_pk):
    line = _path_line(request, pk, line_pk)
    path = path_of(line)
    if path is None:
        messages.error(request, _("Walk the path first."))
        return redirect("transactions:licence_path", pk, line_pk)
    return _run(
        request,
        line.transaction,
        lambda t: licence_path_confirm_service(path=path, user=request.user),
        _("Path confirmed."),
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def voucher_lapsed(request, pk):
    """A condition of an export voucher no longer holds: stop and report (REGS Art. 19(3))."""
    from trade.models.licence import EXPIRY_WARNING_DAYS
    from trade.selectors_transactions import licence_get
    from trade.services.licence import licence_balance, voucher_condition_lapsed

    licence = licence_get(organisation=request.organisation, pk=pk)
    reason = request.POST.get("reason", "")[:2000]
    try:
        incident = voucher_condition_lapsed(licence=licence, user=request.user, reason=reason)
    except ValidationError as exc:
        licence.refresh_from_db()
        context = {
            "licence": licence,
            "object": licence,
            "balance": licence_balance(licence),
            "items": licence.items.all(),
            "end_users": licence.end_users.all(),
            "drawdowns": licence.drawdowns.select_related("transaction", "drawn_by"),
            "can_edit": True,
            "warning_days": EXPIRY_WARNING_DAYS,
            "lapse_error": " ".join(exc.messages),
            "lapse_reason": reason,
        }
        return render(request, "trade/licence/detail.html", context)
    messages.warning(
        request,
        _("Export voucher suspended. Report to MOFCOM through incident %(ref)s.")
        % {"ref": incident.reference},
    )
    return redirect(incident)


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def duty_complete(request, pk, duty_pk):
    """Record a post-shipment report (REGS Art. 18(1)) as made, with its evidence."""
    duty = post_shipment_duty_get(organisation=request.organisation, transaction_pk=pk, pk=duty_pk)
    return _form_action(
        request,
        pk,
        DutyForm(request.POST),
        lambda t, data: post_shipment_duty_complete(
            duty=duty, user=request.user, evidence_note=data["evidence_note"]
        ),
        success=_("Report recorded."),
        form_name="duty_form",
        duty_pk=duty.pk,
    )
