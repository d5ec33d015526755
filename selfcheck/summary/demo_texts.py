"""Free texts of the demo bureau: honest ones composed from many fragments, and planted copies.

Real cadres share stock phrases (套话) but not paragraphs, so an honest text is
composed from many independent fragments (a work context, a symptom, a dated
incident with its own place and figures, a reflection), and two people almost
never write the same sentence twice. A planted copy (``selfcheck demo
--copies``) takes another person's text and edits it the way people disguise a
copy: punctuation changes, sentence reordering, 10–30 % insertions and
deletions, synonym swaps (:func:`disguise`).
"""

from __future__ import annotations

import random
import re

PLACES = (
    "滨河路",
    "东关街道",
    "新华小区",
    "解放北路",
    "城南片区",
    "火车站广场",
    "青年路",
    "西郊工业园",
    "南湖公园",
    "老城区",
    "民主巷",
    "开发区",
    "汽车站",
    "文化路",
    "北环路",
    "东风路",
    "人民广场",
    "建设大街",
    "朝阳社区",
    "花园小区",
    "幸福路",
    "长江路",
    "黄河街",
    "光明小区",
    "五一路",
    "胜利街",
    "和平里",
    "向阳社区",
    "东湖片区",
    "纺织厂宿舍",
)
PROJECTS = (
    "道路改造",
    "雨污分流",
    "老旧小区整治",
    "棚户区改造",
    "路灯维修",
    "排水管网",
    "人行道铺装",
    "绿化提升",
    "公厕改建",
    "供热管网",
    "停车场建设",
    "农贸市场改造",
    "桥梁加固",
    "燃气管道",
    "保障房建设",
    "背街小巷硬化",
)
STAGES = (
    "前期协调",
    "现场检查",
    "材料审核",
    "竣工验收",
    "资金拨付",
    "质量抽查",
    "跟踪回访",
    "方案论证",
    "进度督查",
    "安全巡查",
    "群众接访",
    "入户调查",
)
EVENTS = (  # each reads after an actor: 我 / 本人 / 我当时 …
    "经手的一份报建材料因缺件被退回{n}次",
    "对{n}户居民反映的施工噪声扰民处理不及时",
    "把一件群众来信拖了{n}天才答复",
    "发现{n}处隐患后整改通知下发晚了",
    "协调{n}次仍未解决占道问题",
    "在{n}笔资金中有一笔手续不全时就签了字",
    "让群众打了{n}次电话才找到人",
    "提出的{n}条建议都很笼统",
    "把一份材料拖了{n}天才印好",
    "对{n}家施工单位只看了台账",
    "对业主提的{n}条意见没有逐条回复",
    "经办的事项有{n}件超过了承诺时限",
    "对{n}份整改回执一直没有催收",
    "让同一处积水点被投诉了{n}回",
    "验收时漏看了{n}项隐蔽工程记录",
    "给{n}位来访者的答复前后不一致",
)
SOFTENERS = (
    "我",
    "自己",
    "有时",
    "个别时候",
    "一度",
    "偶尔",
    "不止一次",
    "往往",
    "多少",
    "时常",
    "曾经",
    "说实话",
    "坦白讲",
    "不得不承认",
)
ACTORS = ("我", "本人", "我自己", "我作为经办人", "我作为分管的同志", "我当时")
CONSEQUENCES = (
    "群众意见很大",
    "影响了工期",
    "施工方颇有微词",
    "给单位形象抹了黑",
    "居民只好再跑一趟",
    "后来靠加班才补上",
    "科里同志替我做了解释",
    "差点酿成安全事故",
    "拖累了整个项目",
    "服务对象当面提了意见",
    "被督查通报了一次",
    "错过了最佳处理时机",
    "群众又找到了局里",
    "多花了不少冤枉钱",
    "事情越拖越难办",
    "领导专门过问了此事",
)
REFLECT_LEADS = (
    "现在回头看",
    "反思起来",
    "静下心来想",
    "说到底",
    "事后琢磨",
    "扪心自问",
    "仔细查找原因",
    "对照这次活动的要求",
    "和同事们交流后",
    "认真回想起来",
)
REFLECT_CORES = (
    "根子在自己怕麻烦",
    "是把自己当成了管理者",
    "离群众的要求还差得远",
    "是责任心不够",
    "是没有把群众的事当成自己的事",
    "暴露出业务上钻研不够",
    "是工作标准定得太低",
    "是心里存了侥幸",
    "是习惯了按部就班",
    "是对困难估计不足",
    "是碍于情面不愿较真",
    "是精力没有用在刀刃上",
)
CAUSE_LEADS = (
    "平时",
    "这些年",
    "近一段时间",
    "有时",
    "调到现岗位以后",
    "参加工作{years}年来",
    "任务一重的时候",
    "{month}月以来",
    "在{place}蹲点期间",
    "担任现职后",
)
CAUSE_CORES = (
    "忙于{project}等具体事务",
    "总觉得老经验够用",
    "对群众的难处体会不深",
    "先想的是别出错",
    "把进度看得比质量更重",
    "碍于情面没有较真",
    "对新规范只是粗读",
    "习惯等领导布置",
    "自认为{project}是技术活",
    "形成了一些惰性",
    "把学习当成了软任务",
    "对下属要求不够严",
    "满足于过得去",
    "把精力放在了应付检查上",
)
CAUSE_TAILS = (
    "静下心来读书的时间很少",
    "换位思考不够",
    "进取心不知不觉淡了",
    "标准不自觉降低了",
    "没有真正吃透",
    "对群众呼声关注不够",
    "忽视了做群众工作",
    "该较真的地方没有较真",
    "遇事先想退路",
    "学用脱节",
    "缺少一股钻劲",
    "对问题视而不见",
)
CAUSE_EXAMPLES = ("比如", "像", "例如", "就拿", "譬如", "如")
CAUSE_PROOFS = (
    "一个例子",
    "明证",
    "教训",
    "一面镜子",
    "最好的说明",
    "前车之鉴",
    "典型",
    "警示",
    "写照",
    "缩影",
)
MEASURE_TIMES = (
    "{month}月底前",
    "本季度内",
    "从下周起",
    "今年内",
    "{month}月{day}日前",
    "活动结束前",
    "每个工作日下班前",
    "从即日起",
    "在{n}个月内",
    "年底以前",
)
MEASURE_ACTIONS = (
    "把{place}{project}的遗留问题逐项列出",
    "对{place}{project}的办件实行周报",
    "到{place}现场当面听取居民意见",
    "建立{place}{project}问题清单",
    "把{project}审批环节压缩到{n}个",
    "写一篇{place}{project}的调研报告",
    "参加{project}业务培训并到{place}实地看",
    "向{place}的{n}户居民回访",
    "对经手的{project}资金逐笔复核",
    "系统读完{n}本{project}方面的书",
    "在{place}设立联系点",
    "给{project}的每一步定出时限",
    "把{place}群众来电逐件登记在册",
    "请{place}的{n}位群众代表给我打分",
)
MEASURE_CHECKS = (
    "明确到人到天",
    "办结一件销号一件",
    "结果在科室公开",
    "请分管领导检查",
    "接受群众监督",
    "每月自查一次",
    "写进整改台账",
    "完不成就向支部说明",
    "做到问题不过夜",
    "每周对照检查",
    "形成书面材料备查",
    "由办公室跟踪督办",
)


