"""The main navigation: one table of (label, URL name, roles that see it).

Each app adds its pages here; a user sees the entries of the roles they act in (core.roles.roles_of: a superuser
acts as reviewer, leader and administrator, so the unit pages of officers and unit heads are not offered).
"""

from django.urls import NoReverseMatch, reverse

from core import roles

ALL = (roles.OFFICER, roles.REVIEWER, roles.LEADER, roles.UNIT_HEAD, roles.ADMINISTRATOR)

NAV: list[tuple[str, str, tuple[str, ...]]] = [
    ("首页", "home", ALL),
    ("考核看板", "scoring:dashboard", (roles.LEADER, roles.REVIEWER)),
    ("本单位考核", "scoring:mine", (roles.OFFICER, roles.UNIT_HEAD)),
    ("考核通报", "scoring:bulletin", ALL),
    ("定期通报", "scoring:periodic", ALL),
    ("公示异议", "scoring:objections", (roles.REVIEWER,)),
    ("奖励发放", "rewards:batches", (roles.OFFICER, roles.UNIT_HEAD, roles.REVIEWER, roles.LEADER)),
    ("表彰", "rewards:commendations", ALL),
    ("Excel 表格", "exchange", ALL),
    ("录入稿件", "portal:record_create", (roles.OFFICER,)),
    ("刊发记录", "portal:records", ALL),
    ("审核队列", "portal:review_queue", (roles.REVIEWER,)),
    ("通知", "portal:notifications", ALL),
    ("我的导出", "portal:exports", ALL),
    ("网站投稿", "reporting:contributions", ALL),
    ("定期报送", "reporting:reports", (roles.OFFICER, roles.UNIT_HEAD)),
    ("工作落实", "reporting:duties", (roles.OFFICER, roles.UNIT_HEAD)),
    ("报送情况", "reporting:compliance", (roles.REVIEWER, roles.LEADER, roles.ADMINISTRATOR)),
    ("培训班", "reporting:trainings", (roles.REVIEWER, roles.LEADER)),
    ("数据接口", "api:docs", (roles.REVIEWER, roles.ADMINISTRATOR)),
]


def nav_items(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    acting = roles.roles_of(user)
    items = []
    for label, url_name, allowed in NAV:
        if acting.isdisjoint(allowed):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "current": False})
    # The current page is the entry with the longest URL the path starts with (录入稿件 /records/new/, not also
    # 刊发记录 /records/).
    matching = [item for item in items if request.path == item["url"] or (
        item["url"] != "/" and request.path.startswith(item["url"]))]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["current"] = True
    return items
