"""The sources of the ICP reference data (`../shared/reference/icp-reference.yaml`, `sources:`)
named for a person in the reader's language. The reference data names its sources by a key
("M2007", "BISECP") and an English research title; a page shows neither: it shows the name
below, or for a provision of PRC law its citation (《两用物项出口管制条例》第十四条第四款)."""

from core.i18n import current_language_suffix

from .citations import LAW_NAMES_ZH, law_citations

# key: (English, Chinese). Foreign sources are comparators: named as such, never as PRC law.
SOURCE_NAMES: dict[str, tuple[str, str]] = {
    "ECL": ("Export Control Law of the PRC (2020)", "《中华人民共和国出口管制法》（2020年）"),
    "REGS": (
        "Regulations on Export Control of Dual-use Items (State Council Order No. 792, 2024)",
        "《中华人民共和国两用物项出口管制条例》（国务院令第792号，2024年）",
    ),
    "M2007": (
        "MOFCOM Announcement No. 69 of 2007 (partial text)",
        "商务部公告2007年第69号（部分文本）",
    ),
    "UELP": (
        "Provisions on the Unreliable Entity List (MOFCOM Order No. 4 of 2020)",
        "《不可靠实体清单规定》（商务部令2020年第4号）",
    ),
    "UEL2023": (
        "Unreliable Entity List working mechanism, Announcement No. 1 of 2023",
        "不可靠实体清单工作机制公告2023年第1号",
    ),
    "WQ": (
        "MOFCOM export control announcements (collected copies)",
        "商务部出口管制公告（汇集的副本）",
    ),
    "N163": (
        "MOFCOM spokesperson on the 2024 list (as relayed)",
        "商务部新闻发言人关于2024年管制清单的答问（转载）",
    ),
    "R61": (
        "MOFCOM 2025 extraterritorial rare-earth measure (as relayed)",
        "商务部2025年稀土相关域外管制措施（转载）",
    ),
    "CJO": (
        "China Justice Observer on MOFCOM's 2021 guiding opinions",
        "《中国司法观察》对商务部2021年指导意见的介绍",
    ),
    "JDS": (
        "JD Supra: China issues an export compliance guideline",
        "JD Supra 文章：中国发布出口合规指引",
    ),
    "ROEDL": (
        "Rödl & Partner: new compliance guidelines for dual-use items",
        "德国罗德律师事务所文章：两用物项合规新指引",
    ),
    "CROWELL": (
        "Crowell & Moring: China's guidelines on export control compliance programmes",
        "Crowell & Moring 律师事务所文章：中国出口管制合规指引",
    ),
    "GLO": (
        "Global Law Office on the principles of the 2021 guidance",
        "环球律师事务所关于2021年指导意见原则的文章",
    ),
    "ZL": (
        "Zhong Lun: the 2021 guidelines compared with the US compliance programme",
        "中伦律师事务所：2021年指引与美国出口管理合规计划的比较",
    ),
    "CLAW": (
        "Customs lawyers' site: code structure of the PRC dual-use list",
        "海关律师网：两用物项出口管制清单编码结构",
    ),
    "TCS": (
        "Canadian Trade Commissioner Service: China's dual-use export control regulations",
        "加拿大贸易专员服务处：中国两用物项出口管制条例介绍",
    ),
    "BISRF": (
        "US Bureau of Industry and Security: red flag indicators (comparator)",
        "美国商务部工业与安全局：风险警示信号（境外参考）",
    ),
    "BISKYC": (
        "US 15 CFR Part 732, Supplement No. 3: know your customer (comparator)",
        "美国联邦法规第15编第732部分补编3：了解你的客户（境外参考）",
    ),
    "BISECP": (
        "US Bureau of Industry and Security: eight elements of an effective compliance "
        "programme (comparator)",
        "美国商务部工业与安全局：有效出口合规计划八要素（境外参考）",
    ),
    "BISAUD": (
        "US Bureau of Industry and Security: audit module self-assessment tool, 2011 (comparator)",
        "美国商务部工业与安全局：合规审计模块自评工具，2011年（境外参考）",
    ),
    "SCUL": (
        "SafetyCulture export compliance checklist (comparator)",
        "SafetyCulture 出口合规检查清单（境外参考）",
    ),
    "EU1318": (
        "Commission Recommendation (EU) 2019/1318 (comparator)",
        "欧盟委员会第2019/1318号建议（境外参考）",
    ),
    "EURF": (
        "EU red flags for suspicious enquiries, as reproduced by Ukraine's export control "
        "service (comparator)",
        "欧盟可疑询价风险警示信号，乌克兰国家出口管制局转载（境外参考）",
    ),
    "WA": (
        "Wassenaar Arrangement best practice guidelines on compliance programmes, 2011 "
        "(comparator)",
        "瓦森纳安排内部合规计划最佳实践指南，2011年（境外参考）",
    ),
    "STATE": (
        "US State Department export control and border security programme: elements of a "
        "compliance programme (comparator)",
        "美国国务院出口管制与边境安全项目：内部合规计划要素（境外参考）",
    ),
    "CNSC": (
        "Canadian Nuclear Safety Commission REGDOC-2.13.2, Appendix A (comparator)",
        "加拿大核安全委员会监管文件第2.13.2号附录A（境外参考）",
    ),
    "UKRF": (
        "UK-style red flag list, third-party copy (comparator)",
        "英国式风险警示信号清单，第三方转载（境外参考）",
    ),
}


def source_name(key: str) -> str:
    """The source's name in the active language. Every key of the reference data has one (a
    test holds the table to the data); text that is not a key is shown as it was written."""
    names = SOURCE_NAMES.get(key.strip())
    if names is None:
        return key.strip()
    return names[0] if current_language_suffix() == "en" else names[1]


def source_citation(key: str, article: str = "") -> str:
    """A provision of PRC law as it is cited (《出口管制法》第十二条第三款); any other source by
    its name."""
    key, article = key.strip(), (article or "").strip()
    if key in LAW_NAMES_ZH and article:
        try:
            return law_citations(key, article)
        except ValueError:  # not articles as the data writes them: the law's name
            pass
    return source_name(key)