def _fill(rng: random.Random, template: str) -> str:
    n = rng.randint(2, 9)
    return template.format(
        n=n,
        month=rng.randint(1, 12),
        day=rng.randint(1, 28),
        place=rng.choice(PLACES),
        project=rng.choice(PROJECTS),
        years=rng.randint(3, 28),
    )


def problem_text(rng: random.Random, context: str, symptom: str) -> str:
    """具体表现: a context, a symptom and a dated incident of one's own, with a reflection."""
    day = f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
    text = (
        f"{context}，{rng.choice(SOFTENERS)}{symptom}。{day}在{rng.choice(PLACES)}{rng.choice(PROJECTS)}的"
        f"{rng.choice(STAGES)}中，{rng.choice(ACTORS)}{_fill(rng, rng.choice(EVENTS))}，"
        f"{rng.choice(CONSEQUENCES)}。"
    )
    if rng.random() < 0.7:
        text += f"{rng.choice(REFLECT_LEADS)}，{rng.choice(REFLECT_CORES)}。"
    return text


def cause_text(rng: random.Random, stock: str) -> str:
    """原因剖析: a stock cause, made one's own by one or two concrete reasons."""
    reasons = [
        f"{_fill(rng, rng.choice(CAUSE_LEADS))}{_fill(rng, rng.choice(CAUSE_CORES))}，"
        f"{rng.choice(CAUSE_TAILS)}，{rng.choice(CAUSE_EXAMPLES)}{rng.choice(PLACES)}的"
        f"{rng.choice(PROJECTS)}就是{rng.choice(CAUSE_PROOFS)}"
        for _ in range(2)
    ]
    return f"{stock}。" + "；".join(reasons) + "。"


