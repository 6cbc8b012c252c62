import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import organisation_required

from .comments import comment_add
from .forms import CommentForm, add_service_errors
from .jobs import job_kind, job_retry
from .models import Job
from .registry import record_get
from .selectors import job_get_for_member

logger = logging.getLogger(__name__)


@require_GET
@never_cache
def healthz(request):
    """Liveness and readiness for docker-compose and load balancers: 200 only when the
    database answers and the broker is reachable."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # report, never raise: this endpoint must always answer
        logger.warning("healthz database check failed: %s", exc)
        checks["database"] = "error"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["broker"] = "ok"
        except Exception as exc:  # same as above
            logger.warning("healthz broker check failed: %s", exc)
            checks["broker"] = "error"
    else:
        checks["broker"] = "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "filesystem"
    healthy = all(value != "error" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def _job_payload(job: Job) -> dict:
    return {
        "id": str(job.pk),
        "status": job.status,
        "status_display": job.get_status_display(),
        "progress": job.progress,
        "step": job.step_display,
        "error": job.error_display,
        "result_url": job.result_url if job.status == Job.Status.SUCCEEDED else "",
        "finished": job.is_finished,
    }


@organisation_required()
def job_detail(request, job_id):
    job = job_get_for_member(membership=request.membership, job_id=job_id)
    return render(
        request,
        "core/job_detail.html",
        {"job": job, "kind": job_kind(job.kind), "payload": _job_payload(job)},
    )


@organisation_required()
@never_cache
def job_status(request, job_id):
    job = job_get_for_member(membership=request.membership, job_id=job_id)
    return JsonResponse(_job_payload(job))


@require_POST
@organisation_required()
def job_retry_view(request, job_id):
    job = job_get_for_member(membership=request.membership, job_id=job_id)
    if job.status != Job.Status.FAILED:
        messages.error(request, _("Only a failed job can be retried."))
    else:
        job_retry(job=job)
        messages.success(request, _("The job has been queued again."))
    return redirect(job)


@require_POST
@organisation_required()
def comment_add_view(request, label, pk):
    target = record_get(label=label, pk=pk, membership=request.membership)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment_add(
                membership=request.membership, target=target, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(f"{target.get_absolute_url()}#comments")
    # Shown again on a page of its own with the comment as typed and what is wrong with it.
    return render(
        request,
        "core/record_form_page.html",
        {
            "form": form,
            "target": target,
            "back_url": f"{target.get_absolute_url()}#comments",
            "action": request.path,
            "heading": _("Add a comment"),
            "submit_label": _("Comment"),
        },
    )
