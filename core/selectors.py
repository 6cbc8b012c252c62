from django.db.models import QuerySet
from django.http import Http404

from .jobs import job_kind
from .models import Job


def job_get_for_member(*, membership, job_id) -> Job:
    """The job, if it belongs to the member's organisation and the member may see its kind."""
    job = Job.objects.filter(pk=job_id, organisation=membership.organisation).first()
    if job is None:
        raise Http404
    if job.created_by_id != membership.user_id and membership.role not in job_kind(job.kind).roles:
        raise Http404
    return job


def jobs_recent(*, organisation, user, limit: int = 5) -> QuerySet[Job]:
    """The user's latest jobs in the organisation, newest first."""
    return Job.objects.filter(organisation=organisation, created_by=user).order_by("-created_at")[
        :limit
    ]
