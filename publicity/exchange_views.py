"""Excel tables for everybody outside the admin: blank templates, the own unit's detail table, and the
statistics table for reviewers and leaders. Imports stay in the admin (a reviewer's tool)."""

from django import forms
from django.shortcuts import render
from django.utils import timezone

from publicity import exchange, roles
from publicity.models import Publication
from publicity.roles import role_required
from publicity.xlsx import xlsx_response

ALL_ROLES = (roles.OFFICER, roles.REVIEWER, roles.LEADER, roles.UNIT_HEAD, roles.ADMINISTRATOR)


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


def _year_form(request) -> YearForm:
    return YearForm(request.GET or None, initial={"year": timezone.localdate().year})


@role_required(*ALL_ROLES)
def exchange_home(request):
    context = {"form": _year_form(request), "may_see_statistics": roles.sees_all_units(request.user),
               "is_reviewer": roles.is_reviewer(request.user)}
    return render(request, "publicity/exchange.html", context)


@role_required(*ALL_ROLES)
def articles_template_download(request):
    return xlsx_response(exchange.articles_template(), "稿件明细表模板.xlsx")


@role_required(roles.REVIEWER)
def quotas_template_download(request):
    return xlsx_response(exchange.quotas_template(), "任务分解表模板.xlsx")


@role_required(*ALL_ROLES)
def articles_download(request):
    form = _year_form(request)
    if not form.is_valid():
        return render(request, "publicity/exchange.html", {"form": form}, status=400)
    year = form.cleaned_data["year"]
    publications = Publication.objects.visible_to(request.user).in_year(year)
    workbook = exchange.articles_export(publications=publications, actor=request.user, description=f"{year}年")
    return xlsx_response(workbook, f"{year}年稿件明细表.xlsx")


@role_required(roles.REVIEWER, roles.LEADER, roles.ADMINISTRATOR)
def statistics_download(request):
    form = _year_form(request)
    if not form.is_valid():
        return render(request, "publicity/exchange.html", {"form": form}, status=400)
    year = form.cleaned_data["year"]
    return xlsx_response(exchange.statistics_export(year=year, actor=request.user), f"{year}年度宣传任务统计表.xlsx")
