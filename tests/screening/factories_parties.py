import factory
from factory.django import DjangoModelFactory

from screening.models import Party, PartyType


class PartyFactory(DjangoModelFactory):
    class Meta:
        model = Party

    organisation = None
    name = factory.Sequence(lambda n: f"Customer {n} GmbH")
    party_type = PartyType.CUSTOMER
    country = "DE"
    address = factory.Sequence(lambda n: f"Hauptstraße {n}, Berlin")
