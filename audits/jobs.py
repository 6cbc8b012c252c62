"""Background jobs of the audits app: checklist generation and the report PDF."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import roles as role_sets
from core.jobs import job_enqueue, job_handler

from .models import Audit
from .services.checklist import checklist_generate
from .services.report import report_generate


@job_handler(
    "audits.checklist", title=_("Audit checklist generation"), roles=role_sets.PROGRAMME_READERS
)
def checklist_job(job, progress):
    audit = Audit.objects.get(pk=job.params["audit_id"], organisation=job.organisation)
    counts = checklist_generate(
        audit=audit, regenerate=bool(job.params.get("regenerate")), progress=progress
    )
    return {"result": counts, "result_url": reverse("audits:checklist", args=[audit.pk])}


@job_handler(
    "audits.report",
    title=_("Audit report"),
    queue="documents",
    roles=role_sets.PROGRAMME_READERS,
)
def report_job(job, progress):
    audit = Audit.objects.get(pk=job.params["audit_id"], organisation=job.organisation)
    report = report_generate(
        audit=audit, user=job.created_by, language=job.params["language"], progress=progress
    )
    return {
        "result": {"report_id": report.pk, "version": report.version, "sha256": report.sha256},
        "result_url": reverse("audits:report_download", args=[report.pk]),
    }


def checklist_job_start(*, audit: Audit, user, regenerate: bool = False):
    """Enqueue the generation and remember the job on the audit, so its page shows progress."""
    from django.core.exceptions import ValidationError

    from .models import AuditFrozenError

    if audit.is_signed_off:
        raise AuditFrozenError
    if audit.generation_job_id and not audit.generation_job.is_finished:
        raise ValidationError(_("The checklist is being generated already."))
    job = job_enqueue(
        kind="audits.checklist",
        organisation=audit.organisation,
        created_by=user,
        params={"audit_id": audit.pk, "regenerate": regenerate},
    )
    Audit.objects.filter(pk=audit.pk).update(generation_job=job)
    return job


def report_job_start(*, audit: Audit, user, language: str):
    from django.core.exceptions import ValidationError

    if language not in ("zh-hans", "en"):
        raise ValidationError(_("Choose Chinese or English."))
    return job_enqueue(
        kind="audits.report",
        organisation=audit.organisation,
        created_by=user,
        params={"audit_id": audit.pk, "language": language},
    )
