from factory.django import DjangoModelFactory

from core.models import Job


class JobFactory(DjangoModelFactory):
    class Meta:
        model = Job

    kind = "tests.echo"
