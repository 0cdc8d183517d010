"""The standard honour types of a provincial federation, as data (each union's honours office may change their
criteria on the honour types page). Criteria follow the usual rules of the national and provincial selections:
劳模 every five years, 五一劳动奖章/奖状 and 工人先锋号 yearly; a national honour needs a provincial one first; a title
already held is not awarded again; most honours take a share of front-line workers and cap the leaders. Loaded by
migration 0002 (and again by the tests after a transactional test empties the tables)."""

from __future__ import annotations

from typing import Any

# code, name, level, subject, term, front-line %, leaders' cap %, max age, min years, requires one of, excluded by
TYPES: list[tuple[Any, ...]] = [
    ("national_model_worker", "全国劳动模范和先进工作者", "national", "person", 5, 40, 20, None, 10,
     ["province_model_worker", "national_may_day_medal"], ["national_model_worker"]),
    ("province_model_worker", "省劳动模范", "province", "person", 5, 40, 20, None, 5,
     [], ["province_model_worker", "national_model_worker"]),
    ("national_may_day_medal", "全国五一劳动奖章", "national", "person", 1, 40, 15, None, 5,
     ["province_may_day_medal", "province_model_worker"], ["national_may_day_medal", "national_model_worker"]),
    ("province_may_day_medal", "省五一劳动奖章", "province", "person", 1, 40, 15, None, 3,
     [], ["province_may_day_medal", "national_may_day_medal", "national_model_worker"]),
    ("national_may_day_award", "全国五一劳动奖状", "national", "org", 1, 0, None, None, 0,
     ["province_may_day_award"], ["national_may_day_award"]),
    ("province_may_day_award", "省五一劳动奖状", "province", "org", 1, 0, None, None, 0, [], []),
    ("national_pioneer", "全国工人先锋号", "national", "collective", 1, 70, None, None, 0,
     ["province_pioneer"], ["national_pioneer"]),
    ("province_pioneer", "省工人先锋号", "province", "collective", 1, 70, None, None, 0,
     [], ["province_pioneer", "national_pioneer"]),
    ("city_pioneer", "市工人先锋号", "city", "collective", 1, 70, None, None, 0, [], ["city_pioneer"]),
    ("gold_worker", "省金牌职工", "province", "person", 1, 80, 0, 55, 5, [], ["gold_worker"]),
    ("technical_expert", "省技术能手", "province", "person", 1, 80, 0, 55, 5, [], ["technical_expert"]),
    ("innovation_expert", "省创新能手", "province", "person", 1, 80, 0, None, 3, [], ["innovation_expert"]),
    ("innovative_team", "省创新型班组", "province", "collective", 1, 80, None, None, 0, [], ["innovative_team"]),
    ("demonstration_enterprise", "省职工技术创新竞赛示范企业", "province", "org", 1, 0, None, None, 0, [],
     ["demonstration_enterprise"]),
]



def load(model: Any) -> None:
    """Add the standard types missing from `model`'s table (the migration's historical model or the real one)."""
    for code, name, level, subject, term, front, cap, max_age, years, requires, excludes in TYPES:
        model.objects.get_or_create(code=code, defaults=dict(
            name=name, level=level, subject=subject, term_years=term, front_line_share=front, leader_share=cap,
            max_age=max_age, min_years=years, clean_record=True, requires_any=requires, excludes=excludes))
