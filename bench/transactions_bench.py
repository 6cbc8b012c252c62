"""Transaction review benchmark: the review queue and a transaction page with 50,000 transactions
and 200,000 parties in the database, measured through the Django test client.

    .venv/bin/python bench/transactions_bench.py [--transactions 50000] [--parties 200000]
                                                 [--requests 100] [--keep]

Builds its own SQLite file under var/ (bulk_create; a couple of minutes), never the app's
database, and prints: build time, queries per page (which must not depend on the row counts) and
p50/p95 latency per page. Target: p95 <= 150 ms.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_FILE = ROOT / "var" / "bench-transactions.sqlite3"


def _setup(args):
    DB_FILE.parent.mkdir(exist_ok=True)
    if DB_FILE.exists() and not args.keep:
        DB_FILE.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{DB_FILE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_HTTPS", "false")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)


def _build(args):
    from decimal import Decimal

    from django.db import transaction as db_transaction

    from accounts.models import Membership, Organisation, User
    from accounts.roles import Role
    from screening.models import Party
    from trade.models import Item, Transaction, TransactionItem, TransactionParty
    from trade.services.transaction import (
        transaction_create,
        transaction_line_add,
        transaction_party_add,
    )

    organisation, created = Organisation.objects.get_or_create(
        slug="bench", defaults={"name_zh": "基准测试企业"}
    )
    manager, _ = User.objects.get_or_create(email="manager@bench.test")
    staff, _ = User.objects.get_or_create(email="staff@bench.test")
    Membership.objects.get_or_create(
        user=manager, organisation=organisation, defaults={"role": Role.COMPLIANCE_MANAGER}
    )
    Membership.objects.get_or_create(
        user=staff, organisation=organisation, defaults={"role": Role.STAFF}
    )
    if (
        not created
        and Transaction.objects.filter(organisation=organisation).count() >= args.transactions
    ):
        return (
            organisation,
            manager,
            Transaction.objects.filter(organisation=organisation).order_by("-pk").first(),
            0.0,
        )
    started = time.perf_counter()
    rng = random.Random(42)
    countries = ["DE", "IT", "RU", "TR", "AE", "VN", "MY", "FR", "NL", "TH"]
    with db_transaction.atomic():
        items = Item.objects.bulk_create(
            [
                Item(
                    organisation=organisation,
                    name=f"编码器 {n}",
                    model_number=f"M-{n}",
                    created_by=staff,
                )
                for n in range(500)
            ]
        )
        batch = 20_000
        for start in range(0, args.parties, batch):
            Party.objects.bulk_create(
                [
                    Party(
                        organisation=organisation,
                        name=f"Customer {n} Co., Ltd.",
                        country=rng.choice(countries),
                        address=f"{n} Industrial Road",
                        reference=f"P-{n}",
                    )
                    for n in range(start, min(start + batch, args.parties))
                ],
                batch_size=5000,
            )
        party_ids = list(
            Party.objects.filter(organisation=organisation).values_list("pk", flat=True)
        )
        states = [
            "draft",
            "in_review",
            "in_review",
            "approved",
            "approved",
            "approved",
            "on_hold",
            "rejected",
        ]
        for start in range(0, args.transactions, batch):
            rows = [
                Transaction(
                    organisation=organisation,
                    reference=f"SO-{n:06d}",
                    destination_country=rng.choice(countries),
                    end_use="Machine tools",
                    state=rng.choice(states),
                    risk_level=rng.choice(["low", "medium", "high"]),
                    checks_open=rng.randint(0, 5),
                    end_user_name=f"Customer {n} Co., Ltd.",
                    total_value=Decimal(rng.randint(100, 90000)),
                    currency="EUR",
                    created_by=staff,
                )
                for n in range(start, min(start + batch, args.transactions))
            ]
            Transaction.objects.bulk_create(rows, batch_size=5000)
        ids = list(
            Transaction.objects.filter(organisation=organisation).values_list("pk", flat=True)
        )
        lines, links = [], []
        for pk in ids:
            lines.append(
                TransactionItem(
                    organisation=organisation,
                    transaction_id=pk,
                    item=rng.choice(items),
                    quantity=Decimal(rng.randint(1, 50)),
                    value=Decimal(rng.randint(100, 9000)),
                    currency="EUR",
                )
            )
            for role in ("buyer", "end_user"):
                links.append(
                    TransactionParty(
                        organisation=organisation,
                        transaction_id=pk,
                        role=role,
                        party_id=rng.choice(party_ids),
                    )
                )
        TransactionItem.objects.bulk_create(lines, batch_size=5000)
        TransactionParty.objects.bulk_create(links, batch_size=5000)
    # One realistic transaction built through the services, with 20 lines and 6 parties.
    detail = transaction_create(
        organisation=organisation,
        user=staff,
        reference="SO-BENCH-DETAIL",
        destination_country="DE",
        end_use="Spindle position feedback",
    )
    for item in items[:20]:
        transaction_line_add(
            transaction=detail,
            user=staff,
            item=item,
            quantity=5,
            value=1000,
            currency="EUR",
            refresh=False,
        )
    for role, pk in zip(
        ("buyer", "consignee", "end_user", "intermediary", "forwarder", "bank"),
        party_ids[:6],
        strict=True,
    ):
        transaction_party_add(
            transaction=detail, user=staff, party=Party.objects.get(pk=pk), role=role, refresh=False
        )
    return organisation, manager, detail, time.perf_counter() - started


def _measure(client, url, requests):
    from django.db import connection

    client.get(url)  # warm caches (templates, index)
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return len(executed), statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--transactions", type=int, default=50_000)
    parser.add_argument("--parties", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--keep", action="store_true", help="reuse the database file of a previous run"
    )
    args = parser.parse_args()
    _setup(args)
    from django.test import Client
    from django.urls import reverse

    from screening.models import Party
    from trade.models import Transaction

    _organisation, manager, detail, build_seconds = _build(args)
    print(
        f"database: {DB_FILE.name}: {Transaction.objects.count():,} transactions, {Party.objects.count():,} parties"
        f" (built in {build_seconds:.1f} s)"
    )
    client = Client()
    client.force_login(manager)
    pages = [
        ("review queue (default: in review + on hold)", reverse("transactions:queue")),
        (
            "review queue, filtered: approved, high risk",
            reverse("transactions:queue") + "?state=approved&risk_level=high",
        ),
        ("review queue, search", reverse("transactions:queue") + "?q=Customer+4711&state="),
        ("transaction page (20 items, 6 parties, 45 red flags)", detail.get_absolute_url()),
        (
            "review queue, reports after shipment overdue",
            reverse("transactions:queue") + "?reports=overdue",
        ),
    ]
    # The licence decision path of the first and of the last of the 20 lines: the same number
    # of queries (the path reads its reference data and the line, not the other lines).
    lines = list(detail.lines.order_by("pk").values_list("pk", flat=True))
    for label, line_pk in (("first", lines[0]), ("last", lines[-1])):
        pages.append(
            (
                f"licence decision path, {label} of {len(lines)} lines",
                reverse("transactions:licence_path", args=[detail.pk, line_pk]),
            )
        )
    print(f"{'page':55} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8}")
    worst = 0.0
    for label, url in pages:
        queries, p50, p95 = _measure(client, url, args.requests)
        worst = max(worst, p95)
        print(f"{label:55} {queries:>8} {p50:>8.1f} {p95:>8.1f}")
    print(
        f"target p95 <= 150 ms: {'met' if worst <= 150 else 'NOT met'} (worst p95 {worst:.1f} ms)"
    )


if __name__ == "__main__":
    main()
