"""Directory login (issue 18): django-auth-ldap's settings from the LDAP_* environment variables.

Off unless LDAP_URL is set. This module only reads the environment (it runs while settings load, before any
app); the backend that maps directory groups to our roles and a directory attribute to the unit is
publicity/directory.py. Every variable and its default is in the README's Configuration table.
"""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

NOT_INSTALLED_MESSAGE = ("设置了 LDAP_URL，但未安装目录登录组件 django-auth-ldap / python-ldap。"
                 "请先安装系统库（apt-get install libldap2-dev libsasl2-dev），再执行 pip install -e '.[ldap]'。")
REQUIRED_MESSAGE = "设置了 LDAP_URL 时必须同时设置 {name}（{meaning}）。"
BAD_GROUP_TYPE_MESSAGE = "LDAP_GROUP_TYPE 只能是 {choices} 之一，当前为「{value}」。"
BAD_NUMBER_MESSAGE = "{name} 应为正整数（秒），当前为「{value}」。"

GROUP_TYPES = {
    "groupOfNames": "GroupOfNamesType",
    "groupOfUniqueNames": "GroupOfUniqueNamesType",
    "posixGroup": "PosixGroupType",
    "activeDirectory": "NestedActiveDirectoryGroupType",
}
DEFAULT_USER_FILTER = "(uid=%(user)s)"
DEFAULT_GROUP_FILTER = "(objectClass=*)"
DEFAULT_UNIT_ATTR = "ou"
DEFAULT_NAME_ATTR = "cn"
DEFAULT_TIMEOUT = "5"


def _get(env: Mapping[str, str], name: str, default: str = "") -> str:
    return (env.get(name) or default).strip()


def _required(env: Mapping[str, str], name: str, meaning: str) -> str:
    value = _get(env, name)
    if not value:
        raise ImproperlyConfigured(REQUIRED_MESSAGE.format(name=name, meaning=meaning))
    return value


def directory_settings(env: Mapping[str, str]) -> dict:
    """The AUTH_LDAP_* settings (and our LDAP_ROLE_GROUPS, LDAP_UNIT_ATTR), or {} when LDAP_URL is unset."""
    url = _get(env, "LDAP_URL")
    if not url:
        return {}
    try:
        import ldap
        from django_auth_ldap import config
    except ImportError as exc:
        raise ImproperlyConfigured(NOT_INSTALLED_MESSAGE) from exc

    group_type = _get(env, "LDAP_GROUP_TYPE", "groupOfNames")
    if group_type not in GROUP_TYPES:
        raise ImproperlyConfigured(BAD_GROUP_TYPE_MESSAGE.format(choices="、".join(GROUP_TYPES), value=group_type))
    timeout = _get(env, "LDAP_TIMEOUT", DEFAULT_TIMEOUT)
    if not timeout.isdigit() or int(timeout) < 1:
        raise ImproperlyConfigured(BAD_NUMBER_MESSAGE.format(name="LDAP_TIMEOUT", value=timeout))
    user_base = _required(env, "LDAP_USER_SEARCH_BASE", "在哪个目录节点下查找用户，如 ou=people,dc=ankang,dc=gov,dc=cn")
    group_base = _required(env, "LDAP_GROUP_SEARCH_BASE", "在哪个目录节点下查找组，如 ou=groups,dc=ankang,dc=gov,dc=cn")
    disabled = _get(env, "LDAP_DISABLED_GROUP")
    return {
        "AUTH_LDAP_SERVER_URI": url,
        "AUTH_LDAP_BIND_DN": _get(env, "LDAP_BIND_DN"),
        "AUTH_LDAP_BIND_PASSWORD": env.get("LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_START_TLS": _get(env, "LDAP_START_TLS").lower() in {"1", "true", "yes", "on"},
        # A directory that does not answer must not hang the login page (local accounts still log in).
        "AUTH_LDAP_CONNECTION_OPTIONS": {ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: int(timeout),
                                         ldap.OPT_TIMEOUT: int(timeout)},
        "AUTH_LDAP_USER_SEARCH": config.LDAPSearch(user_base, ldap.SCOPE_SUBTREE,
                                                   _get(env, "LDAP_USER_FILTER", DEFAULT_USER_FILTER)),
        "AUTH_LDAP_GROUP_SEARCH": config.LDAPSearch(group_base, ldap.SCOPE_SUBTREE,
                                                    _get(env, "LDAP_GROUP_FILTER", DEFAULT_GROUP_FILTER)),
        "AUTH_LDAP_GROUP_TYPE": getattr(config, GROUP_TYPES[group_type])(),
        # Members of this group are disabled accounts: the directory refuses them before anything else.
        "AUTH_LDAP_DENY_GROUP": disabled or None,
        "AUTH_LDAP_USER_ATTR_MAP": {"first_name": _get(env, "LDAP_NAME_ATTR", DEFAULT_NAME_ATTR), "email": "mail"},
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_CACHE_TIMEOUT": 0,
        # Ours (read by publicity/directory.py): which directory group is which role, which attribute the unit.
        "LDAP_ROLE_GROUPS": _get(env, "LDAP_ROLE_GROUPS"),
        "LDAP_GROUP_SEARCH_BASE": group_base,
        "LDAP_UNIT_ATTR": _get(env, "LDAP_UNIT_ATTR", DEFAULT_UNIT_ATTR),
    }
