"""Directory login against a real OpenLDAP server (Debian's slapd on a free loopback port).

The directory holds the bureau's staff: 张伟 (zhangwei), officer of 汉滨区; 李娜 (lina), head of 汉滨区; 王芳
(wangfang), reviewer; 刘洋 (liuyang), leader; 管理 (guanli), administrator (group named like the role, the
default mapping); 陈静 (chenjing), officer of 汉阴县, whose role and unit the tests change; 赵磊 (zhaolei),
disabled; 孙丽 (sunli), in no group of ours; 周杰 (zhoujie), of a unit we do not know; and a directory entry
"alice" that must not take over the local account Alice.
"""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config.directory import directory_settings
from core import roles
from core.models import AuditEvent
from publicity.models import Unit
from tests.conftest import make_user

SUFFIX = "dc=ankang,dc=gov,dc=cn"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "slapd-test-admin"
PASSWORD = "Dir-Pass-2011"
SCHEMAS = ("core", "cosine", "inetorgperson", "nis")

PERSONS = {  # uid: (cn, ou)
    "zhangwei": ("张伟", "汉滨区"), "lina": ("李娜", "汉滨区"), "wangfang": ("王芳", "政策法规与信息化管理科"),
    "liuyang": ("刘洋", "局领导"), "guanli": ("管理", "办公室"), "chenjing": ("陈静", "汉阴县"),
    "zhaolei": ("赵磊", "汉滨区"), "sunli": ("孙丽", "汉滨区"), "zhoujie": ("周杰", "火星区"),
    "alice": ("Alice 的目录账号", "汉阴县"),
}
GROUP_MEMBERS = {  # cn: uids
    "xcy": ("zhangwei", "chenjing", "zhaolei", "zhoujie", "alice"), "fzr": ("lina",), "shenhe": ("wangfang",),
    "lingdao": ("liuyang",), "管理员": ("guanli",), "disabled": ("zhaolei",),
}
ROLE_GROUPS = f"信息宣传员=xcy; 审核员=cn=shenhe,{GROUPS}; 领导=lingdao; 单位负责人=fzr"


def dn(uid: str) -> str:
    return f"uid={uid},{PEOPLE}"


def personas_ldif() -> str:
    entries = [f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: ankang\no: 安康市人社局",
               f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people",
               f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups"]
    for uid, (cn, ou) in PERSONS.items():
        entries.append(f"dn: {dn(uid)}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {cn}\nsn: {cn[0]}\nou: {ou}\n"
                       f"mail: {uid}@ankang.gov.cn\nuserPassword: {PASSWORD}")
    for cn, members in GROUP_MEMBERS.items():
        lines = "\n".join(f"member: {dn(uid)}" for uid in members)
        entries.append(f"dn: cn={cn},{GROUPS}\nobjectClass: groupOfNames\ncn: {cn}\n{lines}")
    return "\n\n".join(entries) + "\n"


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"CI 中必须能用 slapd 测试目录登录：{reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    """A throwaway OpenLDAP server with the personas, for the whole test session."""
    try:
        import django_auth_ldap  # noqa: F401
        import ldap  # noqa: F401
    except ImportError:
        _unavailable("未安装 python-ldap / django-auth-ldap（apt-get install libldap2-dev libsasl2-dev，"
                     "再 pip install -e '.[ldap]'）")
    binaries = {name: shutil.which(name) or f"/usr/sbin/{name}" for name in ("slapd", "slapadd")}
    if not all(Path(path).exists() for path in binaries.values()) or not Path("/etc/ldap/schema/core.schema").exists():
        _unavailable("未找到 Debian 的 slapd（apt-get install slapd ldap-utils）")
    folder = tmp_path_factory.mktemp("slapd")
    (folder / "db").mkdir()
    config = folder / "slapd.conf"
    config.write_text("\n".join([
        *(f"include /etc/ldap/schema/{name}.schema" for name in SCHEMAS),
        "modulepath /usr/lib/ldap", "moduleload back_mdb", f"pidfile {folder}/slapd.pid",
        "database mdb", "maxsize 10485760", f'suffix "{SUFFIX}"', f'rootdn "{ADMIN_DN}"',
        f"rootpw {ADMIN_PASSWORD}", f"directory {folder}/db", ""]))
    (folder / "personas.ldif").write_text(personas_ldif(), encoding="utf-8")
    subprocess.run([binaries["slapadd"], "-f", str(config), "-l", str(folder / "personas.ldif")], check=True,
                   capture_output=True)
    port = _free_port()
    url = f"ldap://127.0.0.1:{port}"
    # -d 0: stay in the foreground (no fork), so that this process is the server and we stop it by its id.
    server = subprocess.Popen([binaries["slapd"], "-f", str(config), "-h", f"{url}/", "-d", "0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"slapd 未能启动：{server.stderr.read().decode(errors='replace')[-2000:]}")
            time.sleep(0.1)
    yield url
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def env_for(url: str, **extra) -> dict:
    return {"LDAP_URL": url, "LDAP_BIND_DN": ADMIN_DN, "LDAP_BIND_PASSWORD": ADMIN_PASSWORD,
            "LDAP_USER_SEARCH_BASE": PEOPLE, "LDAP_GROUP_SEARCH_BASE": GROUPS, "LDAP_ROLE_GROUPS": ROLE_GROUPS,
            "LDAP_DISABLED_GROUP": f"cn=disabled,{GROUPS}", "LDAP_TIMEOUT": "2", **extra}


@pytest.fixture
def directory(settings, slapd):
    """The app configured as config/settings.py does when the LDAP_* variables are set."""
    for name, value in directory_settings(env_for(slapd)).items():
        setattr(settings, name, value)
    backends = list(settings.AUTHENTICATION_BACKENDS)
    settings.AUTHENTICATION_BACKENDS = [backends[0], "publicity.directory.DirectoryBackend", *backends[1:]]
    return slapd


@pytest.fixture
def modify(slapd):
    """modify(dn, [(op, attribute, values)]) as the directory's administrator."""
    import ldap

    connection = ldap.initialize(slapd)
    connection.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)

    def change(target: str, changes):
        connection.modify_s(target, [(op, attr, [v.encode() for v in values]) for op, attr, values in changes])

    yield change
    connection.unbind_s()


