"""A small Chinese document set (our own sentences) with one relevant document per
query, for Chinese retrieval hit@5 (tests/benchmarks/bench_library_chinese.py and
tests/library/test_chinese_keywords.py). Queries are keyword style, as the model searches."""

DOCS = {
    "monsoon": "2022年夏季，巴基斯坦南部遭遇罕见的季风降雨，信德省部分地区八月降雨量达到常年的五倍。",
    "glacier": "北部山区气温偏高，冰川加速融化，多处冰湖溃决，给下游河流带来大量融水。",
    "cholera": "洪水退去后，积水和不洁饮用水导致霍乱和腹泻病例明显增加，卫生部门开展了疫苗接种。",
    "schools": "灾区有上万所学校受损，数百万儿童被迫停课，部分校舍被临时用作避难所。",
    "roads": "洪水冲毁了数千公里公路和大量桥梁，救援物资只能依靠直升机空投到偏远村庄。",
    "crops": "棉花和水稻大面积被淹，农作物损失严重，粮食价格随之上涨，农民收入锐减。",
    "livestock": "牧区有近百万头牲畜死亡，许多以畜牧为生的家庭失去了主要生计来源。",
    "power": "多座变电站被淹，部分城市停电超过一周，电网修复工作持续了数月。",
    "aid": "国际社会承诺提供援助资金，联合国发起紧急呼吁，多国派出救援队伍。",
    "camps": "数十万灾民住进临时安置营地，帐篷、食品和清洁饮水供应一度十分紧张。",
    "insurance": "由于农业保险覆盖率低，绝大多数受灾农户没有获得任何保险赔付。",
    "dams": "水库泄洪调度引发争议，下游居民认为大坝放水加重了村庄的淹没程度。",
    "housing": "灾后重建计划优先修复倒塌房屋，政府为重建住房的家庭发放现金补贴。",
    "climate": "研究人员认为气候变化使极端降雨的可能性显著上升，全球变暖加剧了这次灾害。",
    "debt": "灾后经济损失超过三百亿美元，国家财政压力加大，外债偿还面临困难。",
    "women": "孕妇和哺乳期妇女在安置营地中缺乏医疗服务，产科护理需求十分迫切。",
    "forecast": "气象部门提前发布了暴雨预警，但预警信息未能及时传达到农村地区。",
    "drainage": "城市排水系统老化，卡拉奇等城市街道积水数日不退，交通陷入瘫痪。",
    "locusts": "洪水过后，部分地区又暴发蝗虫灾害，秋季作物再次受到威胁。",
    "malaria": "积水为蚊虫繁殖提供了条件，疟疾和登革热病例在灾区迅速增多。",
}

QUERIES = {
    "季风降雨": "monsoon", "冰川融化": "glacier", "霍乱": "cholera", "学校停课": "schools",
    "公路桥梁": "roads", "农作物损失": "crops", "牲畜死亡": "livestock", "停电": "power",
    "国际援助": "aid", "安置营地": "camps", "农业保险": "insurance", "大坝泄洪": "dams",
    "房屋重建": "housing", "气候变化": "climate", "经济损失": "debt", "孕妇": "women",
    "暴雨预警": "forecast", "排水系统": "drainage", "蝗虫": "locusts", "疟疾": "malaria",
}


def write_docs(folder) -> None:
    for name, text in DOCS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
