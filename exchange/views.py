"""Excel tables for everybody outside the admin: blank templates, the own unit's detail table, and the
statistics table for reviewers and leaders. Imports stay in the admin (a reviewer's tool)."""

from django import forms
from django.shortcuts import render
from django.utils import timezone

from exchange import services
from publicity import roles
from publicity.models import Publication
from publicity.roles import role_required

ALL_ROLES = (roles.OFFICER, roles.REVIEWER, roles.LEADER, roles.UNIT_HEAD, roles.ADMINISTRATOR)
YEAR_MESSAGE = "年度应为 2000 至 2100 之间的整数，如 2011。"


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100,
                              error_messages={"invalid": YEAR_MESSAGE, "min_value": YEAR_MESSAGE,
                                              "max_value": YEAR_MESSAGE, "required": YEAR_MESSAGE})


def _year_form(request) -> YearForm:
    return YearForm(request.GET or None, initial={"year": timezone.localdate().year})


def _page(request, form, status=200):
    return render(request, "exchange/home.html", {
        "form": form, "may_see_statistics": roles.sees_all_units(request.user),
        "is_reviewer": roles.is_reviewer(request.user)}, status=status)


@role_required(*ALL_ROLES)
def exchange_home(request):
    return _page(request, _year_form(request))


@role_required(*ALL_ROLES)
def articles_template_download(request):
    return services.articles_template().response("稿件明细表模板.xlsx")


@role_required(roles.REVIEWER)
def quotas_template_download(request):
    return services.quotas_template().response("任务分解表模板.xlsx")


@role_required(*ALL_ROLES)
def articles_download(request):
    form = _year_form(request)
    if not form.is_valid():
        return _page(request, form, status=400)
    year = form.cleaned_data["year"]
    publications = Publication.objects.visible_to(request.user).in_year(year)
    book = services.articles_export(publications=publications, actor=request.user, description=f"{year}年")
    return book.response(f"{year}年稿件明细表.xlsx")


@role_required(roles.REVIEWER, roles.LEADER, roles.ADMINISTRATOR)
def statistics_download(request):
    form = _year_form(request)
    if not form.is_valid():
        return _page(request, form, status=400)
    year = form.cleaned_data["year"]
    return services.statistics_export(year=year, actor=request.user).response(f"{year}年度宣传任务统计表.xlsx")
