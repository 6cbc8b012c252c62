from core.jobs import job_enqueue
from tests.routes import PUBLIC, Route, expect, own_record


def _job(world):
    job = job_enqueue(
        kind="tests.echo", organisation=world.organisation, created_by=world.users["manager"]
    )
    return [job.pk]


def _failed_job(world):
    job = job_enqueue(
        kind="tests.echo",
        organisation=world.organisation,
        created_by=world.users["manager"],
        params={"fail": True},
    )
    return [job.pk]


# A job is visible to its creator and to the roles of its kind (programme readers for the echo
# kind); staff who did not start it get 404, like the outsider.
JOB_VIEWERS = own_record(expect(staff=404))

ROUTES = [
    Route("healthz", PUBLIC),
    Route("core:job_detail", JOB_VIEWERS, args=_job),
    Route("core:job_status", JOB_VIEWERS, args=_job),
    Route(
        "core:job_retry",
        {**JOB_VIEWERS, "manager": 302, "auditor": 302, "executive": 302},
        args=_failed_job,
        method="post",
    ),
]
