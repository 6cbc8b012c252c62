"""What the chapters share: a choice's label and a country's name, both translated when the
renderer chooses the language."""

from django.utils.functional import lazy

# A country's name in the language the manual is printed in (django-countries translates on
# access, so the lookup waits until the renderer chooses the language).
country_name = lazy(lambda country: str(country.name), str)


def choice_label(obj, name):
    value = getattr(obj, name)
    return dict(type(obj)._meta.get_field(name).flatchoices).get(value, value)
