"""The ERP integration API for transactions: push an order, read back the review decision."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_auth import ApiTokenAuthentication
from accounts.api_permissions import MemberHasRole
from accounts.roles import ALL_MEMBERS, TRANSACTION_DRAFTERS
from trade.models import PartyRole, Transaction
from trade.selectors_transactions import approval_current, transaction_by_reference
from trade.services.review import review_checklist, review_context
from trade.services.transaction_import import transaction_receive

MAX_LINES = 200
MAX_PARTIES = 30


def _country(value):
    value = (value or "").upper()
    if value and value not in countries:
        raise serializers.ValidationError(_("Unknown ISO 3166 alpha-2 country code."))
    return value


class PartyInSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.values)
    reference = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("The party's number in your ERP (the register's customer number)."),
    )
    name = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Needed when the party is not in the register yet."),
    )
    name_latin = serializers.CharField(max_length=300, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def validate_country(self, value):
        return _country(value)

    def validate(self, attrs):
        if not attrs.get("reference") and not attrs.get("name", "").strip():
            raise serializers.ValidationError(_("Give the party's number or its name."))
        return attrs


class ItemInSerializer(serializers.Serializer):
    item_reference = serializers.CharField(max_length=64, required=False, allow_blank=True)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    model = serializers.CharField(max_length=120, required=False, allow_blank=True)
    hs_code = serializers.CharField(max_length=12, required=False, allow_blank=True)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, min_value=Decimal("0.001"))
    unit = serializers.CharField(max_length=16, required=False, default="pcs")
    value = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=Decimal(0))
    currency = serializers.RegexField(r"^[A-Za-z]{3}$", required=False, default="USD")

    def validate(self, attrs):
        if not attrs.get("item_reference") and not attrs.get("name", "").strip():
            raise serializers.ValidationError(_("Give the item number or the product name."))
        return attrs


class TransactionInSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=64)
    kind = serializers.ChoiceField(choices=Transaction.Kind.values, default=Transaction.Kind.ORDER)
    is_intangible = serializers.BooleanField(default=False)
    stage = serializers.ChoiceField(
        choices=Transaction.Stage.values, default=Transaction.Stage.CONTRACT
    )
    order_date = serializers.DateField(required=False, allow_null=True)
    planned_shipment_date = serializers.DateField(required=False, allow_null=True)
    destination_country = serializers.CharField(max_length=2)
    transit_countries = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False, max_length=10
    )
    end_use = serializers.CharField(max_length=5000)
    customer_reference = serializers.CharField(max_length=64, required=False, allow_blank=True)
    parties = PartyInSerializer(many=True, allow_empty=False, max_length=MAX_PARTIES)
    items = ItemInSerializer(many=True, allow_empty=False, max_length=MAX_LINES)
    submit = serializers.BooleanField(
        default=True, help_text=gettext_lazy("Send straight to review.")
    )

    def validate_destination_country(self, value):
        value = _country(value)
        if not value:
            raise serializers.ValidationError(_("The destination is required."))
        return value

    def validate_transit_countries(self, value):
        return [_country(c) for c in value if c]


class CheckOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    passed = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    url = serializers.URLField()
    state = serializers.ChoiceField(
        choices=["draft", "in_review", "approved", "on_hold", "rejected"]
    )
    state_label = serializers.CharField()
    reason = serializers.CharField(
        help_text=gettext_lazy("Why it is on hold or rejected, or the approval note.")
    )
    may_ship = serializers.BooleanField(help_text=gettext_lazy("Approved and not on hold."))
    approved_at = serializers.DateTimeField(allow_null=True)
    approved_by = serializers.CharField(allow_blank=True)
    licence_decision = serializers.CharField(allow_blank=True)
    licence_number = serializers.CharField(allow_blank=True)
    checks = CheckOutSerializer(many=True)


def decision_data(request, transaction: Transaction) -> dict:
    ctx = review_context(transaction)
    approval = approval_current(transaction=transaction)
    return {
        "id": transaction.pk,
        "reference": transaction.reference,
        "url": request.build_absolute_uri(transaction.get_absolute_url()),
        "state": transaction.state,
        "state_label": transaction.get_state_display(),
        "reason": transaction.state_reason_text,
        "may_ship": transaction.state == "approved",
        "approved_at": approval.approved_at if approval else None,
        "approved_by": str(approval.approved_by) if approval else "",
        "licence_decision": transaction.licence_decision,
        "licence_number": transaction.licence.number if transaction.licence_id else "",
        "checks": [
            {
                "code": c.code,
                "number": c.number,
                "title": c.title,
                "passed": c.passed,
                "problems": [p.message for p in c.blockers],
            }
            for c in review_checklist(ctx)
        ],
    }


class TransactionCreateView(APIView):
    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [MemberHasRole]
    roles = TRANSACTION_DRAFTERS

    @extend_schema(
        request=TransactionInSerializer,
        responses={201: DecisionSerializer},
        summary="Push an export order, contract or technology transfer for review",
        description=(
            "Creates the transaction with its parties and items (parties and items unknown to the "
            "workbench are added to the party register and item master; new parties are screened "
            "at once) and, unless submit is false, sends it to review. A reference already used "
            "answers 409. Read the decision back with GET /api/v1/transactions/{reference}."
        ),
        examples=[
            OpenApiExample(
                "An order to Germany",
                request_only=True,
                value={
                    "reference": "SO-2025-0412",
                    "kind": "order",
                    "stage": "contract",
                    "destination_country": "DE",
                    "end_use": "Spindle position feedback in machine tools built by the end user",
                    "parties": [
                        {"role": "buyer", "reference": "C-1001"},
                        {
                            "role": "end_user",
                            "name": "Novatek Automation GmbH",
                            "country": "DE",
                            "address": "Stuttgart",
                        },
                    ],
                    "items": [
                        {
                            "item_reference": "ENC-R58",
                            "quantity": "20",
                            "value": "9400.00",
                            "currency": "EUR",
                        }
                    ],
                },
            )
        ],
    )
    def post(self, request):
        serializer = TransactionInSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        django_request = request._request
        data = dict(serializer.validated_data)
        submit = data.pop("submit")
        organisation = django_request.organisation
        existing = transaction_by_reference(organisation=organisation, reference=data["reference"])
        if existing is not None:
            return Response(
                {"reference": [_("A transaction with this reference exists.")], "id": existing.pk},
                status=status.HTTP_409_CONFLICT,
            )
        try:
            transaction = transaction_receive(
                organisation=organisation, user=request.user, data=data, submit=submit
            )
        except ValidationError as exc:
            body = (
                exc.message_dict
                if hasattr(exc, "error_dict")
                else {"non_field_errors": exc.messages}
            )
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        except PermissionDenied:
            return Response(
                {"detail": _("This token's user may not do this.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        except IntegrityError:
            return Response(
                {"reference": [_("A transaction with this reference exists.")]},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(
            DecisionSerializer(decision_data(request, transaction)).data,
            status=status.HTTP_201_CREATED,
        )


class TransactionDecisionView(APIView):
    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [MemberHasRole]
    roles = ALL_MEMBERS

    @extend_schema(
        responses={200: DecisionSerializer},
        summary="Read the review state and decision of a transaction",
        description="By your reference. may_ship is true only for an approved transaction.",
    )
    def get(self, request, reference):
        transaction = transaction_by_reference(
            organisation=request._request.organisation, reference=reference
        )
        if transaction is None:
            raise Http404
        return Response(DecisionSerializer(decision_data(request, transaction)).data)
