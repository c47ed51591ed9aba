"""The notice's words (DOMAIN.md §3, §4): outlet levels and classes, manuscript kinds, special topics.

Pure data, below every app: the models store these codes, the pure rules (scoring/rules.py, rewards/rates.py)
reason about them, and the labels are what users read. What the notice *does* with them — which outlets earn
bonus points, how quota lines nest, what pays how much — is in the rules modules, not here.
"""

LEVELS = ("internal", "county", "municipal", "provincial", "national")  # ordered low → high
LEVEL_RANK = {name: i for i, name in enumerate(LEVELS)}
LEVEL_LABELS = {
    "internal": "内部(未公开发表)",
    "county": "县级",
    "municipal": "市级",
    "provincial": "省级",
    "national": "中央/国家级",
}

KINDS = ("news", "info", "feature", "experience", "research")
KIND_LABELS = {
    "news": "新闻",
    "info": "信息",
    "feature": "专题",
    "experience": "会议经验交流材料",
    "research": "调研文章",
}

TOPICS = ("shuangchuang", "discipline")  # a publication's topic is one of these or "" (none)
TOPIC_LABELS = {
    "shuangchuang": "双创",
    "discipline": "纪检监察",
}
