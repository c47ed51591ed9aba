"""Fill a believable 2011: hundreds of publications over all units and statuses, with proof files,
website contributions, periodic reports, an officer roster, a confirmed payout batch for the first
half-year, and one login per role. Safe to run twice: each part is made only when it is missing."""

import datetime
import hashlib
import random
import struct
import zlib

from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core import roles
from core.uploads import sample_pdf
from publicity.models import KeyTopic, Manuscript, Membership, Outlet, ProofFile, Publication, Status, Unit
from reporting import deadlines
from reporting.contributions import contribution_publish, contribution_return, contribution_submit
from reporting.models import OfficerRoster, PeriodReport, WebsiteContribution
from reporting.reports import report_submit, roster_submit

DEMO_PASSWORD = "demo2011"
DEMO_REF_PREFIX = "DEMO-"
YEAR = 2011

# username, full name, role, unit name
DEMO_USERS = [
    ("admin", "系统管理员", roles.ADMINISTRATOR, None),
    ("shenhe", "杨一帆", roles.REVIEWER, "政策法规与信息化管理科"),
    ("lingdao", "赵良亭", roles.LEADER, None),
    ("hanbin", "汉滨区信息宣传员", roles.OFFICER, "汉滨区"),
    ("hanyin", "汉阴县信息宣传员", roles.OFFICER, "汉阴县"),
    ("jigong", "市技工学校信息宣传员", roles.OFFICER, "市技工学校"),
    ("bangongshi", "办公室信息宣传员", roles.OFFICER, "办公室"),
    ("hanbin_fzr", "汉滨区人社局局长", roles.UNIT_HEAD, "汉滨区"),
]

SUBJECTS = ["城镇居民基本医疗保险扩面", "农村劳动力转移就业培训", "高校毕业生就业见习", "创业小额担保贷款",
            "农民工工资清欠", "新型农村社会养老保险试点", "人才引进", "技能人才评价", "劳动保障监察执法",
            "公务员培训", "事业单位岗位设置", "农村居民进城落户", "双创工作", "机关作风建设", "人事考试组织"]
ACTIONS = ["扎实推进", "全面启动", "取得明显成效", "召开专题会议部署", "开展督查", "创新方式推进", "圆满完成",
           "举办培训班推动", "多措并举抓好"]
