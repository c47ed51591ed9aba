"""The REST API, /api/v1/ (issue 18). Thin like the pages: scope and role → the pages' form → one service.

Nothing here decides who sees what or what a change may do: records come through
Publication.objects.visible_to (the one scoping rule), input through the web forms (publicity/forms.py),
writes through publicity/services.py (year lock, workflow, audit, notifications), and the assessment,
bulletin and rewards are the very functions the `assess` and `rewards` commands print.
"""

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics, status, views
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api import serializers as s
from api.permissions import role_check
from api.throttling import TokenObtainThrottle
from api.tokens import api_token_for_person, api_token_revoke
from core import roles
from core.years import chosen_year, year_in_range
from publicity import services
from publicity.filters import PublicationFilter
from publicity.forms import EntryForm, MultipleProofField, PublicationForm, RejectForm
from publicity.models import Manuscript, Outlet, Publication, Unit
from publicity.views import proof_download
from rewards.services import rewards_for_year, rewards_json
from scoring.models import Quota
from scoring.services import assess_year, assessment_json, bulletin_for_year, years_available

YEAR_INVALID_MESSAGE = "年度应为2000至2100之间的整数，如 ?year=2011。"
NUMBER_INVALID_MESSAGE = "{name} 应为整数编号。"
FIX_ERRORS_MESSAGE = "有{count}处需要修改，见 errors。"
FILTER_ERRORS_MESSAGE = "查询条件有误，见 errors。"
LOGIN_FAILED_MESSAGE = "用户名或密码不正确（目录账号请使用目录密码）。"
NO_FILES_MESSAGE = "请选择要上传的凭证文件（multipart/form-data，字段名 file，可多个）。"
NOT_A_TOKEN_MESSAGE = "此接口用于撤销当前请求所用的令牌，请用令牌认证调用。"
REVOKED_MESSAGE = "令牌已撤销。"

YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="年度，如 2011；不填为最近一个有任务的年度。")
UNIT = OpenApiParameter("unit", OpenApiTypes.INT, description="只看这个单位（单位编号）。")
ERRORS = {400: s.ErrorJson, 401: s.ErrorJson, 403: s.ErrorJson, 404: s.ErrorJson, 429: s.ErrorJson}


def _year(request) -> int:
    value = request.query_params.get("year")
    if value in (None, ""):
        return chosen_year(request._request, years_available())[0]  # the pages' default year
    if not value.isdigit() or not year_in_range(int(value)):
        raise ValidationError({"detail": YEAR_INVALID_MESSAGE})
    return int(value)


def _number(value, name: str) -> int:
    if not str(value).isdigit():
        raise ValidationError({"detail": NUMBER_INVALID_MESSAGE.format(name=name)})
    return int(value)


def _form_errors(form, message: str = FIX_ERRORS_MESSAGE) -> Response:
    errors = {("non_field_errors" if field == "__all__" else field): [str(e) for e in messages]
              for field, messages in form.errors.items()}
    return Response({"detail": message.format(count=len(errors)), "errors": errors},
                    status=status.HTTP_400_BAD_REQUEST)


# --- reference data ------------------------------------------------------------------------------------


class ApiRoot(views.APIView):
    api_area = "reference"

    @extend_schema(exclude=True)
    def get(self, request):
        names = ("units", "quotas", "outlets", "assessment", "bulletin", "rewards", "records", "token")
        return Response({name: request.build_absolute_uri(reverse(f"api:{name}")) for name in names}
                        | {"schema": request.build_absolute_uri(reverse("api:schema")),
                           "docs": request.build_absolute_uri(reverse("api:docs"))})


class UnitList(generics.ListAPIView):
    """单位：审核员、领导看到全部单位，信息宣传员和单位负责人只看到本单位。"""

    api_area = "reference"
    api_tag = "单位与任务"
    serializer_class = s.UnitSerializer
    pagination_class = None

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user).order_by("kind", "sort_order", "name")


