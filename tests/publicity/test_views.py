import pytest

pytestmark = pytest.mark.django_db


def test_the_start_page_needs_a_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_the_login_page_is_in_chinese(client):
    body = client.get("/login/").content.decode()
    assert "用户名" in body and "密码" in body and 'lang="zh-Hans"' in body


def test_an_officer_sees_the_own_unit_and_role_on_the_start_page(client, alice):
    client.force_login(alice)
    body = client.get("/").content.decode()
    assert "汉滨区" in body and "信息宣传员" in body


def test_a_wrong_password_gets_a_chinese_message(client, alice):
    response = client.post("/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_the_start_page_shows_the_latest_year_with_quotas(client, alice):
    client.force_login(alice)
    assert "2011年度宣传工作" in client.get("/").content.decode()
    assert "2012年度宣传工作" in client.get("/?year=2012").content.decode()


def test_an_officer_sees_the_units_progress_toward_each_quota_line(client, alice, make_publication, hanbin):
    for i in range(3):
        make_publication(hanbin, title=f"进度{i}")
    client.force_login(alice)
    body = client.get("/?year=2011").content.decode()
    assert "本单位2011年任务进度" in body
    assert "3/40" in body  # 市级及以上媒体新闻稿件: 3 approved of 40
    assert "还差 37 篇市级及以上媒体新闻稿件" in body
