from django.urls import path

from publicity import views_contrib, views_reports

app_name = "reporting"

urlpatterns = [
    path("contributions/", views_contrib.contribution_list, name="contributions"),
    path("contributions/new/", views_contrib.contribution_new, name="contribution_new"),
    path("contributions/<int:pk>/", views_contrib.contribution_detail, name="contribution"),
    path("contributions/<int:pk>/publish/", views_contrib.contribution_publish_view, name="contribution_publish"),
    path("contributions/<int:pk>/return/", views_contrib.contribution_return_view, name="contribution_return"),
    path("contributions/<int:pk>/scan/", views_contrib.contribution_scan, name="contribution_scan"),
    path("reports/", views_reports.report_list, name="reports"),
    path("reports/new/<str:key>/", views_reports.report_new, name="report_new"),
    path("reports/<int:pk>/", views_reports.report_detail, name="report"),
    path("reports/<int:pk>/detail.xlsx", views_reports.report_export, name="report_export"),
    path("reports/<int:pk>/attachment/", views_reports.report_attachment, name="report_attachment"),
    path("roster/", views_reports.roster, name="roster"),
    path("compliance/", views_reports.compliance, name="compliance"),
    path("compliance.xlsx", views_reports.compliance_export, name="compliance_export"),
]