class UnitDetail(generics.RetrieveAPIView):
    api_area = "reference"
    api_tag = "单位与任务"
    serializer_class = s.UnitSerializer

    def get_queryset(self):
        return Unit.objects.visible_to(self.request.user)


class QuotaList(generics.ListAPIView):
    """某年度各单位的任务数（只含可查看的单位）。"""

    api_area = "reference"
    api_tag = "单位与任务"
    serializer_class = s.QuotaSerializer
    pagination_class = None

    @extend_schema(parameters=[YEAR, UNIT])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        quotas = (Quota.objects.for_year(_year(self.request))
                  .filter(unit__in=Unit.objects.visible_to(self.request.user))
                  .order_by("unit__kind", "unit__sort_order", "unit__name", "line__sort_order", "line__code"))
        unit = self.request.query_params.get("unit")
        return quotas.filter(unit_id=_number(unit, "unit")) if unit else quotas


class OutletList(generics.ListAPIView):
    """媒体及其别名：录入刊发记录时 outlet 可填名称或别名。"""

    api_area = "reference"
    api_tag = "单位与任务"
    serializer_class = s.OutletSerializer
    pagination_class = None

    def get_queryset(self):
        return Outlet.objects.filter(is_active=True).prefetch_related("aliases").order_by("name")


# --- the assessment, bulletin and rewards ----------------------------------------------------------------


class AssessmentView(views.APIView):
    """年度考核结果，与 `manage.py assess --format json` 完全相同（同一段代码）。"""

    api_area = "assessment"
    api_tag = "考核结果"

    @extend_schema(parameters=[YEAR], responses={200: s.AssessmentJson, **ERRORS})
    def get(self, request):
        year = _year(request)
        return Response(assessment_json(year=year, results=assess_year(year=year)))


def bulletin_json(bulletin) -> dict:
    """The 通报 as JSON: each unit as in the assessment, plus its rank within its kind."""
    state = bulletin.state
    return {
        "year": bulletin.year,
        "state": "estimate" if bulletin.estimate else state.state,
        "state_label": bulletin.state_label,
        "notice_until": state.notice_until if state and not bulletin.estimate else None,
        "closed_on": state.closed_on if state and state.is_closed else None,
        "groups": [{"kind": rows[0].kind, "label": label,
                    "units": [{**result.as_json(), "rank": result.rank} for result in rows]}
                   for label, rows in bulletin.by_kind],
    }


class BulletinView(views.APIView):
    """考核通报：已公示或结算的年度为冻结的结果，其他年度为实时预估。"""

    api_area = "assessment"
    api_tag = "考核结果"

    @extend_schema(parameters=[YEAR], responses={200: s.BulletinJson, **ERRORS})
    def get(self, request):
        return Response(bulletin_json(bulletin_for_year(year=_year(request))))


class RewardsView(views.APIView):
    """年度稿件奖励，与 `manage.py rewards --format json` 完全相同（同一段代码）。仅限审核员、领导。"""

    api_area = "rewards"
    api_tag = "考核结果"

    @extend_schema(parameters=[YEAR], responses={200: s.RewardsJson, **ERRORS})
    def get(self, request):
        role_check(request.user, roles.REVIEWER, roles.LEADER)
        return Response(rewards_json(rewards_for_year(year=_year(request))))


# --- records -------------------------------------------------------------------------------------------


def _records(user):
    return (Publication.objects.visible_to(user)
            .select_related("manuscript__unit", "outlet")
            .prefetch_related("proofs", "manuscript__key_topics")
            .order_by("-published_on", "-id"))


def _record_for(request, pk) -> Publication:
    return get_object_or_404(_records(request.user), pk=pk)


def _record_response(request, pk, code=status.HTTP_200_OK) -> Response:
    data = s.RecordSerializer(_record_for(request, pk)).data
    headers = {"Location": reverse("api:record", args=[pk])} if code == status.HTTP_201_CREATED else {}
    return Response(data, status=code, headers=headers)


