"""The benchmarks' side-by-side alternatives must compute what they are compared with (bench/run.py), or the
figures in the README compare unlike things; and the bench must at least import and run its helpers."""

import datetime
import importlib.util
from pathlib import Path

import pytest

from publicity.models import Status, Unit
from scoring.services import assess_year

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_naive_assessment_counts_what_assess_year_counts(make_publication, hanbin, hanyin):
    bench = load("run")
    records = [("安康日报", "news"), ("陕西日报", "info"), ("中央电视台", "news"), ("安康电视台", "research")]
    for outlet, kind in records:
        make_publication(hanbin, title=f"{outlet}{kind}", outlet=outlet, kind=kind)
    make_publication(hanyin, title="汉阴稿件", outlet="陕西日报")
    make_publication(hanyin, title="草稿不计", status=Status.DRAFT)
    make_publication(hanyin, title="别的年度", published_on=datetime.date(2012, 1, 5))
    units = list(Unit.objects.filter(quotas__year=2011).distinct())
    have = bench.naive_assessment(2011, units)
    expected = {(r.unit_id, line.code): line.have for r in assess_year(year=2011) for line in r.lines}
    assert have == expected
    assert sum(have.values()) > 0


def test_the_bare_aggregate_sees_every_approved_publication_of_the_year(make_publication, hanbin):
    bench = load("run")
    make_publication(hanbin, title="甲")
    make_publication(hanbin, title="乙", outlet="陕西日报")
    make_publication(hanbin, title="丙", status=Status.SUBMITTED)
    rows = bench.bare_aggregate(2011)
    assert sum(row[-1] for row in rows) == 2
