"""Issue 19 point 4: a bad URL parameter is never a server error.

Every page, list and export of the project and of the admin is requested as every persona with bad values
(99999, 0, -1, 1e5, abc, empty) in every parameter it takes. Which parameters a page takes is read from the
page itself (the names of its GET forms and of the query strings of its own links, e.g. the admin's filters,
sorting and pages), plus the usual ones (year, page, p, o, sort, q…), so a new page or filter is covered
without touching this test. Years in the path (/scoring/unit/<year>/<unit>/) outside 2000–2100 are a 404.

The test client re-raises a view's exception, so a crash fails here with its traceback.
"""

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib import admin
from django.urls import get_resolver, reverse

from core.years import YEAR_MAX, YEAR_MIN
from tests.test_permission_matrix import (  # noqa: F401 (fixtures)
    ACCESS,
    PERSONAS,
    admin_allowed,
    login_as,
    quick_pdfs,
    url_for,
    walk,
    world,
)

BAD_VALUES = ("99999", "0", "-1", "1e5", "abc", "")
# Parameters that pages commonly read, tried on every page besides those the page shows.
USUAL = ("year", "page", "p", "o", "sort", "q")
# Every persona sends every bad value in all parameters at once; one persona per page (the first of these
# who may open it) also sends every parameter on its own, so that one refused parameter cannot hide another.
EACH_ORDER = ("rita", "alice", "leo", "hank", "superuser", "bob", "anonymous")
# Links and forms that lead elsewhere or change state are no parameters of the page itself.
NOT_PARAMETERS = {"csrfmiddlewaretoken", "next", "_changelist_filters"}
ADMIN_ACTIONS = ("changelist", "add", "change", "delete", "history")


class ParameterNames(HTMLParser):
    """Names of the GET forms' fields and of the query strings of the links to the page itself."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.names: set[str] = set()
        self._in_post_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_post_form = (attrs.get("method") or "get").lower() == "post"
        elif tag in ("input", "select", "textarea") and not self._in_post_form and attrs.get("name"):
            self.names.add(attrs["name"])
        elif tag == "a" and attrs.get("href"):
            parts = urlsplit(attrs["href"])
            if parts.query and parts.path in ("", self.path):
                self.names |= {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False


def parameters_of(response, path: str) -> set[str]:
    parser = ParameterNames(path)
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        parser.feed(response.content.decode("utf-8", "replace"))
    return (parser.names | set(USUAL)) - NOT_PARAMETERS


def admin_pages() -> dict[str, str]:
    """URL name → model label of every admin list and of the admin's own pages that read the list's filters
    (exports, statistics, templates): every admin URL of a model without an object in its path."""
    labels = {f"{m._meta.app_label}_{m._meta.model_name}": m._meta.label_lower for m in admin.site._registry}
    pages = {}
    for name, pattern in walk(get_resolver().url_patterns):
        if not name.startswith("admin:") or pattern.pattern.converters:
            continue
        for prefix, label in labels.items():
            action = name.removeprefix(f"admin:{prefix}_")
            if action != name and action not in ("add",):
                pages[name] = label
    return pages


def ok(response, url: str, persona: str):
    assert response.status_code < 500, f"{persona}: {url} → {response.status_code}"


def fuzz_page(client, url: str, persona: str, *, each: bool):
    """All parameters bad at once for every value; with `each`, also every parameter on its own."""
    path = urlsplit(url).path
    names = sorted(parameters_of(client.get(url), path))
    for value in BAD_VALUES:
        ok(client.get(url, {name: value for name in names}), f"{url} (all={value!r})", persona)
        if each:
            for name in names:
                ok(client.get(url, {name: value}), f"{url}?{name}={value}", persona)
    return names


def readable_project_pages():
    """URL name → who may open it, for every project page that answers GET to somebody."""
    return {name: allowed for name, (allowed, _) in ACCESS.items()
            if allowed and not name.startswith("admin:") and name not in ("logout", "healthz")}


def tries_each(persona: str, allowed) -> bool:
    return persona == next(p for p in EACH_ORDER if p in allowed)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_answers_a_bad_parameter_with_a_server_error(persona, client, request, world):  # noqa: F811
    login_as(client, persona, request)
    walked = 0
    for name, allowed in sorted(readable_project_pages().items()):
        fuzz_page(client, url_for(name, world), persona, each=tries_each(persona, allowed))
        walked += 1
    assert walked > 50


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_admin_list_or_export_answers_a_bad_parameter_with_a_server_error(persona, client, request, world):  # noqa: F811
    login_as(client, persona, request)
    pages = admin_pages()
    assert "admin:scoring_quota_statistics" in pages and "admin:publicity_publication_export" in pages
    for name, label in sorted(pages.items()):
        url = reverse(name)
        allowed = admin_allowed(persona, label, "changelist")
        each = allowed and persona == ("rita" if admin_allowed("rita", label, "changelist") else "superuser")
        names = fuzz_page(client, url, persona, each=each)
        if each and name.endswith("_changelist"):
            # The list's own filters (read from its links), tried on its exports too.
            for other, other_label in pages.items():
                if other_label == label and other != name:
                    for value in BAD_VALUES:
                        ok(client.get(reverse(other), {n: value for n in names}), f"{other} ({value!r})", persona)


def year_patterns():
    """URL names whose path carries a year, with that parameter's name."""
    for name, pattern in walk(get_resolver().url_patterns):
        for key in pattern.pattern.converters:
            if "year" in key:
                yield name, key


def test_the_walk_finds_the_pages_with_a_year_in_the_path():
    assert {"scoring:unit", "scoring:unit_pdf", "scoring:objection_lodge"} <= {n for n, _ in year_patterns()}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_a_year_outside_the_range_in_the_path_is_not_found(persona, client, request, world):  # noqa: F811
    login_as(client, persona, request)
    for name, _key in year_patterns():
        good = url_for(name, world)
        for year in (YEAR_MIN - 1, YEAR_MAX + 1, 99999, 0, 1):
            url = good.replace("/2011/", f"/{year}/", 1)
            assert client.get(url).status_code == 404, f"{persona}: {url}"
            assert client.post(url, {}).status_code == 404, f"{persona}: POST {url}"
        for bad in ("-1", "1e5", "abc", "0000"):
            ok(client.get(good.replace("/2011/", f"/{bad}/", 1)), bad, persona)
