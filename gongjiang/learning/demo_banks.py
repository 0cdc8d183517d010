# ruff: noqa: E501  (the questions' Chinese sentences are kept whole, one per line)
"""The demo's question banks, made here (nothing downloaded): the province federation's shared banks of 安全生产,
节能减排, 劳动法律法规, 电工, 焊工, 钳工/机修, 职业道德 and 工会知识, and one bank of the first city federation — a few
thousand questions of all four types with explanations, written by the verbs (`services.create_bank`,
`services.import_questions`) as the province's administrator.

Most questions are computed (Ohm's law, overtime pay, union dues, tap drills, coal equivalents…) so their numbers
vary and each is right; the rest are the regulations' own sentences."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.db import transaction

from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.demo import PROVINCE_CODE
from gongjiang.orgs.models import Org, User

from . import services
from .models import Bank, Question
from .rules.banks import Draft

SEED = 1212
SAFETY, ENERGY, LAW, ELECTRIC, WELD, FITTER, ETHICS, UNION = (
    "安全生产", "节能减排", "劳动法律法规", "电工", "焊工", "钳工/机修", "职业道德", "工会知识")
BANKS: list[tuple[str, bool]] = [
    ("安全生产知识题库", True), ("节能减排知识题库", True), ("劳动法律法规题库", True), ("电工技能题库", True),
    ("焊工技能题库", True), ("钳工与机修题库", True), ("职业道德与工会知识题库", True), ("市级职工安全知识竞赛题库", False)]


def _mix(rng: random.Random, right: str, wrong: list[str]) -> tuple[list[str], str]:
    """Four options with the right one at a random place: (options, its letter)."""
    wrong = [w for w in dict.fromkeys(wrong) if w != right]
    k = 2
    while len(wrong) < 3:  # too few distinct distractors: add near misses
        wrong.append(f"{right}{k}")
        k += 1
    options = [right, *rng.sample(wrong, 3)]
    rng.shuffle(options)
    return options, "ABCD"[options.index(right)]


def _num(x: Decimal | float | int) -> str:
    d = Decimal(str(x)).quantize(Decimal("0.01")).normalize()
    return format(d, "f")


def single(stem: str, options: list[str], answer: str, why: str, tags: list[str], difficulty: int = 3) -> Draft:
    return Draft(kind="single", stem=stem, options=options, answer=answer, explanation=why, tags=tags,
                 difficulty=difficulty)


# ---------------------------------------------------------------------------------------------
# Computed questions


def electric(rng: random.Random) -> Iterator[Draft]:
    for u in (6, 12, 24, 36, 48, 60, 110, 127, 220, 380, 660):
        for r in (1, 2, 3, 4, 5, 6, 8, 10, 11, 12, 15, 20, 22, 30, 40, 44, 50, 55, 60, 100):
            i = Decimal(u) / Decimal(r)
            wrong = [_num(i * 2), _num(i / 2), _num(Decimal(u) * r), _num(i + 1), _num(i * 3)]
            wrong = [w for w in dict.fromkeys(wrong) if w != _num(i)]
            options, letter = _mix(rng, _num(i), wrong)
            yield single(f"一段电阻为{r}Ω的导体两端加{u}V电压，通过的电流为（  ）A。", options, letter,
                         f"由欧姆定律 I=U/R={u}/{r}={_num(i)}A。", [ELECTRIC, "欧姆定律"], 2)
            p = Decimal(u) * Decimal(u) / Decimal(r)
            yield Draft(kind="fill", stem=f"电阻为{r}Ω的电热器接在{u}V电源上，其功率为____W。",
                        blanks=[[_num(p), f"{_num(p)}W"]], explanation=f"P=U²/R={u}²/{r}={_num(p)}W。",
                        tags=[ELECTRIC, "电功率"], difficulty=3)
    for a in (2, 3, 5, 6, 10, 12, 15, 20, 30, 40):
        for b in (3, 4, 6, 8, 10, 15, 20, 30, 60):
            if a == b:
                continue
            series, parallel = a + b, Decimal(a * b) / Decimal(a + b)
            options, letter = _mix(rng, _num(parallel), [_num(series), _num(Decimal(series) / 2), _num(a * b),
                                                         _num(abs(a - b) or 1)])
            yield single(f"{a}Ω和{b}Ω两只电阻并联，其等效电阻为（  ）Ω。", options, letter,
                         f"并联等效电阻 R=R1·R2/(R1+R2)={a}×{b}/({a}+{b})={_num(parallel)}Ω。",
                         [ELECTRIC, "电路计算"], 3)
    facts = [
        ("我国规定的安全电压额定值等级有42V、36V、24V、12V和6V。", "T", "GB/T 3805 规定了安全电压的额定值等级。"),
        ("在潮湿场所或金属容器内作业，行灯电压不得超过12V。", "T", "特别潮湿或导电良好的场所应使用12V安全电压。"),
        ("带电灭火时可以使用泡沫灭火器。", "F", "泡沫导电，带电设备火灾应使用二氧化碳或干粉灭火器。"),
        ("停电检修时，应在断开的开关操作把手上悬挂“禁止合闸，有人工作”标示牌。", "T", "这是保证安全的技术措施之一。"),
        ("验电时只要验电器不亮，就可以直接在设备上工作。", "F", "验电后还须装设接地线，并确认验电器本身完好。"),
        ("保护接地适用于中性点不接地的低压电网。", "T", "IT系统中设备外壳采用保护接地。"),
        ("漏电保护器动作后，可以不查明原因立即再次合闸。", "F", "应先查明漏电原因并排除故障。"),
        ("电动机的额定功率是指其轴上输出的机械功率。", "T", "铭牌功率为额定输出功率。"),
    ]
    for stem, answer, why in facts:
        yield Draft(kind="truefalse", stem=stem, answer=answer, explanation=why, tags=[ELECTRIC, SAFETY],
                    difficulty=2)
    yield Draft(kind="multiple", stem="保证电气作业安全的技术措施包括（  ）。",
                options=["停电", "验电", "装设接地线", "悬挂标示牌和装设遮栏", "工作票制度"], answer="ABCD",
                explanation="工作票制度属于组织措施，其余四项为技术措施。", tags=[ELECTRIC, SAFETY], difficulty=3)


def welding(rng: random.Random) -> Iterator[Draft]:
    for d in (Decimal("2.5"), Decimal("3.2"), Decimal(4), Decimal(5)):
        low, high = d * 30, d * 50
        for thickness in (2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 18, 20, 25, 30):
            right = f"{_num(low)}～{_num(high)}"
            wrong = [f"{_num(low / 2)}～{_num(high / 2)}", f"{_num(low * 2)}～{_num(high * 2)}",
                     f"{_num(high)}～{_num(high * 2)}", f"{_num(d * 10)}～{_num(d * 20)}"]
            options, letter = _mix(rng, right, wrong)
            yield single(f"焊接{thickness}mm厚的低碳钢板，选用直径{_num(d)}mm的焊条平焊，焊接电流一般取（  ）A。",
                         options, letter, f"经验公式 I=(30～50)d，d={_num(d)}mm，得 {right}A。", [WELD, "焊接工艺"], 3)
    gases = [("氧气瓶", "天蓝色", "黑"), ("乙炔瓶", "白色", "红"), ("氩气瓶", "银灰色", "深绿"),
             ("二氧化碳气瓶", "铝白色", "黑"), ("氮气瓶", "黑色", "淡黄"), ("氢气瓶", "淡绿色", "大红")]
    colours = [g[1] for g in gases]
    for name, colour, letters in gases:
        options, letter = _mix(rng, colour, [c for c in colours if c != colour])
        yield single(f"按气瓶颜色标志规定，{name}的瓶体颜色为（  ）。", options, letter,
                     f"{name}瓶体{colour}，字色{letters}色。", [WELD, SAFETY], 2)
        yield Draft(kind="fill", stem=f"{name}的瓶体颜色为____。", blanks=[[colour, colour.rstrip("色")]],
                    explanation=f"按 GB/T 7144，{name}瓶体为{colour}。", tags=[WELD, SAFETY], difficulty=3)
    for stem, answer, why in [
        ("氧气瓶与乙炔瓶的间距不应小于5m，距明火不应小于10m。", "T", "防止泄漏气体遇火源引发事故。"),
        ("焊工可以在未经清洗置换的盛装过可燃气体的容器上直接施焊。", "F", "必须清洗、置换并检测合格后方可动火。"),
        ("碱性焊条焊前一般需经350～400℃烘焙1～2小时。", "T", "去除药皮中的水分，防止产生氢气孔和冷裂纹。"),
        ("焊接电弧的温度最高可达6000～8000K。", "T", "电弧弧柱中心温度很高。"),
        ("二氧化碳气体保护焊不会产生飞溅。", "F", "CO2焊飞溅较大，需选择合适的参数减少飞溅。")]:
        yield Draft(kind="truefalse", stem=stem, answer=answer, explanation=why, tags=[WELD], difficulty=2)
    yield Draft(kind="multiple", stem="常见的焊接缺陷有（  ）。", options=["气孔", "夹渣", "未焊透", "裂纹", "镀锌层"],
                answer="ABCD", explanation="镀锌层是表面处理，不是焊接缺陷。", tags=[WELD, "焊接质量"], difficulty=2)


def fitter(rng: random.Random) -> Iterator[Draft]:
    threads = [(3, "0.5"), (4, "0.7"), (5, "0.8"), (6, "1"), (8, "1.25"), (10, "1.5"), (12, "1.75"), (14, "2"),
               (16, "2"), (18, "2.5"), (20, "2.5"), (22, "2.5"), (24, "3"), (27, "3"), (30, "3.5"), (36, "4")]
    for d, p in threads:
        pitch = Decimal(p)
        right = _num(d - pitch)
        options, letter = _mix(rng, right, [_num(d), _num(d - pitch / 2), _num(d - 2 * pitch), _num(d + pitch)])
        yield single(f"在钢件上攻M{d}×{p}的普通螺纹，底孔钻头直径约为（  ）mm。", options, letter,
                     f"钢件等塑性材料 D钻≈D−P={d}−{p}={right}mm。", [FITTER, "攻螺纹"], 3)
        cast = _num(d - Decimal("1.1") * pitch)
        yield Draft(kind="fill", stem=f"在铸铁件上攻M{d}×{p}的螺纹，底孔直径约为____mm。",
                    blanks=[[cast]], explanation=f"铸铁等脆性材料 D钻≈D−1.1P={cast}mm。", tags=[FITTER, "攻螺纹"],
                    difficulty=4)
    for dia in (6, 8, 10, 12, 16, 20, 25, 30):
        for n in (300, 400, 500, 600, 800, 1000):
            v = Decimal("3.1416") * dia * n / 1000
            right = _num(v.quantize(Decimal("0.1")))
            options, letter = _mix(rng, right, [_num(v * 2), _num(v / 2), _num(dia * n), _num(v + 10)])
            yield single(f"用直径{dia}mm的钻头以{n}r/min的转速钻孔，切削速度约为（  ）m/min。", options, letter,
                         f"v=πDn/1000=3.14×{dia}×{n}/1000≈{right}m/min。", [FITTER, "切削用量"], 4)
    for stem, answer, why in [
        ("使用砂轮机时，操作者应站在砂轮的正面。", "F", "应站在砂轮侧面，防止砂轮破碎伤人。"),
        ("钻孔时严禁戴手套操作。", "T", "手套易被旋转的钻头卷入。"),
        ("锉削时可以用嘴吹锉屑。", "F", "锉屑易飞入眼中，应用刷子清除。"),
        ("设备检修前必须切断电源并挂警示牌。", "T", "防止误启动造成伤害。")]:
        yield Draft(kind="truefalse", stem=stem, answer=answer, explanation=why, tags=[FITTER, SAFETY], difficulty=1)


def energy(rng: random.Random) -> Iterator[Draft]:
    for kwh in range(500, 60500, 500):
        coal = Decimal(kwh) * Decimal("0.1229")
        right = _num(coal)
        options, letter = _mix(rng, right, [_num(coal * 10), _num(coal / 10), _num(Decimal(kwh) * Decimal("0.4")),
                                            _num(coal * 2)])
        yield single(f"按当量值1千瓦时电折合0.1229千克标准煤计算，节约{kwh}千瓦时电相当于节约标准煤（  ）千克。",
                     options, letter, f"{kwh}×0.1229={right}千克标准煤。", [ENERGY, "能源计量"], 2)
    for tons in range(5, 605, 5):
        co2 = Decimal(tons) * Decimal("2.66")
        yield Draft(kind="fill", stem=f"按每吨标准煤排放二氧化碳2.66吨计算，节约{tons}吨标准煤可减排二氧化碳____吨。",
                    blanks=[[_num(co2)]], explanation=f"{tons}×2.66={_num(co2)}吨。", tags=[ENERGY, "碳排放"],
                    difficulty=3)
    for use in range(100, 2100, 100):
        for rate in range(2, 11):
            saved = Decimal(use) * rate / 100
            yield Draft(kind="fill", stem=f"某企业年用电量{use}万千瓦时，实施电机系统节能改造后节电率为{rate}%，"
                                          f"每年可节电____万千瓦时。", blanks=[[_num(saved)]],
                        explanation=f"{use}×{rate}%={_num(saved)}万千瓦时。", tags=[ENERGY, "节能改造"], difficulty=2)
    for stem, answer, why in [
        ("我国提出二氧化碳排放力争于2030年前达到峰值，努力争取2060年前实现碳中和。", "T", "这是我国的“双碳”目标。"),
        ("空调夏季室内温度设定越低越节能。", "F", "公共建筑夏季室内空调温度一般不低于26℃。"),
        ("变频调速可以降低风机、水泵的耗电量。", "T", "风机水泵功率与转速的三次方成正比。"),
        ("节能是我国的基本国策。", "T", "《节约能源法》规定节约资源是我国的基本国策。")]:
        yield Draft(kind="truefalse", stem=stem, answer=answer, explanation=why, tags=[ENERGY], difficulty=1)
    yield Draft(kind="multiple", stem="下列属于可再生能源的有（  ）。", options=["太阳能", "风能", "水能", "天然气", "生物质能"],
                answer="ABCE", explanation="天然气是化石能源，不可再生。", tags=[ENERGY], difficulty=2)


def law(rng: random.Random) -> Iterator[Draft]:
    for wage in range(150, 650, 5):
        yield single(f"某职工日工资{wage}元，用人单位安排其在法定休假日工作一天，应支付不低于（  ）元的工资报酬。",
                     *_mix(rng, str(wage * 3), [str(wage), str(wage * 2), str(int(wage * 1.5)), str(wage * 4)]),
                     why=f"《劳动法》第四十四条：法定休假日安排劳动者工作的，支付不低于工资的300%，即{wage}×3={wage * 3}元。",
                     tags=[LAW, "工资"], difficulty=2)
        yield single(f"某职工日工资{wage}元，休息日被安排加班一天又不能安排补休，应支付不低于（  ）元的工资报酬。",
                     *_mix(rng, str(wage * 2), [str(wage), str(wage * 3), str(int(wage * 1.5)), str(wage * 4)]),
                     why=f"《劳动法》第四十四条：休息日安排工作又不能安排补休的，支付不低于工资的200%，即{wage * 2}元。",
                     tags=[LAW, "工资"], difficulty=2)
    for hourly in range(15, 61):
        for extra in (1, 2, 3):
            pay = Decimal(hourly) * extra * Decimal("1.5")
            yield Draft(kind="fill", stem=f"某职工小时工资{hourly}元，用人单位安排其在工作日延长工作时间{extra}小时，"
                                          f"应支付不低于____元的工资报酬。", blanks=[[_num(pay)]],
                        explanation=f"《劳动法》第四十四条：延长工作时间的，支付不低于工资的150%，"
                                    f"{hourly}×{extra}×150%={_num(pay)}元。", tags=[LAW, "工资"], difficulty=3)
    periods = [("三个月以上不满一年", "一个月"), ("一年以上不满三年", "二个月"), ("三年以上固定期限", "六个月"),
               ("无固定期限", "六个月")]
    for term, limit in periods:
        yield Draft(kind="fill", stem=f"劳动合同期限{term}的，试用期不得超过____。", blanks=[[limit, limit.replace("二", "两")]],
                    explanation=f"《劳动合同法》第十九条：劳动合同期限{term}的，试用期不得超过{limit}。",
                    tags=[LAW, "劳动合同"], difficulty=3)
    for years in range(1, 13):
        months = Decimal(years)
        yield single(f"劳动者在本单位工作满{years}年，用人单位依法解除劳动合同，应支付（  ）个月工资的经济补偿。",
                     *_mix(rng, str(years), [str(years + 1), str(years * 2), str(max(years - 1, 0)) + "（不足一年不计）",
                                             str(years + 2)]),
                     why=f"《劳动合同法》第四十七条：按工作年限每满一年支付一个月工资，即{_num(months)}个月。",
                     tags=[LAW, "经济补偿"], difficulty=3)
    for stem, answer, why in [
        ("用人单位自用工之日起即与劳动者建立劳动关系。", "T", "《劳动合同法》第七条。"),
        ("同一用人单位与同一劳动者可以约定两次试用期。", "F", "《劳动合同法》第十九条：只能约定一次试用期。"),
        ("劳动者提前三十日以书面形式通知用人单位，可以解除劳动合同。", "T", "《劳动合同法》第三十七条。"),
        ("用人单位可以扣押劳动者的居民身份证。", "F", "《劳动合同法》第九条禁止扣押劳动者证件。"),
        ("用人单位应当保证劳动者每周至少休息一日。", "T", "《劳动法》第三十八条。")]:
        yield Draft(kind="truefalse", stem=stem, answer=answer, explanation=why, tags=[LAW], difficulty=1)


def safety(rng: random.Random) -> Iterator[Draft]:
    trades = ["商贸企业", "软件公司", "食品加工厂", "纺织企业", "物流仓储企业", "机械加工厂", "印刷厂", "酒店",
              "家具厂", "电子元件厂", "服装厂", "汽车维修企业", "饮料厂", "造纸厂", "商场", "制药企业"]
    for trade in trades:
        for n in range(40, 300, 20):
            answer = "T" if n > 100 else "F"
            yield Draft(kind="truefalse",
                        stem=f"某{trade}从业人员{n}人，按《安全生产法》应当设置安全生产管理机构或者配备专职安全生产管理人员。",
                        answer=answer, tags=[SAFETY, "安全生产法"], difficulty=3,
                        explanation="《安全生产法》第二十四条：矿山、金属冶炼、建筑施工、运输单位和危险物品单位应当设置；"
                                    "其他生产经营单位从业人员超过一百人的应当设置，一百人以下的应当配备专职或者兼职人员。")
    fires = [("A类（固体物质）火灾", "水型、泡沫、干粉灭火器"), ("B类（液体）火灾", "泡沫、干粉、二氧化碳灭火器"),
             ("C类（气体）火灾", "干粉灭火器"), ("E类（带电）火灾", "干粉、二氧化碳灭火器"),
             ("D类（金属）火灾", "专用干砂或金属火灾灭火剂")]
    for fire, agent in fires:
        options, letter = _mix(rng, agent, [a for _f, a in fires if a != agent])
        yield single(f"扑救{fire}应选用（  ）。", options, letter, f"{fire}宜用{agent}。", [SAFETY, "消防"], 3)
    yield Draft(kind="fill", stem="我国安全生产工作坚持安全第一、____、综合治理的方针。", blanks=[["预防为主"]],
                explanation="《安全生产法》第三条。", tags=[SAFETY, "安全生产法"], difficulty=1)
    yield Draft(kind="fill", stem="“三违”是指违章指挥、____、违反劳动纪律。", blanks=[["违章作业", "违章操作"]],
                explanation="三违：违章指挥、违章作业、违反劳动纪律。", tags=[SAFETY], difficulty=1)
    yield Draft(kind="fill", stem="火警电话是____，急救电话是____。", blanks=[["119"], ["120"]],
                explanation="119 火警，120 医疗急救。", tags=[SAFETY, "消防"], difficulty=1)
    yield Draft(kind="multiple", stem="从业人员的安全生产权利包括（  ）。",
                options=["知情权和建议权", "批评、检举、控告权", "拒绝违章指挥和强令冒险作业权", "紧急情况下停止作业和撤离权",
                         "擅自拆除安全装置权"], answer="ABCD", explanation="《安全生产法》第五十三至五十五条。",
                tags=[SAFETY, "安全生产法"], difficulty=2)
    for hours in range(16, 73, 8):
        right = "T" if hours >= 24 else "F"
        yield Draft(kind="truefalse", stem=f"生产经营单位新上岗的从业人员，岗前安全培训时间为{hours}学时即符合不少于24学时的规定。",
                    answer=right, explanation="原国家安监总局令第3号：新上岗从业人员岗前安全培训时间不得少于24学时。",
                    tags=[SAFETY, "安全培训"], difficulty=2)


def ethics_union(rng: random.Random) -> Iterator[Draft]:
    for wage in range(2000, 15050, 50):
        dues = Decimal(wage) * Decimal("0.005")
        yield single(f"工会会员每月按本人工资收入的0.5%缴纳会费。某会员月工资收入{wage}元，每月应缴会费（  ）元。",
                     *_mix(rng, _num(dues), [_num(dues * 2), _num(dues / 5), _num(Decimal(wage) / 100),
                                             _num(dues * 10)]),
                     why=f"{wage}×0.5%={_num(dues)}元。", tags=[UNION, "会费"], difficulty=1)
    for payroll in range(100, 2100, 20):
        funds = Decimal(payroll) * Decimal("0.02")
        yield Draft(kind="fill", stem=f"某企业全部职工工资总额为每月{payroll}万元，按规定应向工会拨缴经费____万元。",
                    blanks=[[_num(funds)]], explanation=f"《工会法》第四十三条：按全部职工工资总额的2%拨缴，{payroll}×2%={_num(funds)}万元。",
                    tags=[UNION, "工会经费"], difficulty=2)
    for stem, answer, why in [
        ("中华全国总工会是全国各级工会的领导机关。", "T", "《工会法》第十一条。"),
        ("企业、事业单位有会员二十五人以上的，应当建立基层工会委员会。", "T", "《工会法》第十一条。"),
        ("工会主席、副主席任期未满时，用人单位可以随意调动其工作。", "F", "须征得本级工会委员会和上一级工会的同意。"),
        ("爱岗敬业是职业道德的基础和核心。", "T", "爱岗敬业是社会主义职业道德的基础。"),
        ("诚实守信只是商业活动的要求，与普通职工无关。", "F", "诚实守信是每个从业者的基本职业道德。"),
        ("劳模精神、劳动精神、工匠精神是以爱国主义为核心的民族精神的重要内容。", "T", "习近平总书记的重要论述。")]:
        yield Draft(kind="truefalse", stem=stem, answer=answer, explanation=why,
                    tags=[ETHICS if "道德" in stem or "精神" in stem or "诚实" in stem else UNION], difficulty=1)
    yield Draft(kind="multiple", stem="社会主义职业道德的基本规范包括（  ）。",
                options=["爱岗敬业", "诚实守信", "办事公道", "服务群众", "唯利是图"], answer="ABCD",
                explanation="还包括奉献社会；唯利是图违背职业道德。", tags=[ETHICS], difficulty=1)
    yield Draft(kind="fill", stem="工匠精神的内涵是执着专注、____、一丝不苟、追求卓越。", blanks=[["精益求精"]],
                explanation="习近平总书记概括的工匠精神。", tags=[ETHICS, "工匠精神"], difficulty=1)


GENERATORS: dict[str, Callable[[random.Random], Iterator[Draft]]] = {
    "安全生产知识题库": safety, "节能减排知识题库": energy, "劳动法律法规题库": law, "电工技能题库": electric,
    "焊工技能题库": welding, "钳工与机修题库": fitter, "职业道德与工会知识题库": ethics_union}


def _unique(drafts: Iterator[Draft]) -> list[Draft]:
    found: dict[str, Draft] = {}
    for d in drafts:
        found.setdefault(d.fingerprint, d)
    return list(found.values())


def load(log: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    rng = random.Random(SEED)
    with transaction.atomic():
        province = Org.objects.get(code=PROVINCE_CODE)
        admin = User.objects.get(username="province_admin")
        city = Org.objects.filter(path__startswith=province.path, kind=OrgKind.CITY).order_by("path").first()
        total = 0
        made = 0
        for name, shared in BANKS:
            org = province if shared else city
            if org is None:
                continue
            bank = services.create_bank(actor=admin, org=org, name=name, shared=shared,
                                        description="演示题库：由系统生成的题目，覆盖单选、多选、判断、填空四种题型")
            if name in GENERATORS:
                drafts = _unique(GENERATORS[name](rng))
            else:  # the city's contest bank: a sample of the province's safety and law questions
                drafts = _unique(d for gen in (safety, law) for d in gen(rng))
                drafts = rng.sample(drafts, min(200, len(drafts)))
            summary = services.import_questions(actor=admin, bank=bank, drafts=drafts, source="demo")
            total += summary["added"]
            made += 1
            log(f"learning: bank {name}: {summary['added']} questions")
    return {"banks": made, "questions": total}


def wipe() -> None:
    banks = Bank.objects.filter(name__in=[name for name, _s in BANKS])
    Question.objects.filter(bank__in=banks).delete()
    banks.delete()
