"""Bureau-website contribution pages (D9): officers submit and follow, reviewers edit and publish or return."""

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import roles, storage
from core.uploads import INLINE_TYPES
from reporting.contributions import contribution_publish, contribution_return, contribution_submit, contributions_for
from reporting.forms import ContributionForm, PublishForm, ReturnForm
from reporting.models import WebsiteContribution

SEE = (roles.OFFICER, roles.UNIT_HEAD, roles.REVIEWER, roles.LEADER, roles.ADMINISTRATOR)
PAGE_SIZE = 30


def add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@roles.role_required(*SEE)
def contribution_list(request):
    contributions = contributions_for(request.user)
    status = request.GET.get("status", "")
    if status in WebsiteContribution.State.values:
        contributions = contributions.filter(status=status)
    page = Paginator(contributions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reporting/contributions/list.html", {
        "page": page, "status": status, "states": WebsiteContribution.State.choices,
        "can_submit": roles.has_role(request.user, roles.OFFICER) and roles.unit_of(request.user) is not None,
    })


@roles.role_required(roles.OFFICER)
def contribution_new(request):
    unit = roles.unit_of(request.user)
    if unit is None:
        messages.error(request, "您的账号尚未分配单位，请联系管理员。")
        return redirect("reporting:contributions")
    # 修改后重新投稿: a returned contribution's text is offered again (the scan must be uploaded anew).
    returned = contributions_for(request.user).filter(
        pk=request.GET.get("from") if str(request.GET.get("from", "")).isdigit() else None,
        status=WebsiteContribution.State.RETURNED).first()
    initial = {field: getattr(returned, field) for field in ("title", "body", "authors", "kind", "is_major",
                                                              "signed_by", "first_published_url")} if returned else {}
    form = ContributionForm(request.POST or None, request.FILES or None, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contribution = contribution_submit(officer=request.user, unit=unit, scan=data["approval_scan"],
                                               title=data["title"], body=data["body"], authors=data["authors"],
                                               kind=data["kind"], is_major=data["is_major"],
                                               signed_by=data["signed_by"],
                                               first_published_url=data["first_published_url"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "投稿已提交，等待市局采编。")
            return redirect("reporting:contribution", pk=contribution.pk)
    return render(request, "reporting/contributions/new.html", {"form": form, "unit": unit, "returned": returned})


@roles.role_required(*SEE)
def contribution_detail(request, pk):
    contribution = get_object_or_404(contributions_for(request.user), pk=pk)
    can_review = (roles.is_reviewer(request.user) and contribution.status == WebsiteContribution.State.SUBMITTED
                  and roles.unit_of(request.user) != contribution.unit)
    can_resubmit = (contribution.status == WebsiteContribution.State.RETURNED
                    and roles.has_role(request.user, roles.OFFICER)
                    and roles.unit_of(request.user) == contribution.unit)
    return render(request, "reporting/contributions/detail.html", {
        "contribution": contribution, "can_review": can_review, "can_resubmit": can_resubmit,
        "own_unit_note": (roles.is_reviewer(request.user) and not can_review
                          and contribution.status == WebsiteContribution.State.SUBMITTED),
        "publish_form": PublishForm(initial={"title": contribution.title, "body": contribution.body,
                                             "published_on": timezone.localdate()}) if can_review else None,
        "return_form": ReturnForm() if can_review else None,
    })


@require_POST
@roles.role_required(roles.REVIEWER)
def contribution_publish_view(request, pk):
    contribution = get_object_or_404(contributions_for(request.user), pk=pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            contribution_publish(contribution=contribution, reviewer=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已发布到局网站，并生成已通过的刊发记录。")
            return redirect("reporting:contribution", pk=pk)
    return render(request, "reporting/contributions/detail.html", {
        "contribution": contribution, "can_review": True, "publish_form": form, "return_form": ReturnForm(),
    }, status=400)


@require_POST
@roles.role_required(roles.REVIEWER)
def contribution_return_view(request, pk):
    contribution = get_object_or_404(contributions_for(request.user), pk=pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            contribution_return(contribution=contribution, reviewer=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已退回投稿单位。")
            return redirect("reporting:contribution", pk=pk)
    publish_form = PublishForm(initial={"title": contribution.title, "body": contribution.body,
                                        "published_on": timezone.localdate()})
    return render(request, "reporting/contributions/detail.html", {
        "contribution": contribution, "can_review": True, "publish_form": publish_form, "return_form": form,
    }, status=400)


@roles.role_required(*SEE)
def contribution_scan(request, pk):
    """The signed approval scan, only for users who may see the contribution's unit."""
    contribution = get_object_or_404(contributions_for(request.user), pk=pk)
    return private_file_response(contribution.approval_scan, contribution.scan_name,
                                 contribution.scan_content_type)


def private_file_response(field_file, name: str, content_type: str):
    """A scan or report attachment: images and PDFs shown in the browser, the rest downloaded, through core's
    one private-file response (sandboxed, never cached)."""
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return storage.private_file_response(field_file, name=name, content_type=content_type,
                                         inline=content_type in INLINE_TYPES)
