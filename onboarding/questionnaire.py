"""The first risk assessment by questions: five questions, each answer a risk for the register
with its inherent and residual scores on the 5x5 matrix (likelihood, impact).

The areas are those MOFCOM's guidance asks an exporter to assess (icp.models.RiskCategory). The
scores are a starting point the compliance manager revises in the register; the residual score
assumes the mitigation named with the risk is carried out.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from icp.models.risk import RiskCategory


@dataclass(frozen=True)
class Answer:
    code: str
    label: str  # what the questionnaire shows
    title_zh: str  # the risk as recorded in the register, in both languages
    title_en: str
    mitigation_zh: str
    mitigation_en: str
    likelihood: int
    impact: int
    residual_likelihood: int
    residual_impact: int


@dataclass(frozen=True)
class Question:
    code: str
    label: str
    category: str
    answers: tuple[Answer, ...]

    def answer(self, code: str) -> Answer:
        return next(answer for answer in self.answers if answer.code == code)


QUESTIONS = (
    Question(
        "products",
        _("Are any of your products dual-use items on the control list?"),
        RiskCategory.ITEMS_TECHNOLOGY,
        (
            Answer(
                "none",
                _("No: our products are general goods and none is on the control list."),
                "物项误归类风险",
                "Risk of misclassifying an item",
                "新产品上市前进行物项归类并记录依据。",
                "Classify every new product before sale and record the grounds.",
                2,
                3,
                1,
                3,
            ),
            Answer(
                "unsure",
                _("Not sure: some products may be on the list but have not been classified."),
                "未归类物项可能属于管制物项",
                "Unclassified items may be controlled",
                "对全部出口物项进行归类，必要时向商务部咨询。",
                "Classify every exported item; consult MOFCOM where unsure.",
                4,
                4,
                2,
                4,
            ),
            Answer(
                "listed",
                _("Yes: we export items that are on the control list."),
                "管制物项未经许可出口",
                "Controlled items exported without a licence",
                "每笔交易审查许可证要求，许可证到位前不得放行。",
                "Check the licence requirement of every transaction; "
                "no release before the licence.",
                4,
                5,
                2,
                5,
            ),
        ),
    ),
    Question(
        "destinations",
        _("Where do your exports go?"),
        RiskCategory.DESTINATIONS,
        (
            Answer(
                "low",
                _("Only to destinations of low concern."),
                "目的地风险变化",
                "Change in destination risk",
                "每年复核目的地风险。",
                "Review destination risk every year.",
                1,
                3,
                1,
                2,
            ),
            Answer(
                "mixed",
                _("Also to transit hubs or destinations of concern."),
                "经第三国转运至关注目的地",
                "Diversion through third countries to destinations of concern",
                "对高风险目的地交易加强审查并取得最终用户和最终用途证明。",
                "Enhanced review of high-risk destinations, "
                "with end-user and end-use certificates.",
                3,
                4,
                2,
                3,
            ),
            Answer(
                "high",
                _("Also to embargoed or sanctioned destinations."),
                "向禁运或受制裁目的地出口",
                "Exports to embargoed or sanctioned destinations",
                "对受限目的地交易一律由合规经理审查，必要时停止交易。",
                "Every transaction to a restricted destination reviewed by the compliance "
                "manager, stopped where needed.",
                4,
                5,
                3,
                5,
            ),
        ),
    ),
    Question(
        "technology",
        _("Do you share technology or run research and development with foreign parties?"),
        RiskCategory.ITEMS_TECHNOLOGY,
        (
            Answer(
                "none",
                _("No: no technical data leaves the company."),
                "技术资料无意外泄",
                "Technical data leaving the company unnoticed",
                "对技术资料的对外提供设置审批。",
                "Require approval before technical data is given to anyone outside.",
                1,
                3,
                1,
                2,
            ),
            Answer(
                "some",
                _("Sometimes: we send drawings or specifications to foreign customers."),
                "技术资料出口未经审查",
                "Technical data exported without review",
                "技术资料对外提供前进行归类和审查。",
                "Classify and review technical data before it is sent abroad.",
                3,
                4,
                2,
                3,
            ),
            Answer(
                "much",
                _("Yes: joint research, foreign staff or visiting researchers."),
                "合作研发或外籍人员导致技术出口",
                "Technology export through joint research or foreign staff",
                "对合作研发项目和外籍人员接触技术进行审查和记录。",
                "Review and record joint research and foreign staff's access to technology.",
                4,
                4,
                2,
                4,
            ),
        ),
    ),
    Question(
        "partners",
        _("How do you reach your end users?"),
        RiskCategory.CHANNELS,
        (
            Answer(
                "direct",
                _("Directly: we know every end user."),
                "最终用户信息不完整",
                "Incomplete end-user information",
                "交易前筛查客户并记录最终用户。",
                "Screen customers and record the end user before each sale.",
                2,
                3,
                1,
                3,
            ),
            Answer(
                "distributors",
                _("Through distributors or agents."),
                "经销商或代理商转售至受限最终用户",
                "Resale by distributors or agents to restricted end users",
                "筛查经销商并要求其提供最终用户和最终用途信息。",
                "Screen distributors and require end-user and end-use information from them.",
                3,
                4,
                2,
                3,
            ),
            Answer(
                "unknown",
                _("Through trading companies; the end user is often unknown."),
                "最终用户不明",
                "End user unknown",
                "最终用户不明的交易不予放行，直至取得最终用户证明。",
                "No release until an end-user certificate is obtained.",
                4,
                5,
                2,
                4,
            ),
        ),
    ),
    Question(
        "controls",
        _("What export controls does the company already have?"),
        RiskCategory.INTERNAL_CONTROLS,
        (
            Answer(
                "established",
                _("Classification, screening and licence checks are done and recorded."),
                "现有控制措施执行不一致",
                "Existing controls applied inconsistently",
                "定期内部审计和培训。",
                "Regular internal audits and training.",
                2,
                3,
                1,
                3,
            ),
            Answer(
                "partial",
                _("Some checks are done, but not always or not recorded."),
                "审查未执行或未留存记录",
                "Checks skipped or not recorded",
                "建立交易审查流程并留存记录。",
                "Set up the transaction review and keep its records.",
                3,
                4,
                2,
                3,
            ),
            Answer(
                "none",
                _("None yet."),
                "缺少出口管制内部控制",
                "No internal export controls",
                "建立出口管制内部合规机制并培训员工。",
                "Set up the internal compliance programme and train staff.",
                5,
                4,
                2,
                4,
            ),
        ),
    ),
)