class RecordList(generics.GenericAPIView):
    api_area = "records"
    api_tag = "刊发记录"
    serializer_class = s.RecordSerializer

    def get_queryset(self):
        return _records(self.request.user)

    @extend_schema(
        summary="刊发记录列表（信息宣传员和单位负责人只看到本单位）",
        parameters=[OpenApiParameter(name, OpenApiTypes.STR, description=str(f.label))
                    for name, f in PublicationFilter.base_filters.items()],
        responses={200: s.RecordSerializer(many=True), **ERRORS})
    def get(self, request):
        filterset = PublicationFilter(request.query_params, queryset=self.get_queryset(),
                                      own_unit_only=not roles.sees_all_units(request.user))
        if not filterset.is_valid():
            return _form_errors(filterset.form, FILTER_ERRORS_MESSAGE)
        page = self.paginate_queryset(filterset.qs)
        return self.get_paginated_response(s.RecordSerializer(page, many=True).data)

    @extend_schema(
        summary="录入刊发记录（信息宣传员，本单位）",
        description="字段与网页上的录入表单相同，校验规则也相同；保存为草稿，再调用 submit 提交审核。"
                    "带 manuscript（本单位稿件编号）时为该稿件的其他刊发记录（一稿多投），只需刊发字段。"
                    "上传凭证请用 multipart/form-data，字段名 proofs。",
        request={"application/json": s.EntryInput, "multipart/form-data": s.EntryInput},
        responses={201: s.RecordSerializer, **ERRORS})
    def post(self, request):
        role_check(request.user, roles.OFFICER, superuser=False)
        manuscript_id = request.data.get("manuscript")
        manuscript = None
        if manuscript_id not in (None, ""):
            manuscript = get_object_or_404(Manuscript.objects.visible_to(request.user),
                                           pk=_number(manuscript_id, "manuscript"))
            form = PublicationForm(request.data, request.FILES)
        else:
            form = EntryForm(request.data, request.FILES, unit=roles.unit_of(request.user))
        if not form.is_valid():
            return _form_errors(form)
        if manuscript is not None:
            publication = services.publication_create(
                officer=request.user, manuscript=manuscript, publication_data=form.publication_data(),
                proofs=form.cleaned_data["proofs"])
        else:
            publication = services.publication_create(
                officer=request.user, manuscript_data=form.manuscript_data(),
                key_topics=form.cleaned_data["key_topics"], publication_data=form.publication_data(),
                proofs=form.cleaned_data["proofs"])
        return _record_response(request, publication.pk, status.HTTP_201_CREATED)


class RecordDetail(generics.RetrieveAPIView):
    api_area = "records"
    api_tag = "刊发记录"
    serializer_class = s.RecordSerializer

    def get_queryset(self):
        return _records(self.request.user)


class RecordSubmit(views.APIView):
    api_area = "records"
    api_tag = "刊发记录"

    @extend_schema(summary="提交审核（草稿提交、退回后重新提交）", request=s.SubmitInput,
                   responses={200: s.RecordSerializer, 409: s.DuplicatesOutput, **ERRORS})
    def post(self, request, pk):
        role_check(request.user, roles.OFFICER, superuser=False)
        publication = _record_for(request, pk)
        data = s.SubmitInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.publication_send(publication=publication, officer=request.user,
                                      duplicates_confirmed=data.validated_data["duplicates_confirmed"])
        except services.PossibleDuplicate as exc:
            # Other units' records are only counted, as on the page: their ids are not the officer's to see.
            visible = set(Publication.objects.visible_to(request.user).filter(
                pk__in=[d.publication.pk for d in exc.duplicates]).values_list("pk", flat=True))
            return Response({"detail": str(exc), "duplicates": [
                {"id": d.publication.pk if d.publication.pk in visible else None, "reasons": d.reasons}
                for d in exc.duplicates]}, status=status.HTTP_409_CONFLICT)
        return _record_response(request, pk)


