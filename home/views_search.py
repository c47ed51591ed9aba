"""The one search box in the header (issue 15): GET /search/?q=…[&year=…][&page=…], for every role, scoped by
visible_to (publicity.search does the searching; the years offered are the years with quotas)."""

from django import forms
from django.shortcuts import render

from core import roles
from core.roles import role_required
from publicity.search import publication_search, search_page
from scoring.services import default_year, years_available

RESULTS_PER_PAGE = 25


class SearchForm(forms.Form):
    q = forms.CharField(label="检索词", max_length=200, required=False,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
                        help_text="标题、作者、媒体、单位或链接的一部分；多个词用空格分开，须同时出现。")
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "全部年度"), *((y, f"{y}年") for y in years_available())]
        self.fields["year"].error_messages["invalid_choice"] = "没有该年度，已在全部年度中检索。"


@role_required(*roles.ROLES)
def search(request):
    form = SearchForm(request.GET or None)
    query, year = "", None
    if form.is_bound:
        form.is_valid()  # a bad year is reported and ignored; the words are searched all the same
        query = form.cleaned_data.get("q") or request.GET.get("q", "")[:200]
        year = form.cleaned_data.get("year")
    found = publication_search(user=request.user, query=query, year=year, default_year=default_year())
    page = search_page(found, request.GET.get("page"), per_page=RESULTS_PER_PAGE) if found.terms else None
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "publicity/search.html", {
        "form": form, "found": found, "page": page, "query": params.urlencode(),
        "sees_all": roles.sees_all_units(request.user),
    })