AUTHORS = ["王明", "李娟", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周强", "吴敏", "徐涛", "孙丽华"]

# Outlets a unit of each kind tends to reach, with weights.
OUTLET_WEIGHTS = {
    "county": [("安康日报", 10), ("局网站", 12), ("安康电视台", 6), ("安康市政府网站", 5), ("陕西日报", 2),
               ("华商报", 1), ("陕西省人社厅网站", 2), ("中国劳动保障报", 1), ("安康广播电台", 2)],
    "affiliated": [("局网站", 10), ("安康日报", 6), ("双创简报", 2), ("安康市纪委网站", 2), ("安康电视台", 3),
                   ("陕西日报", 1), ("市政府简报", 2)],
    "section": [("局网站", 10), ("安康日报", 3), ("陕西日报", 2), ("省人社厅简报", 2), ("陕西省人社厅网站", 2),
                ("市委简报", 2), ("当代陕西", 1)],
}
# How many news publications a unit of each kind records in the demo year (min, max).
VOLUME = {"county": (30, 62), "affiliated": (10, 24), "section": (4, 12)}


def tiny_png(seed: int) -> bytes:
    """A real (small, valid) PNG, so proof downloads open in an image viewer."""
    width = height = 8
    # Every seed gives different pixels: equal proof files are flagged as likely duplicates (issue 6).
    colour = bytes([seed % 200, (seed // 200) % 256, (seed // 51200) % 256])
    raw = b"".join(b"\x00" + colour * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


class Command(BaseCommand):
    help = "生成2011年度演示数据（各单位、各状态的刊发记录及凭证）并创建各角色的演示账号。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=YEAR)

    def handle(self, *args, seed, **options):
        if not Unit.objects.exists():
            call_command("loaddata", "ankang_2011", verbosity=0)
        users = self.create_users()
        if Manuscript.objects.filter(ref__startswith=DEMO_REF_PREFIX).exists():
            self.stdout.write("演示数据已存在，未重复生成。")
        else:
            count = self.create_publications(random.Random(seed), users)
            self.stdout.write(self.style.SUCCESS(f"已生成 {count} 条{YEAR}年刊发记录。"))
        self.create_reporting(users)
        self.create_duties(users, random.Random(seed + 1))
        self.create_payouts(users)
        self.print_logins()

    def create_users(self) -> dict[str, User]:
        users = {}
        for username, full_name, role, unit_name in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = role in (roles.ADMINISTRATOR, roles.REVIEWER)
                user.is_superuser = role == roles.ADMINISTRATOR
                user.save()
            user.groups.add(Group.objects.get(name=role))
            unit = Unit.objects.get(name=unit_name) if unit_name else None
            Membership.objects.update_or_create(user=user, defaults={"unit": unit})
            users[username] = user
        return users

    @transaction.atomic
    def create_reporting(self, users: dict[str, User]) -> None:
        """Website contributions (D9), periodic reports and an officer roster (D10), through the services."""
        hanbin, section, school = users["hanbin"], users["bangongshi"], users["jigong"]
        reviewer = users["shenhe"]
        if not WebsiteContribution.objects.exists():
            def scan(n):
                return SimpleUploadedFile(f"签批单{n}.pdf", sample_pdf(note=f"demo approval scan {n}"),
                                          "application/pdf")

            unit = Unit.objects.get(name="汉滨区")
            url = "http://www.hbrsj.gov.cn/news/2011/" if unit.has_website else ""
            published = contribution_submit(
                officer=hanbin, unit=unit, title="汉滨区举办2011年春风行动专场招聘会",
                body="3月5日，汉滨区在城区广场举办春风行动专场招聘会，120家企业提供岗位3600个。", scan=scan(1),
                authors="王明", signed_by="汉滨区人社局办公室主任", first_published_url=url and url + "0305.html")
            contribution_publish(contribution=published, reviewer=reviewer, title=published.title,
                                 body=published.body, published_on=datetime.date(YEAR, 3, 8))
            returned = contribution_submit(
                officer=hanbin, unit=unit, title="汉滨区新农保参保率达到95%",
                body="截至目前，全区新型农村社会养老保险参保率达到95%。", scan=scan(2), authors="李娟",
                is_major=True, signed_by="汉滨区人社局局长", first_published_url=url and url + "0610.html")
            contribution_return(contribution=returned, reviewer=reviewer,
                                reason="重大事项须由分管领导签批，请补充分管领导签字的签批件。")
            office = Unit.objects.get(name="办公室")
            contribution_submit(
                officer=section, unit=office, title="市人社局召开2011年信息宣传工作会议",
                body="会议通报了上半年信息宣传工作情况，安排部署下半年工作。", scan=scan(3), authors="",
                signed_by="办公室主任", first_published_url="http://www.akhrss.gov.cn/" if office.has_website else "")
        if not PeriodReport.objects.exists():
            office = Unit.objects.get(name="办公室")
            for month in range(1, 12):
                period = deadlines.monthly_period(YEAR, month)
                late = month in (4, 9)
                report_submit(unit=office, period=period, officer=section,
                              today=period.due + datetime.timedelta(days=3 if late else -1),
                              note="补报" if late else "")
            annual = deadlines.annual_period(YEAR)
            report_submit(unit=Unit.objects.get(name="汉滨区"), period=annual, officer=hanbin,
                          today=annual.due - datetime.timedelta(days=2), note="附全年稿件明细表")
            report_submit(unit=Unit.objects.get(name="市技工学校"), period=annual, officer=school,
                          today=annual.due + datetime.timedelta(days=3))
        if not OfficerRoster.objects.exists():
            roster_submit(unit=Unit.objects.get(name="汉滨区"), year=YEAR, officer_name="王明", phone="0915-3212345",
                          officer=hanbin, today=deadlines.roster_due(YEAR) - datetime.timedelta(days=3))

    @transaction.atomic
    def create_duties(self, users: dict[str, User], rng: random.Random) -> None:
        """The notice's other duties of 2011 (DOMAIN §11): research topics linked to research articles, plans with
        leading groups, first responsible persons, website reports, the officer roster and two training courses.
        The four units with a demo officer file theirs through the services (audited); the other units' are
        written as the seed data they are. Most units are on time; a few are late or missing, so that the
        compliance page, the bulletin's 工作落实情况 and the reminders have something to flag."""
        from publicity.models import ResearchTopic
        from publicity.research import research_topic_create
        from reporting.duties import (
            plan_file,
            responsible_set,
            training_attendance_record,
            training_course_create,
            website_status_report,
        )
        from reporting.models import (
            LeadingGroupRole,
            ResponsiblePerson,
            TrainingAttendance,
            TrainingCourse,
            UnitLeader,
            UnitPlan,
            WebsiteStatus,
        )

        if UnitPlan.objects.exists():
            return
        officers = {"汉滨区": users["hanbin"], "汉阴县": users["hanyin"], "市技工学校": users["jigong"],
                    "办公室": users["bangongshi"]}
        units = list(Unit.objects.filter(is_active=True).order_by("kind", "sort_order", "name"))
        plan_pdf = sample_pdf(note="demo plan")
        surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林"]
        given = ["建国", "志强", "丽华", "明", "海燕", "晓东", "国庆", "春梅", "卫东", "红", "立新", "静"]

        def person() -> str:
            return rng.choice(surnames) + rng.choice(given)

        for index, unit in enumerate(units):
            officer = officers.get(unit.name)
            missing_everything = index % 9 == 4  # a few units have filed nothing: they show up as overdue
            # The officer roster (D10), which the training courses invite from.
            if unit.name != "汉滨区" and not missing_everything and not OfficerRoster.objects.filter(
                    unit=unit, year=YEAR).exists():
                OfficerRoster.objects.create(unit=unit, year=YEAR, officer_name=person(),
                                             phone=f"0915-32{rng.randint(10000, 99999)}",
                                             submitted_at=timezone.make_aware(datetime.datetime(YEAR, 3, 8, 10)),
                                             is_late=index % 7 == 3)
            if missing_everything:
                continue
            # First responsible person (notice §5).
            head_post = {"county": f"{unit.name}人社局局长", "affiliated": f"{unit.name}主任"}.get(
                unit.kind, f"{unit.name}科长")
            if officer:
                responsible_set(unit=unit, year=YEAR, officer=officer, name=person(), post=head_post)
            else:
                ResponsiblePerson.objects.create(unit=unit, year=YEAR, name=person(), post=head_post,
                                                 updated_at=timezone.make_aware(datetime.datetime(YEAR, 3, 20, 9)))
            # The annual plan with its leading group (notice §7): on time, a few late.
            late = index % 6 == 5
            filed_on = datetime.date(YEAR, 4, 12) if late else datetime.date(YEAR, 3, rng.randint(10, 30))
            leaders = [{"role": LeadingGroupRole.LEADER, "name": person(), "post": "主要负责人"},
                       {"role": LeadingGroupRole.DEPUTY, "name": person(), "post": "分管负责人"},
                       {"role": LeadingGroupRole.MEMBER, "name": person(), "post": "办公室主任"},
                       {"role": LeadingGroupRole.MEMBER, "name": person(), "post": "信息宣传员"}]
            staff_count = rng.randint(1, 3)
            summary = (f"围绕{rng.choice(SUBJECTS)}和{rng.choice(SUBJECTS)}开展宣传报道，全年在市级以上媒体发稿，"
                       f"按月报送稿件，完成{YEAR}年宣传任务。")
            budget = rng.choice([5000, 8000, 10000, 20000, 30000]) if unit.kind != "section" else rng.choice([0, 2000])
            moment = timezone.make_aware(datetime.datetime.combine(filed_on, datetime.time(15)))
            if officer:
                plan = plan_file(unit=unit, year=YEAR, officer=officer, today=filed_on, summary=summary,
                                 staff="、".join(person() for _ in range(staff_count)), staff_count=staff_count,
                                 budget=budget, leaders=leaders,
                                 document=SimpleUploadedFile(f"{unit.name}{YEAR}年宣传报道工作计划.pdf", plan_pdf,
                                                             "application/pdf"))
                # The demo year is 2011: the filing's time is the day it was filed then, not the day the demo ran.
                UnitPlan.objects.filter(pk=plan.pk).update(submitted_at=moment, updated_at=moment)
                ResponsiblePerson.objects.filter(unit=unit, year=YEAR).update(updated_at=moment)
            else:
                plan = UnitPlan(unit=unit, year=YEAR, summary=summary, staff="、".join(person() for _ in range(
                    staff_count)), staff_count=staff_count, budget=budget,
                    document_name=f"{unit.name}{YEAR}年宣传报道工作计划.pdf", document_content_type="application/pdf",
                    submitted_at=moment, updated_at=moment, is_late=late)
                plan.document.save("plan.pdf", ContentFile(plan_pdf), save=False)
                plan.save()
                UnitLeader.objects.bulk_create([UnitLeader(plan=plan, sort_order=n, **leader)
                                                for n, leader in enumerate(leaders)])
            # Research topics (notice §3 item 5), linked to the unit's research articles.
            research = list(Manuscript.objects.filter(unit=unit, kind="research").order_by("pk"))
            n_topics = 0 if index % 8 == 6 else (2 if unit.kind == "county" else 1)
            for number in range(n_topics):
                subject = SUBJECTS[(index * 3 + number * 5) % len(SUBJECTS)]
                values = {"title": f"{unit.name}{subject}情况调研", "lead": f"{person()}（分管负责人）",
                          "planned_completion": datetime.date(YEAR, rng.choice([9, 10, 11]), 30)}
                if officer:
                    topic = research_topic_create(officer=officer, unit=unit, year=YEAR, **values)
                else:
                    topic = ResearchTopic.objects.create(unit=unit, year=YEAR, **values)
                linked = research[number::2] if n_topics == 2 else research
                Manuscript.objects.filter(pk__in=[m.pk for m in linked]).update(research_topic=topic)
        self.create_websites(officers, units, rng, website_status_report, WebsiteStatus)
        reviewer = users["shenhe"]
        if not TrainingCourse.objects.exists():
            first = training_course_create(
                reviewer=reviewer, title=f"{YEAR}年全市人社系统信息宣传员培训班", held_on=datetime.date(YEAR, 4, 20),
                place="市人社局三楼会议室", note="新闻写作基础、局网站投稿流程、稿件明细表填报。")
            second = training_course_create(
                reviewer=reviewer, title="网络信息发布与新闻摄影专题培训", held_on=datetime.date(YEAR, 9, 15),
                place="市技工学校报告厅", note="网站信息发布规范、新闻图片拍摄与编辑。")
            for course, absent_every in ((first, 7), (second, 5)):
                marks = {}
                for n, attendance in enumerate(TrainingAttendance.objects.filter(course=course).order_by("pk")):
                    if n % absent_every == absent_every - 1:
                        marks[attendance.pk] = ("absent", "")
                    elif n % absent_every == 2:
                        marks[attendance.pk] = ("excused", "下乡开展业务检查，请假")
                    else:
                        marks[attendance.pk] = ("attended", "")
                training_attendance_record(course=course, reviewer=reviewer, marks=marks)

    def create_websites(self, officers, units, rng, website_status_report, WebsiteStatus) -> None:
        """Website reports (notice §1): the units with a website report it online; of the others some are building,
        some have not started — each report keeps Unit.has_website right, as the service does."""
        for index, unit in enumerate(units):
            if unit.kind == "section":
                continue
            slug = f"unit{unit.pk}"
            if unit.has_website:
                values = {"state": "online", "url": f"http://www.{slug}.ak.gov.cn/",
                          "online_on": datetime.date(YEAR - (index % 2), rng.randint(3, 6), 1)}
            elif index % 3 == 0:
                values = {"state": "building", "note": "已完成招标，正在建设，预计年底前上线。"}
            else:
                values = {"state": "none", "note": "正在申请建设经费。"}
            officer = officers.get(unit.name)
            reported_at = timezone.make_aware(datetime.datetime(YEAR, 6, 30, 10))
            if officer:
                report = website_status_report(unit=unit, officer=officer, today=datetime.date(YEAR, 6, 30), **values)
                WebsiteStatus.objects.filter(pk=report.pk).update(reported_at=reported_at)  # in 2011, as above
            else:
                online = values["state"] == "online"
                WebsiteStatus.objects.create(unit=unit, reported_at=reported_at, url=values.get("url", ""),
                                             online_on=values.get("online_on"), state=values["state"],
                                             note=values.get("note", ""))
                Unit.objects.filter(pk=unit.pk).update(has_website=online,
                                                       website_url=values.get("url", "") if online else "")

    @transaction.atomic
    def create_payouts(self, users: dict[str, User]) -> None:
        """A confirmed payout batch for the first half-year; the rest of the year is still to pay."""
        from rewards.models import PayoutBatch
        from rewards.services import payout_batch_confirm, payout_batch_open

        if PayoutBatch.objects.exists():
            return
        reviewer = users["shenhe"]
        batch = payout_batch_open(year=YEAR, period_end=datetime.date(YEAR, 6, 30), reviewer=reviewer)
        payout_batch_confirm(batch=batch, reviewer=reviewer, override_reason="演示数据：上半年奖励先行发放")

    def print_logins(self):
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, _full_name, role, unit_name in DEMO_USERS:
            self.stdout.write(f"  {username:<12} {role:<6} {unit_name or ''}")

    @transaction.atomic
    def create_publications(self, rng: random.Random, users: dict[str, User]) -> int:
        outlets = {o.name: o for o in Outlet.objects.all()}
        topics = list(KeyTopic.objects.all())
        reviewer = users["shenhe"]
        officers = {m.unit_id: m.user for m in Membership.objects.select_related("user")
                    if roles.has_role(m.user, roles.OFFICER)}
        created = 0
        for unit in Unit.objects.order_by("kind", "sort_order"):
            low, high = VOLUME[unit.kind]
            n_news = rng.randint(low, high)
            n_research = rng.randint(0, 5 if unit.kind == "county" else 2)
            plan = [("news", None)] * n_news + [("research", None)] * n_research
            if unit.kind == "section":
                plan += [("experience", "陕西工作交流")] * rng.randint(0, 3)
            if unit.kind == "affiliated":
                plan += [("news", "双创简报")] * rng.randint(0, 3)
            for index, (kind, fixed_outlet) in enumerate(plan):
                outlet = outlets[fixed_outlet or self.pick_outlet(rng, unit.kind, kind)]
                created += self.create_one(rng, unit, index, kind, outlet, topics, reviewer,
                                           officers.get(unit.pk))
        return created

    def pick_outlet(self, rng, unit_kind, kind):
        if kind == "research":
            return rng.choice(["安康经济", "内部报送", "陕西日报", "当代陕西", "内部报送"])
        names, weights = zip(*OUTLET_WEIGHTS[unit_kind], strict=True)
        return rng.choices(names, weights=weights)[0]

    def create_one(self, rng, unit, index, kind, outlet, topics, reviewer, officer) -> int:
        subject = rng.choice(SUBJECTS)
        title = f"{unit.name}{rng.choice(ACTIONS)}{subject}工作"
        if kind == "research":
            title = f"关于{unit.name}{subject}工作的调研报告"
        special = ""
        if outlet.name == "双创简报" or (unit.kind == "affiliated" and rng.random() < 0.12):
            special = "shuangchuang"
        elif unit.kind == "affiliated" and rng.random() < 0.1:
            special = "discipline"
        authors = "、".join(rng.sample(AUTHORS, rng.choice([0, 1, 1, 2, 3])))
        manuscript = Manuscript.objects.create(
            unit=unit, title=title, authors=authors, kind=kind, special_topic=special,
            ref=f"{DEMO_REF_PREFIX}{unit.pk}-{index}", created_by=officer)
        manuscript.key_topics.set(rng.sample(topics, rng.randint(0, 2)))
        published_on = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=rng.randint(0, 360))
        status = rng.choices([Status.APPROVED, Status.SUBMITTED, Status.REJECTED, Status.DRAFT],
                             weights=[78, 10, 6, 6])[0]
        moment = timezone.make_aware(datetime.datetime.combine(published_on, datetime.time(10)))
        headline = outlet.name in {"安康日报", "陕西日报"} and rng.random() < 0.08
        publication = Publication.objects.create(
            manuscript=manuscript, outlet=outlet, published_on=published_on,
            front_headline=headline, page="" if headline else f"第{rng.randint(1, 8)}版",
            char_count=rng.randint(500, 2400),
            url=f"http://www.akhrss.gov.cn/news/{YEAR}/{unit.pk}{index:04d}.html" if outlet.media_class == "website"
            else "",
            status=status,
            submitted_at=moment if status != Status.DRAFT else None,
            reviewer=reviewer if status in (Status.APPROVED, Status.REJECTED) else None,
            reviewed_at=moment + datetime.timedelta(days=3) if status in (Status.APPROVED, Status.REJECTED) else None,
            reject_reason="凭证不清晰，请上传完整的版面扫描件。" if status == Status.REJECTED else "",
            created_by=officer,
        )
        content = tiny_png(unit.pk * 1000 + index)
        proof = ProofFile(publication=publication, original_name=f"{title[:20]}-版面.png", content_type="image/png",
                          size=len(content), sha256=hashlib.sha256(content).hexdigest(), uploaded_by=officer)
        proof.file.save("proof.png", ContentFile(content), save=True)
        return 1
