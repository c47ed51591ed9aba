from django.urls import path

from api import docs, views

app_name = "api"

urlpatterns = [
    path("v1/", views.ApiRoot.as_view(), name="root"),
    path("v1/units/", views.UnitList.as_view(), name="units"),
    path("v1/units/<int:pk>/", views.UnitDetail.as_view(), name="unit"),
    path("v1/quotas/", views.QuotaList.as_view(), name="quotas"),
    path("v1/outlets/", views.OutletList.as_view(), name="outlets"),
    path("v1/assessment/", views.AssessmentView.as_view(), name="assessment"),
    path("v1/bulletin/", views.BulletinView.as_view(), name="bulletin"),
    path("v1/rewards/", views.RewardsView.as_view(), name="rewards"),
    path("v1/records/", views.RecordList.as_view(), name="records"),
    path("v1/records/<int:pk>/", views.RecordDetail.as_view(), name="record"),
    path("v1/records/<int:pk>/submit/", views.RecordSubmit.as_view(), name="record_submit"),
    path("v1/records/<int:pk>/proofs/", views.RecordProofs.as_view(), name="record_proofs"),
    path("v1/records/<int:pk>/approve/", views.RecordApprove.as_view(), name="record_approve"),
    path("v1/records/<int:pk>/reject/", views.RecordReject.as_view(), name="record_reject"),
    path("v1/proofs/<int:pk>/", views.ProofDownload.as_view(), name="proof"),
    path("v1/token/", views.TokenObtain.as_view(), name="token"),
    path("v1/token/revoke/", views.TokenRevoke.as_view(), name="token_revoke"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", docs.api_docs, name="docs"),
]
