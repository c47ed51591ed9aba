"""The quota-line progress markup (scoring/templatetags/progress.py)."""

from django.template import Context, Template

from scoring.rules import LineResult


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_a_line_short_of_its_quota_shows_amber_with_what_is_missing():
    line = LineResult(code="L", label="省级及以上媒体稿件", count=5, have=2, deficit=3)
    html = render("{% lines_progress lines %}", lines=[line])
    assert 'class="bar short"' in html and 'value="40"' in html
    assert "2/5" in html and '<span class="deficit">差3</span>' in html
    assert 'aria-label="省级及以上媒体稿件：已完成2篇，任务5篇"' in html


def test_a_met_line_is_full_and_not_short():
    line = LineResult(code="L", label="新闻稿件", count=4, have=9, deficit=0)
    html = render("{% progress_bar line %}", line=line)
    assert 'class="bar"' in html and 'value="100"' in html and "差" not in html


def test_labels_are_escaped():
    line = LineResult(code="L", label='<script>alert("x")</script>', count=1, have=0, deficit=1)
    html = render("{% lines_progress lines %}{% progress_bar line %}", lines=[line], line=line)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_a_unit_without_lines_says_so():
    assert "本年度无任务" in render("{% lines_progress lines %}", lines=[])


def test_the_bulletins_plain_lines_are_joined_and_escaped():
    lines = [LineResult(code="A", label="市级及以上媒体新闻稿件", count=40, have=38, deficit=2),
             LineResult(code="B", label="<b>专题</b>", count=4, have=4, deficit=0)]
    html = render("{% lines_text lines %}", lines=lines)
    assert html == "市级及以上媒体新闻稿件 38/40；&lt;b&gt;专题&lt;/b&gt; 4/4"
