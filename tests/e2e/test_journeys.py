import pytest
from selenium.webdriver.common.by import By

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_officer_logs_in_and_sees_the_own_unit(reference_data, browser, live_server, login, shoot):
    from publicity import roles
    from tests.conftest import make_user

    make_user("alice", roles.OFFICER, "汉滨区")
    browser.get(live_server.url + "/login/")
    shoot("login")
    login("alice", "pw-alice")
    header = browser.find_element(By.CSS_SELECTOR, ".site-header").text
    assert "汉滨区" in header and "信息宣传员" in header
    shoot("officer-home")


def test_a_wrong_password_is_explained_in_chinese(reference_data, browser, live_server, login):
    login("nobody", "wrong")
    assert "请输入一个正确的" in browser.find_element(By.CSS_SELECTOR, ".errorlist").text
