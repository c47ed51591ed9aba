"""axe-core in the browser tests (issue 15, item 5): 0 serious or critical violations on every page we check.

axe-core is kept with the tests (tests/e2e/vendor/axe-core/, from the npm registry, MPL-2.0) and injected into
the page under test by Selenium; it is never served to users. Selenium's scripts run through the browser's
DevTools protocol, which the pages' Content-Security-Policy does not restrict.
"""

from pathlib import Path

AXE_SOURCE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# WCAG 2.1 A and AA (GB/T 37668 follows WCAG 2.0 AA) plus axe's best practices.
RUN_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
               "resultTypes": ["violations"]}

_RUN = """
const options = arguments[0], done = arguments[arguments.length - 1];
axe.run(document, options).then(result => done(result.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " → " + (n.failureSummary || "").split("\\n")[1])
})))).catch(error => done([{id: "axe-error", impact: "critical", help: String(error), nodes: []}]));
"""


def axe_violations(browser) -> list[dict]:
    """The page's serious and critical axe violations (the script is injected once per page)."""
    if not browser.execute_script("return typeof window.axe === 'object'"):
        browser.execute_script(AXE_SOURCE.read_text(encoding="utf-8"))
    browser.set_script_timeout(60)
    violations = browser.execute_async_script(_RUN, RUN_OPTIONS)
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"  [{v['impact']}] {v['id']}: {v['help']}\n      " + "\n      ".join(v["nodes"])
                     for v in violations)


def assert_accessible(browser, name: str) -> None:
    violations = axe_violations(browser)
    assert not violations, f"{name}（{browser.execute_script('return window.innerWidth')}px）无障碍问题：\n" + describe(
        violations)
