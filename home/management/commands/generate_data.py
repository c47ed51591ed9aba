"""Generate a large installation for benchmarks: N units, M publications a year over Y years.

Province scale (issue 9): --units 400 --per-year 50000 --years 15 (750,000 publications).
Realistic mixes: outlets weighted by unit kind, kinds, special topics, statuses, and reprints (the same
manuscript in a second outlet). Everything is written with bulk_create in batches, so the run time is
dominated by the database, not by Python.
"""

import datetime
import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from core.text import title_key
from publicity.models import Manuscript, Outlet, Publication, Status, Unit
from scoring.models import Quota, QuotaLine

BATCH = 5000
KIND_WEIGHTS = [("news", 55), ("info", 25), ("feature", 6), ("experience", 4), ("research", 10)]
STATUS_WEIGHTS = [(Status.APPROVED, 80), (Status.SUBMITTED, 9), (Status.REJECTED, 5), (Status.DRAFT, 6)]
LEVEL_WEIGHTS = {"internal": 1, "county": 2, "municipal": 30, "provincial": 8, "national": 2}
REPRINT_SHARE = 0.1
KIND_SHARE = [("county", 0.45), ("affiliated", 0.35), ("section", 0.20)]
# Titles, authors and links like the real ones (issue 15's search benchmark needs text that is neither all alike
# nor all different): "<unit><action><subject>", 2–4 character names, links on websites.
ACTIONS = ["召开", "开展", "举办", "推进", "部署", "落实", "启动", "深化", "表彰", "督查"]
SUBJECTS = ["春风行动专场招聘会", "城乡居民养老保险扩面工作", "就业援助月活动", "农民工工资支付专项检查",
            "社会保障卡发放", "技能人才培训", "创业担保贷款发放", "人事考试工作", "劳动保障监察执法", "工伤保险宣传周",
            "医疗保险异地结算",
            "高校毕业生就业服务", "事业单位公开招聘", "职称评审改革", "返乡创业示范园建设", "劳动人事争议调解",
            "人社政策进社区", "机关作风建设", "双创工作推进会", "廉政警示教育"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["明", "娟", "伟", "洋", "静", "帆", "丽", "强", "敏", "军", "磊", "芳", "勇", "艳", "杰", "涛", "超", "霞",
         "建华", "志强", "晓燕", "海涛", "丽娟", "国庆", "春梅", "文博", "雪莲", "俊杰"]
LINKED_CLASSES = ("website", "portal")


def _authors(rng: random.Random) -> str:
    return "、".join(rng.choice(SURNAMES) + rng.choice(GIVEN) for _ in range(rng.choice([0, 1, 1, 2, 3])))


class Command(BaseCommand):
    help = "生成大规模测试数据（单位、各年度任务和刊发记录），用于性能基准测试。"

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=40, help="单位总数（含参考数据中的单位）")
        parser.add_argument("--per-year", type=int, default=3000, help="每年刊发记录数")
        parser.add_argument("--years", type=int, default=1, help="年数")
        parser.add_argument("--start-year", type=int, default=2011)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, units, per_year, years, start_year, seed, **options):
        rng = random.Random(seed)
        started = time.perf_counter()
        if not Unit.objects.exists():
            call_command("loaddata", "ankang_2011", verbosity=0)
        all_units = self.ensure_units(units)
        for year in range(start_year, start_year + years):
            self.ensure_quotas(all_units, year)
            made = self.generate_year(rng, all_units, year, per_year)
            self.stdout.write(f"{year}年：{made} 条刊发记录（累计用时 {time.perf_counter() - started:.1f} 秒）")
        self.stdout.write(self.style.SUCCESS(
            f"完成：{Unit.objects.count()} 个单位，{Publication.objects.count()} 条刊发记录。"))

    def ensure_units(self, wanted: int) -> list[Unit]:
        existing = list(Unit.objects.all())
        missing = wanted - len(existing)
        if missing > 0:
            new = []
            for kind, share in KIND_SHARE:
                for i in range(round(missing * share)):
                    new.append(Unit(name=f"{Unit.Kind(kind).label}{len(existing) + len(new) + 1:04d}", kind=kind,
                                    sort_order=1000 + i))
            Unit.objects.bulk_create(new[:missing])
        return list(Unit.objects.order_by("pk")[: max(wanted, 1)])

    def ensure_quotas(self, units: list[Unit], year: int) -> None:
        have = set(Quota.objects.filter(year=year).values_list("unit_id", "line_id"))
        lines = list(QuotaLine.objects.all())
        Quota.objects.bulk_create([
            Quota(unit=unit, line=line, year=year, count=line.default_for(unit.kind))
            for unit in units for line in lines
            if line.default_for(unit.kind) is not None and (unit.pk, line.pk) not in have
        ])

    @transaction.atomic
    def generate_year(self, rng: random.Random, units: list[Unit], year: int, count: int) -> int:
        outlets = list(Outlet.objects.all())
        outlet_weights = [LEVEL_WEIGHTS[o.level] * (6 if o.name in ("局网站", "安康日报") else 1) for o in outlets]
        kinds, kind_w = zip(*KIND_WEIGHTS, strict=True)
        statuses, status_w = zip(*STATUS_WEIGHTS, strict=True)
        made = 0
        number = 0
        while made < count:
            # One batch: manuscripts, then their publications (one, or two for a reprint).
            plan = []
            while made + sum(plan) < count and len(plan) < BATCH:
                room = count - made - sum(plan)
                plan.append(2 if room >= 2 and rng.random() < REPRINT_SHARE else 1)
            manuscripts = []
            first_number = number + 1
            for _ in plan:
                number += 1
                unit = units[rng.randrange(len(units))]
                topic = ""
                if unit.kind == "affiliated":
                    topic = rng.choices(["", "shuangchuang", "discipline"], weights=[80, 10, 10])[0]
                title = f"{unit.name}{rng.choice(ACTIONS)}{rng.choice(SUBJECTS)}"
                manuscripts.append(Manuscript(
                    unit=unit, title=title, title_key=title_key(title),
                    authors=_authors(rng),
                    kind=rng.choices(kinds, weights=kind_w)[0], special_topic=topic,
                ))
            Manuscript.objects.bulk_create(manuscripts)
            publications = []
            for offset, (manuscript, copies) in enumerate(zip(manuscripts, plan, strict=True)):
                chosen = rng.choices(outlets, weights=outlet_weights)
                if copies == 2:
                    chosen.append(rng.choice([o for o in outlets if o.pk != chosen[0].pk]))
                for j, outlet in enumerate(chosen):
                    status = rng.choices(statuses, weights=status_w)[0]
                    publications.append(Publication(
                        manuscript=manuscript, outlet=outlet,
                        published_on=datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(364) + j),
                        front_headline=rng.random() < 0.02, char_count=rng.randint(300, 3000), status=status,
                        url=(f"http://www.ak.gov.cn/xxgk/{year}/{first_number + offset:07d}{j}.html"
                             if outlet.media_class in LINKED_CLASSES else ""),
                        reject_reason="凭证不全" if status == Status.REJECTED else "",
                    ))
            Publication.objects.bulk_create(publications)
            made += len(publications)
        return made
