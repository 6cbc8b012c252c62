"""Benchmark of audit checklist generation (audits.services.checklist.checklist_generate).

Builds, in a throw-away test database, an organisation with a large history of transactions
(bulk_create: creation events, approvals, red flags answered yes, held ones) and a checklist
template of 500 questions, then generates an audit checklist with 200 sampled transactions
(500 programme items + 1,000 transaction items) and prints the time and the number of queries.
It runs again with a history ten times larger: the query count must not change, and the time
must stay under 2 seconds.

    .venv/bin/python bench/audit_checklist_bench.py [--history 2000] [--sample 200] [--questions 500]
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

LIMIT_SECONDS = 2.0


def build_world(questions: int):
    from accounts.models import Membership, Organisation, User
    from accounts.roles import Role
    from audits.models import TemplateQuestion
    from audits.services.templates import template_copy, template_standard_ensure
    from reference.models import Element
    from reference.services import reference_framework_load

    framework = reference_framework_load()
    organisation = Organisation.objects.create(slug="bench", name_zh="基准测试有限公司")
    users = {}
    for name, role in (
        ("staff", Role.STAFF),
        ("manager", Role.COMPLIANCE_MANAGER),
        ("auditor", Role.AUDITOR),
        ("auditor2", Role.AUDITOR),
    ):
        users[name] = User.objects.create_user(f"{name}@bench.test", "x")
        Membership.objects.create(user=users[name], organisation=organisation, role=role)
    template = template_copy(
        organisation=organisation,
        user=users["auditor"],
        source=template_standard_ensure(framework=framework),
        name_zh="基准清单",
    )
    elements = list(Element.objects.filter(framework=framework).order_by("order"))
    have = template.questions.count()
    TemplateQuestion.objects.bulk_create(
        [
            TemplateQuestion(
                template=template,
                ref_id=f"ORG-{n:04d}",
                element=elements[n % len(elements)],
                position=1000 + n,
                text_zh=f"补充审计问题 {n}",
                text_en=f"Additional audit question {n}",
            )
            for n in range(questions - have)
        ]
    )
    return organisation, users, template


def add_history(organisation, users, count: int, offset: int) -> None:
    from reference.models import RedFlag
    from trade.models import Approval, RedFlagAnswer, Transaction, TransactionEvent

    transactions = Transaction.objects.bulk_create(
        [
            Transaction(
                organisation=organisation,
                reference=f"SO-{offset + n:07d}",
                destination_country="DE",
                end_use="CNC machine tools",
                # A fixed number of held orders: the risk-based part of the sample stays the
                # same size, so both runs sample the same number of transactions.
                state="on_hold" if offset == 0 and n < 20 else "approved",
                created_by=users["staff"],
            )
            for n in range(count)
        ],
        batch_size=900,
    )
    TransactionEvent.objects.bulk_create(
        [
            TransactionEvent(
                organisation=organisation, transaction=t, kind="created", actor=users["staff"]
            )
            for t in transactions
        ],
        batch_size=900,
    )
    Approval.objects.bulk_create(
        [
            Approval(organisation=organisation, transaction=t, approved_by=users["manager"])
            for t in transactions
            if t.state == "approved"
        ],
        batch_size=900,
    )
    flag = RedFlag.objects.first()
    RedFlagAnswer.objects.bulk_create(
        [
            RedFlagAnswer(
                organisation=organisation,
                transaction=t,
                red_flag=flag,
                answer="yes",
                answered_by=users["staff"],
            )
            for t in (transactions[20:30] if offset == 0 else [])
        ]
    )


def measure(organisation, users, template, sample: int, history: int):
    from audits.services.audits import audit_create
    from audits.services.checklist import checklist_generate
    from audits.services.checklist_sample import transaction_sample

    today = timezone.localdate()
    audit = audit_create(
        organisation=organisation,
        user=users["auditor"],
        title_zh="基准审计",
        elements=[f"E{n}" for n in range(1, 10)],
        period_start=today - datetime.timedelta(days=365),
        period_end=today,
        planned_start=today,
        planned_end=today,
        lead_auditor=users["auditor"],
        team=[users["auditor2"]],
        template=template,
        sample_size=sample,
    )
    risk_based = sum(
        1 for reasons in transaction_sample(audit=audit).reasons.values() if "random" not in reasons
    )
    audit.sample_size = max(0, sample - risk_based)
    audit.save()
    # A running worker has loaded its URL configuration and content types long before: do it
    # outside the clock.
    from django.contrib.contenttypes.models import ContentType

    from trade.models import Transaction

    reverse("audits:audit_list")
    ContentType.objects.get_for_model(Transaction)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            counts = profile.runcall(checklist_generate, audit=audit)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        else:
            counts = checklist_generate(audit=audit)
    seconds = time.perf_counter() - started
    sampled = audit.items.filter(kind="transaction").values("transaction").distinct().count()
    print(
        f"history {history:>7,} transactions | items {counts['created']:>5,} "
        f"(programme {counts['programme']}, transactions {counts['transaction']} for {sampled} "
        f"sampled) | {seconds:.2f} s | {len(queries.captured_queries)} queries"
    )
    return seconds, len(queries.captured_queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--history", type=int, default=2000)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--questions", type=int, default=500)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        organisation, users, template = build_world(args.questions)
        add_history(organisation, users, args.history, 0)
        first = measure(organisation, users, template, args.sample, args.history)
        add_history(organisation, users, args.history * 9, args.history)
        second = measure(organisation, users, template, args.sample, args.history * 10)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    ok = max(first[0], second[0]) <= LIMIT_SECONDS and first[1] == second[1]
    print(
        f"{'OK' if ok else 'FAILED'}: at most {LIMIT_SECONDS:.0f} s, and the same number of "
        "queries whatever the size of the history"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