class RecordProofs(views.APIView):
    api_area = "records"
    api_tag = "刊发记录"

    @extend_schema(summary="上传发表凭证（草稿或已退回的本单位记录）",
                   request={"multipart/form-data": s.ProofInput}, responses={201: s.RecordSerializer, **ERRORS})
    def post(self, request, pk):
        role_check(request.user, roles.OFFICER, superuser=False)
        publication = _record_for(request, pk)
        uploads = request.FILES.getlist("file") + request.FILES.getlist("proofs")
        if not uploads:
            raise ValidationError({"detail": NO_FILES_MESSAGE})
        try:
            uploads = MultipleProofField().clean(uploads)  # the entry form's checks, every file at once
        except DjangoValidationError as exc:
            return Response({"detail": "；".join(exc.messages), "errors": {"file": exc.messages}},
                            status=status.HTTP_400_BAD_REQUEST)
        with transaction.atomic():
            for upload in uploads:
                services.proof_file_attach(publication=publication, officer=request.user, upload=upload)
        return _record_response(request, pk, status.HTTP_201_CREATED)


class ProofDownload(views.APIView):
    api_area = "records"
    api_tag = "刊发记录"

    @extend_schema(summary="下载发表凭证", responses={(200, "application/octet-stream"): OpenApiTypes.BINARY,
                                                     **ERRORS})
    def get(self, request, pk):
        return proof_download(request._request, pk)  # the page's download: the same visibility check


class RecordApprove(views.APIView):
    api_area = "review"
    api_tag = "审核"

    @extend_schema(summary="审核通过（审核员）", request=None, responses={200: s.RecordSerializer, **ERRORS})
    def post(self, request, pk):
        role_check(request.user, roles.REVIEWER)
        services.publication_approve(publication=_record_for(request, pk), reviewer=request.user)
        return _record_response(request, pk)


class RecordReject(views.APIView):
    api_area = "review"
    api_tag = "审核"

    @extend_schema(summary="退回（审核员，必须写原因）", request=s.RejectInput,
                   responses={200: s.RecordSerializer, **ERRORS})
    def post(self, request, pk):
        role_check(request.user, roles.REVIEWER)
        publication = _record_for(request, pk)
        form = RejectForm(request.data)
        if not form.is_valid():
            return _form_errors(form)
        services.publication_reject(publication=publication, reviewer=request.user,
                                    reason=form.cleaned_data["reason"])
        return _record_response(request, pk)


# --- tokens, schema ------------------------------------------------------------------------------------


class TokenObtain(views.APIView):
    """A person's own token, with user name and password (local or directory): the lock-out applies."""

    api_area = "reference"
    api_tag = "令牌"
    authentication_classes = []
    permission_classes = []
    throttle_classes = [TokenObtainThrottle]

    @extend_schema(summary="用用户名和密码获取个人令牌", request=s.TokenInput,
                   responses={201: s.TokenOutput, 400: s.ErrorJson, 429: s.ErrorJson}, auth=[])
    def post(self, request):
        data = s.TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request._request, username=data.validated_data["username"],
                            password=data.validated_data["password"])
        if user is None or not user.is_active:
            return Response({"detail": LOGIN_FAILED_MESSAGE}, status=status.HTTP_400_BAD_REQUEST)
        token, key = api_token_for_person(user=user, name=data.validated_data.get("name", ""))
        return Response({"token": key, "name": token.name, "scope": token.scope, "expires_at": token.expires_at},
                        status=status.HTTP_201_CREATED)


class TokenRevoke(views.APIView):
    api_area = "own_token"
    api_tag = "令牌"

    @extend_schema(summary="撤销当前请求所用的令牌", request=None, responses={200: s.ErrorJson, **ERRORS})
    def post(self, request):
        from api.models import ApiToken

        if not isinstance(request.auth, ApiToken):
            raise ValidationError({"detail": NOT_A_TOKEN_MESSAGE})
        api_token_revoke(token=request.auth, actor=request.user)
        return Response({"detail": REVOKED_MESSAGE})


class SchemaView(SpectacularAPIView):
    api_area = "reference"