def log_in(client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("home")


pytestmark = pytest.mark.django_db


def test_a_directory_officer_gets_the_role_the_unit_and_an_audited_account(client, directory):
    assert logged_in(log_in(client, "zhangwei"))
    user = User.objects.get(username="zhangwei")
    assert not user.has_usable_password() and user.first_name == "张伟" and user.email == "zhangwei@ankang.gov.cn"
    assert set(user.groups.values_list("name", flat=True)) == {roles.OFFICER}
    assert roles.unit_of(user) == Unit.objects.get(name="汉滨区") and not user.is_staff
    created = AuditEvent.objects.get(action="user.add", target_id=str(user.pk))
    assert created.summary == "目录账号首次登录，新增用户：zhangwei" and created.actor_name == "系统"
    assert created.after["roles"] == [roles.OFFICER] and created.after["unit"] == "汉滨区"
    assert client.get(reverse("portal:record_create")).status_code == 200  # an officer's page

    client.logout()
    assert logged_in(log_in(client, "zhangwei"))
    assert AuditEvent.objects.filter(target_id=str(user.pk)).count() == 1  # nothing changed, nothing logged


@pytest.mark.parametrize(("uid", "role", "unit", "staff"), [
    ("lina", roles.UNIT_HEAD, "汉滨区", False),
    ("wangfang", roles.REVIEWER, "政策法规与信息化管理科", True),
    ("liuyang", roles.LEADER, None, False),  # 局领导 is no unit of ours: a leader needs none
    ("guanli", roles.ADMINISTRATOR, "办公室", True),  # default mapping: the group named 管理员
])
def test_each_directory_group_is_one_of_our_roles(client, directory, uid, role, unit, staff):
    assert logged_in(log_in(client, uid))
    user = User.objects.get(username=uid)
    assert set(user.groups.values_list("name", flat=True)) == {role}
    assert (roles.unit_of(user).name if roles.unit_of(user) else None) == unit
    assert user.is_staff is staff


def test_a_role_and_unit_change_in_the_directory_is_applied_and_audited(client, directory, modify):
    assert logged_in(log_in(client, "chenjing"))
    user = User.objects.get(username="chenjing")
    assert roles.unit_of(user).name == "汉阴县"
    import ldap

    modify(f"cn=xcy,{GROUPS}", [(ldap.MOD_DELETE, "member", [dn("chenjing")])])
    modify(f"cn=fzr,{GROUPS}", [(ldap.MOD_ADD, "member", [dn("chenjing")])])
    modify(dn("chenjing"), [(ldap.MOD_REPLACE, "ou", ["汉滨区"])])
    try:
        client.logout()
        assert logged_in(log_in(client, "chenjing"))
        user = User.objects.get(username="chenjing")
        user.__dict__.pop("_role_names", None)
        assert set(user.groups.values_list("name", flat=True)) == {roles.UNIT_HEAD}
        assert roles.unit_of(user).name == "汉滨区"
        change = AuditEvent.objects.get(action="user.change", target_id=str(user.pk))
        assert change.summary == "按目录同步用户：chenjing"
        assert (change.before["roles"], change.after["roles"]) == ([roles.OFFICER], [roles.UNIT_HEAD])
        assert (change.before["unit"], change.after["unit"]) == ("汉阴县", "汉滨区")
    finally:
        modify(f"cn=fzr,{GROUPS}", [(ldap.MOD_DELETE, "member", [dn("chenjing")])])
        modify(f"cn=xcy,{GROUPS}", [(ldap.MOD_ADD, "member", [dn("chenjing")])])
        modify(dn("chenjing"), [(ldap.MOD_REPLACE, "ou", ["汉阴县"])])


@pytest.mark.parametrize(("uid", "password"), [
    ("zhaolei", PASSWORD),     # disabled: in LDAP_DISABLED_GROUP
    ("sunli", PASSWORD),       # in none of our role groups
    ("zhangwei", "wrong"),     # wrong password
    ("nobody", PASSWORD),      # not in the directory
])
def test_disabled_unassigned_and_wrong_logins_are_refused(client, directory, uid, password):
    response = log_in(client, uid, password)
    assert response.status_code == 200 and "请输入一个正确的" in response.content.decode()
    assert not User.objects.filter(username=uid).exists()


def test_a_user_deactivated_here_cannot_log_in_and_loses_the_session(client, directory):
    assert logged_in(log_in(client, "zhangwei"))
    assert client.get(reverse("portal:records")).status_code == 200
    User.objects.filter(username="zhangwei").update(is_active=False)
    assert client.get(reverse("portal:records")).status_code == 302  # the session no longer holds
    assert log_in(client, "zhangwei").status_code == 200


def test_local_accounts_keep_working_and_cannot_be_taken_over(client, directory):
    alice = make_user("alice", roles.OFFICER, "汉滨区")
    assert not logged_in(log_in(client, "alice", PASSWORD))  # the directory's "alice" password
    assert logged_in(log_in(client, "alice", "pw-alice"))
    alice.refresh_from_db()
    assert alice.has_usable_password() and roles.unit_of(alice).name == "汉滨区"
    assert not AuditEvent.objects.filter(target_id=str(alice.pk)).exists()


def test_the_lock_out_applies_to_directory_accounts(client, directory, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "zhangwei", "wrong").status_code == 200
    assert log_in(client, "zhangwei", "wrong").status_code == 429
    locked = log_in(client, "zhangwei")
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    assert not User.objects.filter(username="zhangwei").exists()


def test_an_unreachable_directory_leaves_local_logins_working(client, directory, settings):
    settings.AUTH_LDAP_SERVER_URI = f"ldap://127.0.0.1:{_free_port()}"
    make_user("alice", roles.OFFICER, "汉滨区")
    started = time.monotonic()
    assert log_in(client, "zhangwei").status_code == 200
    assert time.monotonic() - started < 10
    assert logged_in(log_in(client, "alice", "pw-alice"))


def test_a_unit_unknown_here_leaves_the_user_without_a_unit_and_says_so(client, directory):
    assert logged_in(log_in(client, "zhoujie"))
    user = User.objects.get(username="zhoujie")
    assert roles.unit_of(user) is None and roles.unit_scope(user) == []
    event = AuditEvent.objects.get(action="user.add", target_id=str(user.pk))
    assert "目录中的单位「火星区」在本系统中不存在" in event.summary


def test_a_directory_user_obtains_an_api_token_with_the_directory_password(client, directory):
    response = client.post(reverse("api:token"), {"username": "wangfang", "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 201
    key = response.json()["token"]
    records = client.get(reverse("api:records"), HTTP_AUTHORIZATION=f"Token {key}")
    assert records.status_code == 200


# --- configuration, without a server ------------------------------------------------------------------


def test_without_ldap_url_directory_login_is_off():
    assert directory_settings({}) == {}
    assert directory_settings({"LDAP_URL": "  "}) == {}


@pytest.mark.parametrize(("env", "message"), [
    ({"LDAP_URL": "ldap://x", "LDAP_GROUP_SEARCH_BASE": GROUPS}, "LDAP_USER_SEARCH_BASE"),
    ({"LDAP_URL": "ldap://x", "LDAP_USER_SEARCH_BASE": PEOPLE}, "LDAP_GROUP_SEARCH_BASE"),
    ({**env_for("ldap://x"), "LDAP_GROUP_TYPE": "nested"}, "LDAP_GROUP_TYPE 只能是"),
    ({**env_for("ldap://x"), "LDAP_TIMEOUT": "soon"}, "LDAP_TIMEOUT 应为正整数"),
])
def test_an_incomplete_configuration_is_refused_in_chinese(env, message):
    pytest.importorskip("django_auth_ldap")
    with pytest.raises(ImproperlyConfigured, match=message):
        directory_settings(env)


def test_role_groups_are_full_dns_or_names_under_the_group_base():
    directory = pytest.importorskip("publicity.directory")
    mapping = directory.role_group_dns(ROLE_GROUPS, GROUPS)
    assert mapping[roles.OFFICER] == f"cn=xcy,{GROUPS}"
    assert mapping[roles.REVIEWER] == f"cn=shenhe,{GROUPS}"
    assert mapping[roles.ADMINISTRATOR] == f"cn=管理员,{GROUPS}"  # left out: named like the role
    assert directory.roles_for([f"CN=XCY, OU=groups, {SUFFIX}"], mapping) == {roles.OFFICER}
    with pytest.raises(ValueError, match="「审核元」不是本系统的角色"):
        directory.role_group_dns("审核元=shenhe", GROUPS)
    with pytest.raises(ValueError, match="应写成 角色=组"):
        directory.role_group_dns("审核员", GROUPS)


def test_manage_py_check_reports_a_mistyped_role(settings):
    directory = pytest.importorskip("publicity.directory")
    settings.AUTH_LDAP_SERVER_URI = "ldap://x"
    settings.LDAP_ROLE_GROUPS = "审核元=shenhe"
    settings.LDAP_GROUP_SEARCH_BASE = GROUPS
    errors = directory.check_role_groups()
    assert [e.id for e in errors] == ["publicity.E018"] and "审核元" in errors[0].msg


def manage(*args: str, **env: str):
    from tests.test_deploy_settings import manage as run

    # DEBUG is off by default (issue 19): the subprocess gets the suite's test-only key (tests/environment.py).
    return run(*args, **{"SECRET_KEY": os.environ["SECRET_KEY"], **{name: "" for name in ENV_NAMES}, **env})


ENV_NAMES = ("LDAP_URL", "LDAP_BIND_DN", "LDAP_BIND_PASSWORD", "LDAP_USER_SEARCH_BASE", "LDAP_GROUP_SEARCH_BASE",
             "LDAP_ROLE_GROUPS", "LDAP_DISABLED_GROUP", "LDAP_TIMEOUT")


def test_the_ldap_variables_put_the_directory_after_the_lock_out_and_before_local_accounts():
    pytest.importorskip("django_auth_ldap")
    code = "from django.conf import settings; print(','.join(settings.AUTHENTICATION_BACKENDS))"
    result = manage("shell", "-c", code, **env_for("ldap://127.0.0.1:1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split(",") == [
        "config.security.LoginLockoutBackend", "publicity.directory.DirectoryBackend",
        "django.contrib.auth.backends.ModelBackend"]
    without = manage("shell", "-c", code)
    assert "DirectoryBackend" not in without.stdout


def test_a_bad_directory_configuration_stops_the_start_with_a_chinese_message():
    pytest.importorskip("django_auth_ldap")
    incomplete = manage("check", LDAP_URL="ldap://127.0.0.1:1")
    assert incomplete.returncode != 0 and "设置了 LDAP_URL 时必须同时设置 LDAP_USER_SEARCH_BASE" in incomplete.stderr
    mistyped = manage("check", **{**env_for("ldap://127.0.0.1:1"), "LDAP_ROLE_GROUPS": "审核元=shenhe"})
    assert mistyped.returncode != 0 and "publicity.E018" in mistyped.stderr