def measure_text(rng: random.Random, stock: str) -> str:
    """整改措施: a stock measure plus one or two measures of one's own."""
    own = [
        f"{_fill(rng, rng.choice(MEASURE_TIMES))}{_fill(rng, rng.choice(MEASURE_ACTIONS))}，"
        f"{rng.choice(MEASURE_CHECKS)}"
        for _ in range(2)
    ]
    return f"{stock}；" + "；".join(own) + "。"


# ------------------------------------------------------------ planted copies

SYNONYMS: tuple[tuple[str, str], ...] = (
    ("群众", "老百姓"),
    ("工作中", "工作当中"),
    ("认识到", "意识到"),
    ("问题", "毛病"),
    ("主要是", "关键是"),
    ("不够", "不足"),
    ("居民", "住户"),
    ("没有", "未能"),
    ("及时", "第一时间"),
    ("每周", "每个星期"),
    ("每月", "每个月"),
    ("现场", "一线"),
    ("科室", "处室"),
    ("建立", "建起"),
    ("逐项", "一项一项"),
    ("自己", "本人"),
    ("明确", "落实"),
    ("意见", "建议"),
    ("平时", "日常"),
    ("习惯", "惯于"),
)
INSERTS = (
    "对此我深感惭愧",
    "这一点在今年表现得尤为明显",
    "这也是同志们经常提醒我的",
    "虽然事情不大但影响不好",
    "必须引起高度重视",
    "这方面我还要下更大功夫",
    "这个教训十分深刻",
    "今后一定要坚决改正",
    "回想起来很不应该",
    "这是我今后努力的方向",
)
_SENTENCE = re.compile(r"(?<=[。；！？])")
_CLAUSE = re.compile(r"(?<=[，、])")
_PUNCT_SWAPS = (("，", "、"), ("，", ","), ("。", "；"), ("；", "。"), ("、", "，"))


def disguise(rng: random.Random, text: str) -> str:
    """``text`` edited as a copier would: reorder, delete, insert, swap words, punctuation."""
    sentences = [s for s in _SENTENCE.split(text) if s]
    if len(sentences) > 1:
        rng.shuffle(sentences)
    rate = rng.uniform(0.10, 0.30)
    budget_delete = rate / 2 * len(text)
    budget_insert = rate / 2 * len(text)
    clauses = [c for s in sentences for c in _CLAUSE.split(s) if c]
    kept: list[str] = []
    deleted = 0
    for clause in clauses:
        if deleted + len(clause) <= budget_delete and len(clauses) > 2 and rng.random() < 0.35:
            deleted += len(clause)
            continue
        kept.append(clause)
    inserted = 0
    while inserted < budget_insert:
        phrase = rng.choice(INSERTS)
        kept.insert(rng.randint(0, len(kept)), phrase + "，")
        inserted += len(phrase)
    out = "".join(kept)
    swaps = [pair for pair in SYNONYMS if pair[0] in out]
    for old, new in rng.sample(swaps, min(len(swaps), rng.randint(1, 3))):
        out = out.replace(old, new, 1)
    for old, new in rng.sample(_PUNCT_SWAPS, 2):
        out = out.replace(old, new, rng.randint(1, 2))
    return out
