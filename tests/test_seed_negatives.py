"""Numbers of the seeds that must NOT become facts (../shared/eval/seeds.NOTES.md),
tested sentence by sentence because score.py cannot see the masked ones."""
from __future__ import annotations

import pytest

from conftest import facts_of_text

# (sentence, metric that must not appear with this value, value)
NEGATIVES = [
    ("全市共建成省重点专科56个，市级临床重点专科43个", "facilities", 43),
    ("全市共建成省重点专科56个", "facilities", 56),
    ("6家市级医院与64家基层医疗机构结对挂点组建11个紧密型县域医共体", "facilities", 6),
    ("6家市级医院与64家基层医疗机构结对挂点组建11个紧密型县域医共体", "facilities", 64),
    ("医疗机构主动签约养老服务机构567对", "facilities", 567),
    ("先后建成托育服务机构330家，提供托位17959个", "beds", 17959),
    ("建成3个国家级、1个省级妇幼健康优质服务示范县", "facilities", 3),
    ("上海六院与晋江市医院共建上海六院福建医院", "facilities", 6),
    ("石狮在全市102个行政村均配备了心电图机", "facilities", 102),
    ("以9家基层医疗卫生机构为成员单位共同组成的紧密型县域医共体", "facilities", 9),
    ("安溪县、德化县两个紧密型县域医共体建设典型经验介绍均入选国家卫健委典型案例汇编", "facilities", 2),
    ("开展为期3个月至1年的跟班学习、进修", "trainees", 3),
    ("融合1万名临床医师、225名公卫医师、3959个家庭医生团队", "staff_dispatched", 225),
    ("融合1万名临床医师、225名公卫医师、3959个家庭医生团队", "beds", 225),
    ("4名医护人员正在为村民们提供服务", "staff_dispatched", 4),
    ("已累计开展专题讲座八十余期", "trainees", 80),
    ("全市130余名基层名医在带教过程中实现了“传帮带”", "trainees", 130),
    ("“千名医护进乡村”计划将持续深化", "staff_dispatched", 1000),
    ("一方面积极引入14批121名专家进昌巡诊指导", "staff_dispatched", 14),
    ("福建第八批医疗卫生援疆团队在昌吉州县两级共组织“医疗巴扎”180多场", "patient_visits", 180),
    ("帮助受援医院成立新科室17个", "staff_dispatched", 17),
    ("爭取創建1個至2個國家臨床重點??祈項目儲備項目", "facilities", 1),
    ("市中醫院積極爭取1個國家中醫優勢??疲ㄅ嘤╉項目", "facilities", 1),
    ("再創5個省級衛生鄉鎮和一批省級衛生村(社區)", "facilities", 5),
    ("“千名醫師下基層”共派出中高級職稱支援醫師3854人次", "staff_dispatched", 1000),
    ("新增5位“福建省名中醫”", "staff_dispatched", 5),
    ("新增1760個普惠托位", "beds", 1760),
    ("新增1760個普惠托位", "facilities", 1760),
    ("市中醫院五四北分院", "facilities", 54),
    ("全省32家合作医院中，我院对口帮扶的4家医院取得2家优秀、2家良好的优异成绩", "facilities", 32),
    ("全省32家合作医院中，我院对口帮扶的4家医院取得2家优秀、2家良好的优异成绩", "facilities", 4),
    ("全省32家合作医院中，我院对口帮扶的4家医院取得2家优秀、2家良好的优异成绩", "facilities", 2),
    ("温医大附二院精准帮扶所结对的四家医院深入推进胸痛中心、卒中中心和创伤中心建设", "facilities", 4),
    ("完成了首例POEM术", "surgeries", 1),
    ("下派10大专家团队、12名以上专家长期下沉", "staff_dispatched", 10),
    ("下沉天数3198天，门诊服务量17252人次", "patient_visits", 3198),
    ("平阳分院短短数月已救治10余名急诊胸痛患者，其中年龄最大为92岁", "patient_visits", 92),
    ("创伤中心ISS≥16分患者抢救成功率达98.33%", "patient_visits", 16),
    ("“巴扎”在维吾尔语里是“集市、农贸市场”的意思", "patient_visits", 0),
    ("临朐县68岁的张大爷最近体验了“一站式健康管理中心”的便捷", "patient_visits", 68),
]


@pytest.mark.parametrize("sentence,metric,value", [pytest.param(*n, id=f"{n[1]}={n[2]}:{n[0][:14]}")
                                                   for n in NEGATIVES])
def test_seed_number_is_not_a_fact(extractor, sentence, metric, value):
    bad = [f for f in facts_of_text(extractor, sentence) if f.metric == metric and f.value == value]
    assert bad == [], bad


@pytest.mark.parametrize("sentence,metric,value,qualifier,status", [
    ("晋江方面已经轮番选派57余名骨干医师及护师前往上海六院，开展为期3个月至1年的跟班学习、进修",
     "trainees", 57, "more_than", "achieved"),
    # 将 + object + verb is 把 (achieved); 将 + verb is "will" (planned).
    ("省医院将全省各地的120余名骨干专家派驻到山区县医院", "staff_dispatched", 120, "more_than", "achieved"),
    ("省医院将派驻120余名骨干专家到山区县医院", "staff_dispatched", 120, "more_than", "planned"),
    ("到2026年，潍坊市将建成30家县域医疗服务次中心、15家中医特色卫生院和50家特色专科卫生院",
     "facilities", 50, "exact", "planned"),
    ("温医大附二院向每家托管分院派驻至少12人的具有中级及以上职称专家团队长期驻扎",
     "staff_dispatched", 12, "at_least", "achieved"),
])
def test_settled_cases(extractor, sentence, metric, value, qualifier, status):
    facts = [f for f in facts_of_text(extractor, sentence) if f.metric == metric and f.value == value]
    assert facts, f"no {metric}={value}"
    assert (facts[0].qualifier, facts[0].status) == (qualifier, status)
