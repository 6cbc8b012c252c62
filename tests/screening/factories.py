import factory
from factory.django import DjangoModelFactory

from screening.adapters import EntityRecord
from screening.models import ScreeningList
from screening.services.lists import list_entity_save


class ScreeningListFactory(DjangoModelFactory):
    class Meta:
        model = ScreeningList
        django_get_or_create = ["organisation", "code"]

    organisation = None
    code = factory.Sequence(lambda n: f"TEST-LIST-{n}")
    name_zh = factory.Sequence(lambda n: f"测试名单{n}")
    name_en = factory.Sequence(lambda n: f"Test list {n}")


def add_entity(
    screening_list, entity_id, name, *, aliases=(), countries=(), entity_type="entity", **extra
):
    """Put one entity in the list (a new version), as a compliance manager would by hand."""
    record = EntityRecord(
        entity_id=entity_id,
        name=name,
        entity_type=entity_type,
        aliases=[{"text": alias, "weak": False} for alias in aliases],
        countries=list(countries),
        **extra,
    )
    return list_entity_save(screening_list=screening_list, record=record, user=None).version
