"""The support judge and figure sentences on hand-made articles: no index, no model."""

from assistant.answers.evidence import Article, SupportJudge, best_sentence, figure_sentence, names_term
from assistant.documents import Chunk, Hit


def article(text: str, label: str = "第一条", title: str = "示例条例") -> Article:
    chunk = Chunk(id=f"{title}-{label}", text=text, embed_text=text, source=f"{title}.md", title=title,
                  doc_type="law", position=0, article=label)
    return Article(Hit(chunk, 1.0, dense_score=0.9), text)


def test_figure_sentence_states_the_figure_about_the_subject():
    text = "第八条 使用单位应当在检验有效期届满前一个月申请定期检验。检验机构应当公布收费标准。"
    assert figure_sentence("定期检验要提前多久申请？", text, ["duration"]).startswith("使用单位")
    assert figure_sentence("出口退费率是多少？", "第五条 持有外方10%以上股份的，适用本条。", ["percent"]) == ""
    # a period asked as "X是几年" is stated about X, not the days a department has to decide in
    decide = "第九条 示范经营许可证由主管部门审查，自收到申请之日起30日内作出决定。"
    assert figure_sentence("示范经营许可证的有效期是几年？", decide, ["duration"]) == ""
    valid = "第十条 示范经营许可证有效期为3年。"
    assert figure_sentence("示范经营许可证的有效期是几年？", valid, ["duration"]).startswith("示范经营许可证有效期")


def test_best_sentence_keep_filters_the_candidates():
    text = "第二条 申请人应当提交申请书。主管部门应当在20日内答复。"
    assert best_sentence("申请人提交什么？", text) == "申请人应当提交申请书。"
    assert best_sentence("申请人提交什么？", text, keep=lambda s: "日" in s) == "主管部门应当在20日内答复。"


def test_judge_abstains_when_the_figure_means_something_else():
    judge = SupportJudge()
    rebate = "现在适用的出口退费率是多少？"
    verdict = judge.judge(rebate, rebate, [article("第九条 骗取出口退费的，处骗取款项一倍以上五倍以下的罚款。")])
    assert not verdict.grounded and "percent" in verdict.reason
    base = "示范基金的缴存基数上限是多少？"
    verdict = judge.judge(base, base, [article("第四条 未按时申报示范基金的，按上月缴存额的110%确定。")])
    assert not verdict.grounded and "money" in verdict.reason


def test_judge_answers_a_figure_stated_about_the_subject():
    judge = SupportJudge()
    question = "示范园区企业的服务费率是多少？"
    assert judge.judge(question, question, [article("第三条 示范园区企业的服务费率为3%。")]).grounded
    fine = "逾期不缴罚款要多交多少钱？"
    assert judge.judge(fine, fine, [article("第七条 到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款。")]).grounded


def test_judge_abstains_when_no_top_article_names_the_concept_asked_about():
    judge = SupportJudge()
    # 个税 abbreviates 个人所得税: articles on enterprise income tax deductions are near it, not about it.
    question = "员工拿到的年终奖，个税能不能单独计算？"
    deduction = article("第三十四条 企业发生的合理的工资薪金支出，准予扣除。", title="示例企业所得税法实施条例")
    verdict = judge.judge(question, question, [deduction])
    assert not verdict.grounded and "个人所得税" in verdict.reason
    # Named in an article's text, or in its title, the concept is covered.
    withheld = article("第八条 扣缴义务人应当按月代扣代缴个人所得税。", title="示例税收征管办法")
    assert judge.judge(question, question, [deduction, withheld]).grounded
    titled = article("第六条 居民个人的综合所得，按年计算。", title="示例个人所得税条例")
    assert judge.judge(question, question, [titled]).grounded
    # a rule on taxes in general (late filing of any tax) covers the tax named; one naming another tax does not
    vat = "增值税上个月没按时申报，税务局会罚多少？"
    late = article("第六十二条 纳税人未按照规定的期限办理纳税申报的，由税务机关责令限期改正，可以处二千元以下的罚款。",
                   title="示例税收征收管理法")
    assert judge.judge(vat, vat, [late]).grounded
    income = article("第五十四条 企业所得税按年计征，纳税人应当自年度终了之日起五个月内报送年度企业所得税纳税申报表。",
                     title="示例企业所得税法")
    assert not judge.judge(vat, vat, [income]).grounded


