"""Benchmark of the ICP manual (E9) for a large organisation: a manual of more than 100 pages.

Builds, in a throwaway test database, an organisation with many compliance bodies and positions,
a large risk register, many response plans, courses and members (names with rare characters),
then runs the manual job as a worker does (after the worker's start-up warm-up, which it
reports) and reports, for each language asked:

- the job's steps: data collection (the selector's queries), template rendering, WeasyPrint's
  layout and write, the Word document;
- the whole job (claim, render, store the artefacts, finish), and WeasyPrint alone on the same
  HTML, rendered again in the same run. The overhead is everything the job does beyond that
  WeasyPrint render, the Word document included, as a share of it;
- the page count and the peak memory of the process.

    .venv/bin/python bench/manual_bench.py [--language zh-hans|en|bilingual ...] [--scale 1.0]
        [--output test-results/manual-bench.pdf]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

RARE = "堃喆曌彧犇燊鑫淼玥昇珺頔婳赟翀蘅"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"


def _name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)] + RARE[n % len(RARE)]


def build_organisation(scale: float):
    """A large exporter: every chapter long enough for a manual past 100 pages."""
    from accounts.models import Membership, Organisation, User
    from accounts.roles import Role
    from icp.models import (
        ComplianceBody,
        Course,
        Duty,
        PolicyStatus,
        PolicyVersion,
        Position,
        ResponsePlan,
        RiskAssessment,
        RiskCategory,
        RiskFactor,
        Scenario,
        SodRule,
        TrainingFunction,
        TrainingProfile,
    )

    def n(count):
        return max(1, int(count * scale))

    org = Organisation.objects.create(
        slug="bench", name_zh="苏州精测数控科技有限公司", name_en="Suzhou Precision CNC Co., Ltd."
    )
    users = User.objects.bulk_create(
        [User(email=f"user{i}@bench.example", full_name=_name(i)) for i in range(n(300))]
    )
    roles = [Role.COMPLIANCE_MANAGER, Role.MANAGEMENT, Role.AUDITOR] + [Role.STAFF] * 10
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=org, role=roles[i % len(roles)])
            for i, user in enumerate(users)
        ]
    )
    functions = list(TrainingFunction.values)
    TrainingProfile.objects.bulk_create(
        [
            TrainingProfile(organisation=org, user=user, function=functions[i % len(functions)])
            for i, user in enumerate(users)
        ]
    )
    manager, executive = users[0], users[1]
    PolicyVersion.objects.create(
        organisation=org,
        number=1,
        status=PolicyStatus.PUBLISHED,
        title_zh="出口管制合规政策声明",
        title_en="Export control compliance policy statement",
        body_zh="\n\n".join(
            f"{i}. 本公司严格遵守《中华人民共和国出口管制法》和《两用物项出口管制条例》，"
            "不向任何可能用于大规模杀伤性武器及其运载工具的最终用户出口物项。合法合规优先于商业利益。"
            for i in range(1, 16)
        ),
        body_en="\n\n".join(
            f"{i}. The Company complies strictly with the Export Control Law and the Dual-Use "
            "Items Export Control Regulations. Compliance comes before commercial interest."
            for i in range(1, 16)
        ),
        signatory=executive,
        signatory_name="刘建国",
        signatory_title="总经理 General Manager",
        effective_date=timezone.localdate(),
        created_by=manager,
        approved_by=executive,
        approved_at=timezone.now(),
        published_at=timezone.now(),
    )
    bodies = []
    committee = ComplianceBody.objects.create(
        organisation=org, kind="committee", name_zh="出口管制合规委员会", name_en="Committee"
    )
    for b in range(n(10)):
        bodies.append(
            ComplianceBody.objects.create(
                organisation=org,
                kind="department",
                parent=committee,
                name_zh=f"第{b + 1}事业部合规小组",
                name_en=f"Business unit {b + 1} compliance team",
                mandate_zh="负责本事业部订单的出口管制审查、物项分类和交易方筛查。",
                mandate_en="Export control review, classification and screening for the unit.",
                order=b + 1,
            )
        )
    chair = Position.objects.create(
        organisation=org,
        body=committee,
        title_zh="合规委员会主任",
        title_en="Chair",
        is_head=True,
        holder=executive,
        may_stop_exports=True,
    )
    positions = []
    for i in range(n(130)):
        body = bodies[i % len(bodies)]
        positions.append(
            Position(
                organisation=org,
                body=body,
                title_zh=f"合规专员{i + 1:03d}",
                title_en=f"Compliance officer {i + 1:03d}",
                holder=users[(i + 2) % len(users)],
                reports_to=chair,
                duties_zh="审查订单的最终用户和最终用途，核对物项分类，对筛查命中作出判定，保存审查记录。",
                duties_en="Reviews end users and end uses, checks classifications, decides on "
                "screening matches and keeps the review records.",
                authority_zh="有权暂停可疑订单并上报合规委员会。",
                authority_en="May put a questionable order on hold and escalate it.",
                duty_codes=[Duty.COMPLIANCE_REVIEW, Duty.SCREENING_DECISION],
                order=i,
            )
        )
    Position.objects.bulk_create(positions)
    SodRule.objects.create(
        organisation=org,
        code="sales_not_review",
        kind="duties",
        name_zh="销售审批人不得同时担任合规审查人",
        name_en="Sales approver is not the reviewer",
        duty_a=Duty.SALES_APPROVAL,
        duty_b=Duty.COMPLIANCE_REVIEW,
    )
    assessment = RiskAssessment.objects.create(
        organisation=org,
        title="2026年度出口管制风险评估",
        assessment_date=timezone.localdate(),
        period_start=timezone.localdate().replace(month=1, day=1),
        period_end=timezone.localdate().replace(month=12, day=31),
        conclusion_zh="总体风险中等，中间商转运和新客户是主要风险来源。",
        conclusion_en="Overall medium; intermediaries and new customers drive the risk.",
        assessor=manager,
        status="approved",
        approved_by=executive,
        approved_at=timezone.now(),
    )
    categories = list(RiskCategory.values)
    RiskFactor.objects.bulk_create(
        [
            RiskFactor(
                organisation=org,
                assessment=assessment,
                key=f"R-{i + 1:03d}",
                category=categories[i % len(categories)],
                title_zh=f"经第三国中间商转运至受限最终用户的风险（{_name(i)}）",
                title_en=f"Diversion through a third-country intermediary ({i + 1})",
                mitigation_zh="加强最终用户核查，要求提供最终用户证明并承诺不再出口。",
                mitigation_en="Enhanced end-user checks; end-user certificate; no re-export.",
                likelihood=1 + i % 5,
                impact=1 + (i * 3) % 5,
                residual_likelihood=1,
                residual_impact=1 + (i * 3) % 5,
            )
            for i in range(n(300))
        ]
    )
    scenarios = list(Scenario.values)
    ResponsePlan.objects.bulk_create(
        [
            ResponsePlan(
                organisation=org,
                scenario=scenarios[i % len(scenarios)],
                title_zh=f"应急预案 {i + 1}：{Scenario(scenarios[i % len(scenarios)]).label}",
                title_en=f"Response plan {i + 1}",
                steps_zh="\n".join(
                    [
                        "立即暂停相关发货和技术交流",
                        "保全合同、邮件和物流单据",
                        "合规经理在24小时内评估并报告合规委员会",
                        "需要时向商务部报告并配合调查",
                        "完成纠正措施并更新风险评估",
                    ]
                ),
                steps_en="\n".join(
                    [
                        "Stop the shipment and any technical exchange at once",
                        "Secure contracts, e-mails and shipping documents",
                        "The compliance manager assesses and reports within 24 hours",
                        "Report to MOFCOM where required and cooperate",
                        "Complete corrective actions and update the risk assessment",
                    ]
                ),
                contacts=f"合规部 {_name(i)} 0512-6000-{i:04d}\n法务部 {_name(i + 1)} 0512-6100-{i:04d}",
                escalation="合规经理 → 合规委员会主任 → 总经理",
                legal_basis="REGS Arts. 25, 35",
                owner=manager,
            )
            for i in range(n(40))
        ]
    )
    Course.objects.bulk_create(
        [
            Course(
                organisation=org,
                topic_zh=f"出口管制专题培训 {i + 1:02d}：红旗信号与最终用户审查",
                topic_en=f"Export control module {i + 1:02d}: red flags and end-user review",
                description_zh="讲解管控清单、红旗信号、最终用户证明和案例分析。",
                description_en="Control lists, red flags, end-user certificates and cases.",
                audience=[functions[i % len(functions)]] if i % 4 else ["all"],
                duration_minutes=60 + (i % 3) * 30,
                refresher_months=12,
                pass_mark=80 if i % 2 else None,
            )
            for i in range(n(60))
        ]
    )
    return org


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--language", action="append", choices=["zh-hans", "en", "bilingual"])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--output", default="test-results/manual-bench.pdf")
    args = parser.parse_args(argv)
    languages = args.language or ["zh-hans"]

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    media = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="manual-bench-"))
    media.enable()
    results = []
    try:
        from django.template.loader import render_to_string
        from weasyprint.text.fonts import FontConfiguration

        import icp.services.manual as manual_service
        import icp.services.manual.versions as manual_versions
        from core.jobs import job_run
        from core.models import Job
        from core.pdf import INTERNAL_BASE_URL, LeanHTML, LocalOnlyURLFetcher, pdf_warm_up
        from icp.models import ManualVersion
        from icp.selectors.manual import MANUAL_JOB_KIND
        from reference.services import reference_framework_load

        reference_framework_load()
        started = time.perf_counter()
        organisation = build_organisation(args.scale)
        print(f"built the organisation in {time.perf_counter() - started:.1f} s")
        # What every worker process does once when it starts (config/celery.py).
        print(f"worker warm-up (once per worker process): {pdf_warm_up():.2f} s")

        # The job as a worker runs it: claim, read, render, write the .docx, store, finish.
        # manual_render is wrapped only to read the figures of its steps.
        renders = []
        real_render = manual_service.manual_render

        def recorded_render(**kwargs):
            renders.append(real_render(**kwargs))
            return renders[-1]

        manual_versions.manual_render = recorded_render  # where manual_generate looks it up
        for language in languages:
            job = Job.objects.create(
                kind=MANUAL_JOB_KIND, organisation=organisation, params={"language": language}
            )
            job_started = time.perf_counter()
            job = job_run(job_id=job.pk)
            job_seconds = time.perf_counter() - job_started
            if job.status != Job.Status.SUCCEEDED:
                raise SystemExit(f"the manual job failed: {job.error}")
            version = ManualVersion.objects.get(job=job)
            rendered = renders[-1]

            # WeasyPrint alone on the same HTML, as the job calls it, in the same process and run.
            context = manual_service.manual_context(
                data=rendered.data, language=language, number=version.number
            )
            with translation.override(manual_service.DOCUMENT_LANGUAGE[language]):
                html = render_to_string(manual_service.TEMPLATE, context)
            alone_started = time.perf_counter()
            LeanHTML(
                string=html,
                base_url=INTERNAL_BASE_URL,
                url_fetcher=LocalOnlyURLFetcher(),
            ).render(font_config=FontConfiguration()).write_pdf()
            weasyprint_alone = time.perf_counter() - alone_started
            overhead = job_seconds - weasyprint_alone
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            result = {
                "language": language,
                "pages": version.page_count,
                "collect_s": round(rendered.collect_seconds, 2),
                "template_s": round(rendered.pdf.template_seconds, 2),
                "weasyprint_in_job_s": round(rendered.weasyprint_seconds, 2),
                "docx_s": round(rendered.docx_seconds, 2),
                "job_total_s": round(job_seconds, 2),
                "weasyprint_alone_s": round(weasyprint_alone, 2),
                "overhead_pct_of_weasyprint": round(100 * overhead / weasyprint_alone, 1),
                "peak_rss_mb": round(peak_mb),
            }
            results.append(result)
            output = Path(args.output)
            output.parent.mkdir(parents=True, exist_ok=True)
            target = output.with_name(f"{output.stem}-{language}{output.suffix}")
            with version.pdf.open("rb") as stored:
                target.write_bytes(stored.read())
            print(" ".join(f"{key}={value}" for key, value in result.items()), f"-> {target}")
        manual_versions.manual_render = real_render
    finally:
        media.disable()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return results


if __name__ == "__main__":
    main()
