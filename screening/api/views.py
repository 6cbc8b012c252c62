"""The ERP integration API: screen parties, with the screening stored like any other."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_auth import ApiTokenAuthentication
from accounts.api_permissions import MemberHasRole
from accounts.roles import SCREENERS
from screening.models import Screening
from screening.reasons import reason_text
from screening.services.index import ScreeningNotReady
from screening.services.screening import (
    PartyQuery,
    hits_notify,
    new_alert_hits_many,
    screening_hits,
    screenings_run,
)

from .serializers import ScreenRequestSerializer, ScreenResponseSerializer


class ScreenView(APIView):
    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [MemberHasRole]
    roles = SCREENERS

    @extend_schema(
        request=ScreenRequestSerializer,
        responses={200: ScreenResponseSerializer},
        summary="Screen parties against the restricted-party lists",
        description=(
            "Screens each party (name in any script, optional ISO country and address) against "
            "the current versions of the public lists and your organisation's own lists. Every "
            "party's screening is stored and appears in the screening history. At most 100 "
            "parties per request."
        ),
        examples=[
            OpenApiExample(
                "Two parties",
                request_only=True,
                value={
                    "parties": [
                        {"name": "华为技术有限公司", "country": "CN"},
                        {
                            "name": "Novatek Automation GmbH",
                            "country": "DE",
                            "address": "Stuttgart",
                        },
                    ]
                },
            )
        ],
    )
    def post(self, request):
        serializer = ScreenRequestSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        organisation = request._request.organisation
        parties = serializer.validated_data["parties"]
        try:
            # One batch: the lists are read once, every screening stored in one transaction.
            screenings = screenings_run(
                organisation=organisation,
                queries=[
                    PartyQuery(
                        names=[party["name"]],
                        country=party.get("country", ""),
                        address=party.get("address", ""),
                    )
                    for party in parties
                ],
                source=Screening.Source.API,
                user=request.user,
                api_token=request.auth,
            )
        except ScreeningNotReady as exc:
            # A batch uses the same lists for every party: none is screened.
            return Response(
                {"detail": exc.messages[0]},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "60"},
            )
        new_hits = new_alert_hits_many(screenings)
        results = [
            {
                "name": party["name"],
                "country": screening.query_country,
                "reference": party.get("reference", ""),
                "decision": screening.decision,
                "screening_id": screening.pk,
                "screening_url": request.build_absolute_uri(screening.get_absolute_url()),
                "hits": [
                    {
                        "list_code": hit.list_code,
                        "entity_id": hit.entity_key,
                        "matched_name": hit.matched_name,
                        "score": hit.score,
                        "decision": hit.decision,
                        "reasons": [{**r, "text": reason_text(r)} for r in hit.reasons],
                        "previously_cleared": hit.remembered_id is not None,
                    }
                    for hit in screening_hits(screening)
                ],
            }
            for party, screening in zip(parties, screenings, strict=True)
        ]
        hits_notify(
            organisation=organisation, hits=new_hits, context_line=_("Screened through the API.")
        )
        return Response(ScreenResponseSerializer({"results": results}).data)
