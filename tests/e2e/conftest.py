"""Browser tests: Debian's chromium and chromedriver drive the app on pytest-django's live server.

A missing browser fails in CI (CI=true) and skips with a clear reason on a developer's machine.
Screenshots of every page land in screenshots/ (ignored by git) at 1366×768 and at a phone width.
"""

import os
import shutil
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = {"desktop": (1366, 768), "phone": (390, 844)}
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
DRIVER_CANDIDATES = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")


def _first_existing(paths):
    return next((p for p in paths if Path(p).exists()), None) or None


@pytest.fixture(scope="session")
def browser_paths():
    chromium = _first_existing(CHROMIUM_CANDIDATES) or shutil.which("chromium")
    driver = _first_existing(DRIVER_CANDIDATES) or shutil.which("chromedriver")
    if not (chromium and driver):
        reason = "未找到 Debian 的 chromium / chromium-driver（apt-get install chromium chromium-driver）"
        if os.environ.get("CI"):
            pytest.fail(f"CI 中必须有浏览器：{reason}")
        pytest.skip(reason)
    return chromium, driver


@pytest.fixture
def browser(browser_paths):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager fetch a browser
    chromium, driver_path = browser_paths
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--lang=zh-CN",
                 "--window-size=1366,768"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.implicitly_wait(3)
    yield driver
    driver.quit()


OVERFLOW_SCRIPT = """
const width = arguments[0];
const wide = [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > width + 1)
  .filter(e => !e.parentElement.closest(".table-wrap") || e.classList.contains("table-wrap"))
  .slice(0, 5)
  .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} ${Math.round(e.getBoundingClientRect().right)}`);
return [document.documentElement.scrollWidth, wide];
"""


@pytest.fixture
def shoot(browser):
    """shoot("name") saves the whole current page at both widths, checks that the phone layout fits and runs
    axe-core at both widths (0 serious or critical violations, issue 15).

    The window is made as tall as the page, so that the picture shows it whole from its top.
    """
    from tests.e2e.a11y import assert_accessible

    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str, *, axe: bool = True):
        for label, (width, height) in WIDTHS.items():
            browser.set_window_size(width, height)
            wait_for_width(browser, width)
            # The window is taller than its viewport by the (invisible) browser frame.
            frame, full = browser.execute_script(
                "window.scrollTo(0, 0); return [window.outerHeight - window.innerHeight,"
                " Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)]")
            browser.set_window_size(width, max(height, min(full, 8000)) + frame)
            browser.save_screenshot(str(SCREENSHOTS / f"{name}-{label}.png"))
            if axe:
                assert_accessible(browser, name)
            if label == "phone":
                overflow, culprits = browser.execute_script(OVERFLOW_SCRIPT, width)
                assert overflow <= width, f"{name}: 手机宽度下页面横向溢出（{overflow}px > {width}px）：{culprits}"
        browser.set_window_size(*WIDTHS["desktop"])
        wait_for_width(browser, WIDTHS["desktop"][0])

    return take


def wait_for_width(browser, width: int, timeout: float = 5):
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, timeout).until(lambda b: b.execute_script("return window.innerWidth") == width)


def _gone(element):
    """Like expected_conditions.staleness_of, but Chromium sometimes answers for a node of the document being
    replaced with an "unhandled inspector error: Node … does not belong to the document" instead of a stale
    element: that, too, means the old page is gone (a flake seen under load)."""
    from selenium.common.exceptions import WebDriverException

    def predicate(_driver):
        try:
            element.is_enabled()
        except WebDriverException:
            return True
        return False

    return predicate


def wait_for_new_page(browser, old_html, timeout: float = 10):
    """After a click that submits a form: wait until the old document is gone and the new one is loaded."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, timeout).until(_gone(old_html))
    WebDriverWait(browser, timeout).until(lambda b: b.execute_script("return document.readyState") == "complete")


@pytest.fixture
def login(browser, live_server):
    from selenium.webdriver.common.by import By

    def do(username: str, password: str):
        browser.delete_all_cookies()
        browser.get(live_server.url + "/login/")
        browser.find_element(By.ID, "id_username").send_keys(username)
        browser.find_element(By.ID, "id_password").send_keys(password)
        old = browser.find_element(By.TAG_NAME, "html")
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for_new_page(browser, old)

    return do
