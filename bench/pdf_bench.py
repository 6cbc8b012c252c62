"""Benchmark of the PDF pipeline (core.pdf) on dense mixed Chinese/English pages with tables.

Renders templates/pdf/specimen.html with about one section per page: Chinese prose, an English
paragraph, and a register of parties whose names draw on the 6,763 characters of GB 2312 plus
rare name characters (堃 喆 曌 彧 …) and traditional forms, so that the embedded font subset is
as large as a real party register makes it. Prints the template time, WeasyPrint's layout and
write times, the total, peak memory (maximum resident set size) and the page count, for a first
render in a fresh process (fonts decoded) and a second one (what a busy worker sees).

    .venv/bin/python bench/pdf_bench.py [--pages 100] [--language zh-hans|en] [--runs 2]
        [--output test-results/pdf-bench.pdf]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from core.pdf import render_pdf_with_stats  # noqa: E402

RARE = "堃喆曌彧犇燊鑫淼玥昇珺頔婳赟翀蘅"
TRADITIONAL = "臺灣國際貿易產業電腦機構檢驗審查"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳邢岳齐沿梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁柯阮桂闵欧阳解强丛华车冉房边"
PROSE_ZH = [
    "企业应当在每笔交易前对最终用户和最终用途进行审查，核对物项的管制编码，并保存审查记录不少于五年。",
    "合规部门负责组织年度风险评估，识别出口目的地、客户类型、物项敏感程度和交易方式等方面的风险因素。",
    "发现可疑交易或红旗信号时，业务人员应立即暂停交易，向合规经理报告，由合规委员会作出处理决定。",
    "培训计划覆盖全体涉及出口业务的员工，新员工入职三十日内完成首次培训，考核合格后方可独立开展业务。",
    "对于列入管控名单的实体，企业不得与其进行任何交易；名单更新后，系统自动对既往交易方重新筛查。",
    "两用物项出口许可证申请材料包括最终用户和最终用途说明、合同副本以及物项技术说明。",
]
PROSE_EN = [
    "Every transaction is screened against the consolidated restricted-party lists before the order is confirmed, and the decision is recorded with its reasons.",
    "The compliance manager reviews red flags within two working days; a transaction with an unresolved red flag cannot be shipped.",
    "Records of licences, end-user certificates and screening decisions are kept for at least five years and are available to auditors on request.",
]


def random_name(rng: random.Random, pool: list[str]) -> str:
    given = "".join(rng.choice(pool) for _ in range(rng.choice((1, 2))))
    if rng.random() < 0.25:
        given = given[:-1] + rng.choice(RARE)
    return rng.choice(SURNAMES) + given


def gb2312_characters() -> list[str]:
    characters = []
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                characters.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return characters


def bench_context(pages: int, seed: int = 1) -> dict:
    """About `pages` pages of the specimen document: a section per page."""
    rng = random.Random(seed)
    pool = gb2312_characters()
    sections = []
    for number in range(1, pages + 1):
        chapter = (number - 1) // 10 + 1
        if (number - 1) % 10 == 0:
            sections.append(
                {
                    "id": f"chapter-{chapter}",
                    "level": 1,
                    "title": f"第{chapter}章 出口管制合规要素 Element {chapter}",
                    "paragraphs": [rng.choice(PROSE_ZH)],
                }
            )
        rows = [
            (
                f"TX-2025-{number:03d}{row:02d}",
                random_name(rng, pool),
                f"{rng.choice(SURNAMES)}{rng.choice(TRADITIONAL)}{rng.choice(pool)}科技有限公司",
                rng.choice(("通过 cleared", "待审 pending", "拒绝 refused")),
                "".join(rng.choice(pool) for _ in range(18)),
            )
            for row in range(8)
        ]
        sections.append(
            {
                "id": f"section-{number}",
                "level": 2,
                "title": f"{chapter}.{number} 交易审查记录 Transaction review {number}",
                "paragraphs": [
                    "".join(rng.sample(PROSE_ZH, 4)),
                    rng.choice(PROSE_EN) + " " + rng.choice(PROSE_EN),
                    "".join(rng.sample(PROSE_ZH, 3)),
                ],
                "table": {
                    "caption": f"表 {number} 交易方 Parties",
                    "headers": (
                        "编号 No.",
                        "联系人 Contact",
                        "交易方 Party",
                        "结论 Decision",
                        "备注 Notes",
                    ),
                    "rows": rows,
                },
            }
        )
    return {
        "title": "出口管制内部合规手册 Internal Compliance Programme Manual",
        "organisation": "苏州精测数控科技有限公司",
        "subtitle": "基准测试文档 Benchmark document",
        "facts": [("版本 Version", "1.0"), ("语言 Language", "中文 / English")],
        "sections": sections,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages", type=int, default=100, help="sections to render (about one page each)"
    )
    parser.add_argument("--language", default="zh-hans", choices=("zh-hans", "en"))
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--output", type=Path, default=ROOT / "test-results" / "pdf-bench.pdf")
    arguments = parser.parse_args()

    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # one INFO line per page otherwise
    context = bench_context(arguments.pages)
    print(f"PDF pipeline: {arguments.pages} sections, language {arguments.language}")
    print(
        f"{'run':>4} {'pages':>6} {'template s':>11} {'layout s':>9} {'write s':>8} {'total s':>8} {'peak RSS MB':>12} {'PDF MB':>7}"
    )
    for run in range(1, arguments.runs + 1):
        result = render_pdf_with_stats("pdf/specimen.html", context, language=arguments.language)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{run:>4} {result.page_count:>6} {result.template_seconds:>11.2f} {result.layout_seconds:>9.2f}"
            f" {result.write_seconds:>8.2f} {result.total_seconds:>8.2f} {peak_mb:>12.0f} {len(result.pdf) / 1e6:>7.2f}"
        )
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_bytes(result.pdf)
    print(f"last PDF written to {arguments.output}")


if __name__ == "__main__":
    main()