def test_a_concept_is_named_with_a_modifier_inside_it():
    judge = SupportJudge()
    question = "被罚款公示以后，能不能申请信用修复？"
    # 信用修复 as 公共信用信息修复: the article is about the concept asked
    repair = article("第六十七条 本市建立健全公共信用信息修复机制，明确失信信息修复的条件和流程。")
    assert judge.judge(question, question, [repair]).grounded
    # the halves far apart are two other things
    apart = article("第十条 加强信用体系建设，对违法行为依法处理，督促企业修复生态环境。")
    assert "信用修复" in judge.judge(question, question, [apart]).reason
    assert names_term("公共信用信息修复机制", "信用修复") and not names_term("信用体系建设，修复生态", "信用修复")


def test_judge_abstains_when_asked_for_particular_providers():
    judge = SupportJudge()
    exam = article("第三十五条 对从事接触职业病危害的作业的劳动者，用人单位应当组织职业健康检查，费用由用人单位承担。")
    hospitals = "我们在苏州，具体该去哪几家医院做比较方便？"
    verdict = judge.judge(hospitals, hospitals, [exam])
    assert not verdict.grounded and "providers" in verdict.reason
    firms = "能推荐几家靠谱的代理记账公司吗？"
    assert not judge.judge(firms, firms, [exam]).grounded
    cheap = "做车间粉尘检测，有没有靠谱又便宜的机构推荐一下啊"
    assert not judge.judge(cheap, cheap, [exam]).grounded
    # a rule about providers is a question of law: who must examine, and a designated intermediary
    who = "职业健康检查应当由哪些机构承担？"
    assert judge.judge(who, who, [exam]).grounded
    designated = "窗口让我们必须找他们推荐的那家中介出评估报告，这样做合规吗？"
    assert judge.judge(designated, designated, [exam]).grounded


def test_judge_abstains_when_asked_an_offices_contact_details_or_the_odds():
    judge = SupportJudge()
    permit = article("第四十二条 除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起二十日内作出"
                     "行政许可决定。")
    for question in ("那个审批窗口在哪儿办公？电话多少？", "受理部门的地址在哪里？", "你觉得我们这个申请最后批下来的可能性大不大？",
                     "这种情况胜算有多大？", "办这个的窗口周六开不开门，下午几点下班？", "你觉得仲裁员会全部支持那个员工吗？",
                     "现在那边定检排队一般要排多久？", "听说明年最低工资要上调，明年会涨到多少？",
                     "帮我查一下“示例五金制品有限公司”现在有没有被列入经营异常名录？"):
        verdict = judge.judge(question, question, [permit])
        assert not verdict.grounded and any(w in verdict.reason for w in ("contact", "odds", "records")), question
    # which department decides, and within how long, are questions of law
    for question in ("行政许可申请要向哪个部门提出？多久作出决定？", "审批部门办公时间内受理申请后多久给结果？",
                     "帮我查一下行政许可法对审批期限是怎么规定的？"):
        assert judge.judge(question, question, [permit]).grounded, question
    # and so are working hours at a company, whether a case may meet a rule, and what follows a step (the judge
    # may still decline them for want of a figure or a basis, not as contacts, odds or records)
    for question in ("公司让我们周六上班，几点下班算加班？", "这种情况有没有被认定为工伤的可能性？", "你觉得他会被认定为工伤吗？",
                     "公司注销以后会取消税务登记吗？"):
        reason = judge.judge(question, question, [permit]).reason
        assert not any(w in reason for w in ("contact", "odds", "records")), question


def test_the_subject_of_a_figure_is_also_named_in_statutory_terms():
    # 年报 is what enterprises say for 年度报告: the sentence stating the date is about the question's subject
    report = "第八条 企业应当于每年1月1日至6月30日，通过企业信用信息公示系统报送上一年度年度报告。"
    question = "年报每年最晚几号之前得报完？"
    assert figure_sentence(question, report, ["date"]).startswith("企业应当于每年")
    assert SupportJudge().judge(question, question, [article(report)]).grounded
