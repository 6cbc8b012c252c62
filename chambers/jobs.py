from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import roles
from core.jobs import job_handler

from .models import ListUpdate, Publication
from .services import DELIVERY_JOB, LIST_UPDATE_DELIVERY_JOB, members_notify, publication_deliver


@job_handler(
    DELIVERY_JOB, title=_("Send a regulatory update to the members"), roles=roles.PROGRAMME_EDITORS
)
def publication_deliver_job(job, progress):
    publication = Publication.objects.get(pk=job.params["publication_id"])
    created = publication_deliver(publication=publication, progress=progress)
    return {"result": {"notifications": created}, "result_url": publication.get_absolute_url()}


@job_handler(
    LIST_UPDATE_DELIVERY_JOB,
    title=_("Tell the members about a screening list update"),
    roles=roles.PROGRAMME_EDITORS,
)
def list_update_deliver_job(job, progress):
    update = ListUpdate.objects.get(pk=job.params["list_update_id"])
    created = members_notify(chamber_organisation=update.organisation, progress=progress)
    return {"result": {"notifications": created}, "result_url": reverse("chambers:list_updates")}
