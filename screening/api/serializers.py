from django.utils.translation import gettext_lazy as _
from django_countries import countries
from rest_framework import serializers

from screening.services.screening import MAX_ADDRESS_LENGTH, MAX_NAME_LENGTH

MAX_PARTIES = 100


class PartyQuerySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=MAX_NAME_LENGTH, help_text=_("The name in any script."))
    country = serializers.CharField(
        max_length=2,
        min_length=2,
        required=False,
        allow_blank=True,
        help_text=_("ISO 3166 alpha-2, e.g. CN"),
    )
    address = serializers.CharField(max_length=MAX_ADDRESS_LENGTH, required=False, allow_blank=True)
    reference = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text=_("Your own id, echoed back.")
    )

    def validate_name(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("Enter a name to screen."))
        return value

    def validate_country(self, value):
        value = (value or "").upper()
        if value and value not in countries:
            raise serializers.ValidationError(_("Unknown ISO 3166 alpha-2 country code."))
        return value


class ScreenRequestSerializer(serializers.Serializer):
    parties = PartyQuerySerializer(many=True, allow_empty=False, max_length=MAX_PARTIES)


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField(
        help_text=_("The reason as a sentence, in the request's language.")
    )
    params = serializers.DictField()
    effect = serializers.FloatField()


class HitSerializer(serializers.Serializer):
    list_code = serializers.CharField()
    entity_id = serializers.CharField()
    matched_name = serializers.CharField()
    score = serializers.FloatField()
    decision = serializers.ChoiceField(choices=["clear", "potential_match", "match"])
    reasons = ReasonSerializer(many=True)
    previously_cleared = serializers.BooleanField(
        help_text=_("A compliance manager decided earlier that this is a false positive.")
    )


class PartyResultSerializer(serializers.Serializer):
    name = serializers.CharField()
    country = serializers.CharField()
    reference = serializers.CharField()
    decision = serializers.ChoiceField(choices=["clear", "potential_match", "match"])
    screening_id = serializers.IntegerField()
    screening_url = serializers.CharField()
    hits = HitSerializer(many=True)


class ScreenResponseSerializer(serializers.Serializer):
    results = PartyResultSerializer(many=True)
