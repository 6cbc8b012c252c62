"""The licence register, and a lapsed condition of an export voucher."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.permissions import organisation_required
from core.forms import add_service_errors
from core.lists import ScopedListView
from trade.forms_transactions import LicenceForm
from trade.models import Licence
from trade.models.licence import EXPIRY_WARNING_DAYS
from trade.selectors_transactions import licence_get, licence_list
from trade.services.licence import licence_balance, licence_save, voucher_condition_lapsed


class LicenceListView(ScopedListView):
    model = Licence
    roles = roles.PROGRAMME_READERS
    template_name = "trade/licence/list.html"
    search_fields = ("number", "conditions")
    export_filename = "licences"
    export_columns = (
        (gettext_lazy("Licence number"), "number"),
        (gettext_lazy("Kind"), "get_kind_display"),
        (gettext_lazy("Valid from"), "valid_from"),
        (gettext_lazy("Valid until"), "valid_until"),
        (gettext_lazy("Quantity limit"), "quantity_limit"),
        (gettext_lazy("Value limit"), "value_limit"),
        (gettext_lazy("Currency"), "currency"),
    )

    def get_base_queryset(self):
        return licence_list(organisation=self.organisation)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            can_edit=self.membership.role in roles.PROGRAMME_EDITORS,
            warning_days=EXPIRY_WARNING_DAYS,
        )


def _licence_form_view(request, licence=None):
    form = LicenceForm(request.POST or None, instance=licence, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        items, end_users = data.pop("items"), data.pop("end_users")
        if licence is not None:
            licence = licence_get(organisation=request.organisation, pk=licence.pk)
        try:
            licence = licence_save(
                organisation=request.organisation,
                user=request.user,
                licence=licence,
                items=items,
                end_users=end_users,
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Licence saved."))
            return redirect(licence)
    return render(request, "trade/licence/form.html", {"form": form, "licence": licence})


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def licence_create(request):
    return _licence_form_view(request)


@organisation_required(roles=roles.PROGRAMME_EDITORS)
def licence_edit(request, pk):
    return _licence_form_view(request, licence_get(organisation=request.organisation, pk=pk))


@organisation_required(roles=roles.PROGRAMME_READERS)
def licence_detail(request, pk):
    licence = licence_get(organisation=request.organisation, pk=pk)
    return render(
        request,
        "trade/licence/detail.html",
        {
            "licence": licence,
            "object": licence,
            "balance": licence_balance(licence),
            "items": licence.items.all(),
            "end_users": licence.end_users.all(),
            "drawdowns": licence.drawdowns.select_related("transaction", "drawn_by").order_by(
                "-drawn_at"
            ),
            "can_edit": request.membership.role in roles.PROGRAMME_EDITORS,
            "warning_days": EXPIRY_WARNING_DAYS,
        },
    )


@require_POST
@organisation_required(roles=roles.PROGRAMME_EDITORS)
def voucher_lapsed(request, pk):
    """A condition of an export voucher no longer holds: stop and report (REGS Art. 19(3))."""
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
