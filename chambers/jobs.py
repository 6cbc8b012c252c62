from django.utils.translation import gettext_lazy as _

from accounts import roles
from core.jobs import job_handler

from .models import Publication
from .services import DELIVERY_JOB, publication_deliver


@job_handler(
    DELIVERY_JOB, title=_("Send a regulatory update to the members"), roles=roles.PROGRAMME_EDITORS
)
def publication_deliver_job(job, progress):
    publication = Publication.objects.get(pk=job.params["publication_id"])
    created = publication_deliver(publication=publication, progress=progress)
    return {"result": {"notifications": created}, "result_url": publication.get_absolute_url()}
