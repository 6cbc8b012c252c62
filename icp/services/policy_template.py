# ruff: noqa: E501 - one Markdown paragraph per line, so versions compare paragraph by paragraph
"""The starting text of a first policy statement, in Chinese and English (Markdown).

It covers the points the reference library lists for element E1 (E1-R1..R6: commitment to PRC
export-control law, management support, the goal of never breaching the rules, every employee's
responsibility, publication to all staff) and cites the binding provisions it rests on (ECL 2020
Arts. 12, 15-16, 34, 37, 39, 43; Dual-Use Items Export Control Regulations 2024 Arts. 25, 27, 39). The
compliance manager adapts it to the company before sending it for signature.
"""

POLICY_TEMPLATE = {
    "title_zh": "出口管制合规政策声明",
    "title_en": "Export Control Compliance Policy Statement",
    "body_zh": """\
本公司是两用物项的研发、生产和出口经营者。为落实出口管制法律义务，维护国家安全和利益，履行防扩散等国际义务，本公司郑重声明如下。

## 一、遵守法律的承诺

本公司严格遵守《中华人民共和国出口管制法》《中华人民共和国两用物项出口管制条例》以及商务部发布的出口管制规章、公告和管制清单。本政策适用于本公司及其全体员工开展的一切出口、再出口和向境外组织和个人提供物项及相关技术资料的活动。

## 二、管理层的支持

本公司主要负责人对出口管制合规负总责。管理层为出口管制内部合规机制提供必要的人员、经费和信息系统支持，保障出口管制合规部门独立开展工作，并定期听取合规工作汇报。

## 三、合规目标

在任何情况下，本公司均不从事违反出口管制规定的活动。合法合规优先于商业利益：任何订单、客户或业绩指标都不能成为违规出口的理由。

## 四、基本要求

1. 出口前对物项进行归类；属于管制清单所列物项或临时管制物项的，依法申请出口许可，并严格按照许可证件载明的范围、条件和有效期出口。
2. 对管制清单以外的物项，知道或者应当知道其可能危害国家安全和利益、可能被用于设计、开发、生产或者使用大规模杀伤性武器及其运载工具，或者可能被用于恐怖主义目的的，依法申请许可。
3. 审查每一笔交易的最终用户和最终用途，依法取得最终用户和最终用途证明文件；不与管控名单所列进口商、最终用户违规交易。
4. 发现最终用户或者最终用途改变或者可能改变，或者证明文件存在伪造、变造、失效等情形的，立即停止出口，向商务部报告并配合核查。
5. 不以改造、拆分为部件或者组件等方式规避出口许可。
6. 最终用户和最终用途证明文件及合同、发票、账册、单据、业务函电等资料保存不少于五年。

## 五、员工的责任

直接或者间接参与出口业务的每一名员工（包括销售、技术、采购、物流、报关和财务人员）都应当了解并遵守本政策和公司的出口管制内部合规制度，在各自职责范围内履行审查义务。出口管制合规部门有权叫停任何存疑的出口。

员工发现可能违反出口管制规定的情况，应当立即向出口管制合规部门报告，也可以匿名报告。本公司保护善意报告的员工不受任何形式的报复。

## 六、违规后果

违反本政策的行为将依照公司规章制度严肃处理；涉嫌违法的，依法移交有关机关。违反出口管制规定的法律后果包括：

1. 未经许可擅自出口管制物项、超出许可范围出口或者出口禁止出口的管制物项的，依照《出口管制法》第三十四条，责令停止违法行为，没收违法所得，违法经营额五十万元以上的，并处违法经营额五倍以上十倍以下罚款；没有违法经营额或者违法经营额不足五十万元的，并处五十万元以上五百万元以下罚款；情节严重的，责令停业整顿，直至吊销相关管制物项出口经营资格。
2. 违反规定与列入管控名单的进口商、最终用户进行交易的，依照《出口管制法》第三十七条，给予警告，责令停止违法行为，没收违法所得，违法经营额五十万元以上的，并处违法经营额十倍以上二十倍以下罚款；没有违法经营额或者违法经营额不足五十万元的，并处五十万元以上五百万元以下罚款；情节严重的，责令停业整顿，直至吊销相关管制物项出口经营资格。
3. 出口国家禁止出口的管制物项或者未经许可出口管制物项的，依照《出口管制法》第四十三条第二款，依法追究刑事责任。

受到处罚的，依照《出口管制法》第三十九条，商务部可以在五年内不受理本公司的出口许可申请，直接负责的主管人员和其他直接责任人员可以被禁止在五年内从事有关出口经营活动，受到刑事处罚的终身不得从事有关出口经营活动。

## 七、发布与评审

本政策经主要负责人签署后生效，向全体员工发布并由每一名员工签收确认，同时可向客户、供应商等外部相关方公开。本政策每年至少评审一次；法律法规、管制清单或经营情况发生重大变化时，及时修订。
""",
    "body_en": """\
The Company researches, manufactures and exports dual-use items. To meet its obligations under export-control law, to safeguard national security and interests and to honour international non-proliferation obligations, the Company declares as follows.

## 1. Commitment to the law

The Company strictly complies with the Export Control Law of the People's Republic of China, the Regulations of the People's Republic of China on the Export Control of Dual-Use Items, and the rules, announcements and control lists issued by the Ministry of Commerce (MOFCOM). This policy applies to every export, re-export and provision of items and related technical data to foreign organisations and individuals by the Company and all its employees.

## 2. Management support

The principal person in charge carries overall responsibility for export-control compliance. Management provides the people, budget and information systems the internal compliance programme needs, protects the independence of the export-control compliance function, and receives regular compliance reports.

## 3. Compliance goal

Under no circumstances will the Company engage in any activity that breaches export-control rules. Legality comes before commercial interest: no order, customer or sales target justifies a non-compliant export.

## 4. Basic requirements

1. Items are classified before export. Items on a control list or under temporary control are exported only under a licence and strictly within its scope, conditions and validity.
2. For items not on a control list, a licence is applied for whenever we know or should know that they may endanger national security and interests, may be used to design, develop, produce or use weapons of mass destruction or their means of delivery, or may be used for terrorist purposes.
3. The end user and end use of every transaction are reviewed and end-user and end-use certificates are obtained as the law requires; no transaction is made in breach of the rules with an importer or end user on the control list.
4. Where the end user or end use changes or may change, or a certificate is forged, altered or expired, the export is stopped at once, MOFCOM is informed and the Company cooperates with its verification.
5. Licensing is never circumvented by modifying items or splitting them into parts or components.
6. End-user and end-use certificates, contracts, invoices, account books, shipping documents and business correspondence are kept for at least five years.

## 5. Every employee's responsibility

Every employee directly or indirectly involved in exports (including sales, engineering, purchasing, logistics, customs and finance) must know and follow this policy and the Company's internal export-control procedures, and carry out the checks that belong to their job. The export-control compliance function has the authority to stop any questionable export.

Employees who become aware of a possible breach of export-control rules must report it to the export-control compliance function at once; they may do so anonymously. The Company protects employees who report in good faith from retaliation of any kind.

## 6. Consequences of a breach

A breach of this policy will be dealt with under the Company's disciplinary rules; suspected offences are referred to the authorities. The legal consequences of a breach of export-control rules include:

1. Exporting controlled items without a licence, beyond the scope of a licence, or exporting items whose export is prohibited (Export Control Law, Art. 34): the unlawful conduct is stopped and the illegal gains confiscated, with a fine of five to ten times the illegal turnover where it is RMB 500,000 or more, or of RMB 500,000 to 5,000,000 where there is no illegal turnover or it is below RMB 500,000; in serious cases the business is suspended or loses its qualification to export controlled items.
2. Dealing in breach of the rules with an importer or end user on the control list (Export Control Law, Art. 37): a warning, the unlawful conduct is stopped and the illegal gains confiscated, with a fine of ten to twenty times the illegal turnover where it is RMB 500,000 or more, or of RMB 500,000 to 5,000,000 where there is no illegal turnover or it is below RMB 500,000; in serious cases the business is suspended or loses its qualification to export controlled items.
3. Exporting controlled items whose export is prohibited, or exporting controlled items without a licence, leads to criminal liability under the law (Export Control Law, Art. 43, para. 2).

After a penalty, MOFCOM may refuse the Company's licence applications for five years, and the persons directly responsible may be barred from export business for five years, or for life after a criminal penalty (Export Control Law, Art. 39).

## 7. Publication and review

This policy takes effect when signed by the principal person in charge. It is published to all employees, each of whom acknowledges it, and may be made known to customers, suppliers and other external parties. It is reviewed at least once a year and revised promptly when laws, control lists or the business change materially.
""",
}
