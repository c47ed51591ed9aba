import pytest
from django.apps import apps
from django.contrib import admin

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("publicity", "scoring", "rewards")


def test_every_model_is_in_the_admin():
    missing = [model._meta.label for app in PROJECT_APPS for model in apps.get_app_config(app).get_models()
               if model not in admin.site._registry]
    assert missing == []


def test_every_model_has_a_chinese_name():
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            name = str(model._meta.verbose_name)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in name), model._meta.label


def test_every_admin_list_and_add_page_renders_in_chinese(client, superuser, make_publication, hanbin):
    make_publication(hanbin)
    client.force_login(superuser)
    for model in admin.site._registry:
        opts = model._meta
        response = client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
        assert response.status_code == 200, opts.label
        assert "选择" in response.content.decode() or "增加" in response.content.decode(), opts.label


def test_an_officer_in_the_admin_sees_only_the_own_unit(client, alice, make_publication, hanbin, hanyin):
    from publicity.models import Publication

    alice.is_staff = True
    alice.save()
    mine = make_publication(hanbin, title="汉滨区的稿件")
    make_publication(hanyin, title="汉阴县的稿件")
    client.force_login(alice)
    response = client.get("/admin/publicity/publication/")
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [Publication.objects.get(pk=mine.pk)]
