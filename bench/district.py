"""A school district's year of data, written with COPY: bench/scale.py's loader.

    District(sizes, now=..., password_hash=...).load(range(0, 1))   # class 0: the probe class
    District(...).load(range(1, sizes.classes))                      # everything else

Class 0 is the *probe class* whose pages bench/scale.py measures: 30 pupils, 20 assigned quizzes,
every pupil's attempt at each (600 attempts), the first pupil's last one still open. Its first
quiz is the *hot quiz*, which pupils across the district attempt `sizes.hot_attempts` times in
all. The other classes share the remaining pupils and attempts; a few percent of them last saw
activity well over a year ago (what `manage.py archive_classes` moves out of the hot tables).

Rows are plain tuples, written table by table with psycopg 3's `cursor.copy`, parents first,
a few hundred classes at a time; ids are allocated here (after the largest already present)
and the sequences set past them at the end. Every pupil and teacher shares one password hash,
computed once by the caller. The quiz answers are graded by the quizzes app's own `grade`,
once per candidate answer, so scores, correctness and marking flags are what the app writes.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

FIRST_NAMES = [
    *("Aung", "Hana", "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sami"),
    *("Tomasz", "Uma", "Victor", "Wren", "Yusuf", "Zoe", "Amara", "Ben", "Chen", "Dara", "Eli"),
    *("Fatima", "Gabriel", "Isla", "Jamal", "Ko", "Lwin", "Mya", "Naw", "Seng", "Tu", "Zaw"),
]
JOIN_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
OPEN_TEXTS = [
    "They count different things in different years, so both can be right.",
    "Mining pollutes rivers where the ore comes from, even if the car has no exhaust.",
    "Because the magnets need them and there is not much recycling yet.",
]


@dataclass(frozen=True)
class Sizes:
    pupils: int = 100_000
    classes: int = 3_500
    attempts: int = 100_000
    hot_attempts: int = 10_000  # attempts at the hot quiz, the probe class's 30 included
    answers_per_attempt: int = 10
    stale_share: float = 0.03  # classes inactive for well over a year
    probe_pupils: int = 30
    probe_quizzes: int = 20

    @classmethod
    def scaled(cls, factor: float) -> Sizes:
        """The issue's district times `factor`; the probe class keeps its shape."""
        base = cls()
        classes = max(4, round(base.classes * factor))
        return cls(
            pupils=max(base.probe_pupils + 3 * (classes - 1), round(base.pupils * factor)),
            classes=classes,
            attempts=max(700, round(base.attempts * factor)),
            hot_attempts=max(base.probe_pupils, round(base.hot_attempts * factor)),
        )


@dataclass
class Quiz:
    pk: int
    page_id: int
    tier: str
    time_limit: int | None
    questions: list[tuple[int, int, str, list]]  # (id, points, kind, [(response, correct, score)])
    lessons: list[int] = field(default_factory=list)

    @property
    def max_score(self) -> Decimal:
        return Decimal(sum(points for _pk, points, _kind, _c in self.questions))


@dataclass
class ClassPlan:
    index: int
    teacher: int  # teacher number
    pupils: range  # pupil numbers
    quizzes: list[Quiz]  # one assignment per quiz (its module-tier page)
    stale: bool


@dataclass
class Probe:
    """What bench/scale.py measures: ids filled in by `District.load`."""

    class_id: int = 0
    teacher_username: str = ""
    pupil_username: str = ""
    open_attempt_id: int = 0
    hot_quiz_id: int = 0


# Rows as written here: (model, the columns given, in order). Other columns of the model (added
# by a later migration, say) get the field's default.
TABLES = {
    "school": ("schools.School", "name town country status requested_at decided_at"),
    "user": (
        "accounts.User",
        "password last_login is_superuser username first_name last_name email is_staff "
        "is_active date_joined role display_name school_name verified_at language auth_epoch",
    ),
    "school_member": (
        "schools.SchoolMembership",
        "school_id teacher_id role status via requested_at decided_at",
    ),
    "classroom": (
        "classroom.Classroom",
        "name year_group default_tier join_code join_code_expires_at join_enabled "
        "join_needs_approval created_at updated_at last_activity_at archived_at",
    ),
    "class_teacher": ("classroom.ClassTeacher", "classroom_id teacher_id role added_at"),
    "membership": ("classroom.Membership", "classroom_id pupil_id status joined_at"),
    "group": ("classroom.Group", "classroom_id name"),
    "group_pupil": ("classroom.Group.pupils", "group_id user_id"),
    "assignment": (
        "classroom.Assignment",
        "classroom_id page_id tier title instructions status audience open_at due_at "
        "quiz_settings created_by_id created_at assigned_at",
    ),
    "link": (
        "classroom.AssignmentPupil",
        "assignment_id pupil_id status due_at_override extra_time_minutes extra_attempts "
        "started_at turned_in_at returned_at turned_in_work",
    ),
    "progress": ("classroom.LessonProgress", "pupil_id page_id opened_at completed_at"),
    "attempt": (
        "quizzes.Attempt",
        "quiz_id pupil_id assignment_pupil_id number status source seed started_at deadline_at "
        "submitted_at timed_out score max_score needs_marking graded_at",
    ),
    "answer": (
        "quizzes.Answer",
        "attempt_id question_id response revision saved_at checked_at is_correct score comment "
        "marked_by_id marked_at",
    ),
}


@dataclass(frozen=True)
class Table:
    name: str  # the database table
    columns: list[str]  # id first, unless the table makes its own (a many-to-many's)
    defaults: tuple  # appended to each row: the model's other columns' defaults


def _table(label: str, given: str) -> Table:
    from django.apps import apps

    parts = label.split(".")
    model = apps.get_model(parts[0], parts[1])
    if len(parts) == 3:  # a many-to-many's own table
        model = model._meta.get_field(parts[2]).remote_field.through
    given_columns = given.split()
    extra, defaults = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.column in given_columns:
            continue
        value = f.get_default()
        extra.append(f.column)
        defaults.append(json.dumps(value) if isinstance(value, dict | list) else value)
    with_id = len(parts) == 2
    return Table(
        model._meta.db_table, (["id"] if with_id else []) + given_columns + extra, tuple(defaults)
    )


class District:
    def __init__(self, sizes: Sizes, *, now: datetime, password_hash: str, seed: int = 2026):
        self.sizes, self.now, self.password = sizes, now, password_hash
        self.seed = seed
        self.quizzes = _quizzes()
        self.hot = self.quizzes[0]
        self.tables = {name: _table(*spec) for name, spec in TABLES.items()}
        self.next_id = {name: _max_id(t) + 1 for name, t in self.tables.items()}
        self.user_ids: dict[str, int] = {}  # "t12" / "p345" → user id
        self.school_ids: dict[int, int] = {}
        self.plans = self._plan()
        self.attempt_odds = self._attempt_odds()
        self.probe = Probe(hot_quiz_id=self.hot.pk)
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)

    # --- The plan: who is in which class and what each class was set ---------------------------

    def _plan(self) -> list[ClassPlan]:
        s, rng = self.sizes, random.Random(self.seed)
        by_tier: dict[str, list[Quiz]] = {}
        for quiz in self.quizzes:
            by_tier.setdefault(quiz.tier, []).append(quiz)
        probe_quizzes = [self.hot] + [q for q in self.quizzes if q is not self.hot]
        plans = [ClassPlan(0, 0, range(0, s.probe_pupils), probe_quizzes[: s.probe_quizzes], False)]
        rest, others = s.pupils - s.probe_pupils, s.classes - 1
        start = s.probe_pupils
        for index in range(1, s.classes):
            size = rest // others + (1 if index <= rest % others else 0)
            tier = rng.choice(sorted(by_tier))
            pool = by_tier[tier]
            quizzes = rng.sample(pool, rng.randint(min(3, len(pool)), len(pool)))
            if tier == self.hot.tier and self.hot not in quizzes:
                quizzes[0] = self.hot  # every class at its tier sets the popular quiz
            stale = rng.random() < s.stale_share and self.hot not in quizzes
            plans.append(
                ClassPlan(index, 1 + (index - 1) // 2, range(start, start + size), quizzes, stale)
            )
            start += size
        return plans

    def _attempt_odds(self) -> tuple[float, float]:
        """(hot, other): the chance that a pupil's link to the hot quiz, or to any other, has an
        attempt, so that the totals come out as the sizes say."""
        hot_links = other_links = 0
        for plan in self.plans[1:]:
            for quiz in plan.quizzes:
                if quiz is self.hot:
                    hot_links += len(plan.pupils)
                else:
                    other_links += len(plan.pupils)
        probe = self.sizes.probe_pupils * self.sizes.probe_quizzes
        hot_wanted = self.sizes.hot_attempts - self.sizes.probe_pupils
        other_wanted = self.sizes.attempts - probe - hot_wanted
        return (
            min(1.0, hot_wanted / hot_links) if hot_links else 0.0,
            min(1.0, max(0, other_wanted) / other_links) if other_links else 0.0,
        )

    # --- Loading ---------------------------------------------------------------------------------

    def load(self, classes: range, *, batch: int = 250) -> None:
        for first in range(classes.start, classes.stop, batch):
            rows: dict[str, list[tuple]] = {name: [] for name in TABLES}
            for plan in self.plans[first : min(first + batch, classes.stop)]:
                self._class_rows(plan, rows)
            _copy(self.tables, rows)
            for name, found in rows.items():
                self.counts[name] += len(found)

    def finish(self) -> None:
        """Sequences past the ids written, and fresh planner statistics."""
        from django.db import connection

        with connection.cursor() as cursor:
            for table in self.tables.values():
                if table.columns[0] != "id":
                    continue
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table.name}))"
                )
            cursor.execute("ANALYZE")

    def _new(self, name: str, rows: dict, row: tuple) -> int:
        pk = self.next_id[name]
        self.next_id[name] += 1
        rows[name].append((pk, *row))
        return pk

    def _school(self, number: int, rows: dict) -> int:
        if number not in self.school_ids:
            when = self.now - timedelta(days=800)
            self.school_ids[number] = self._new(
                "school",
                rows,
                (f"District school {number + 1}", "Myitkyina", "Myanmar", "approved", when, when),
            )
        return self.school_ids[number]

    def _teacher(self, number: int, rows: dict) -> int:
        key = f"t{number}"
        if key not in self.user_ids:
            when = self.now - timedelta(days=760)
            pk = self._user(
                rows, f"bench-teacher-{number:05d}", "teacher", f"Teacher {number}", when
            )
            self.user_ids[key] = pk
            school = self._school(number // 35, rows)
            self._new(
                "school_member", rows, (school, pk, "teacher", "verified", "staff", when, when)
            )
        return self.user_ids[key]

    def _user(self, rows: dict, username: str, role: str, name: str, when) -> int:
        verified = when if role == "teacher" else None
        return self._new(
            "user",
            rows,
            (self.password, None, False, username, "", "", "", False, True, when, role, name, "",
             verified, "en", 0),
        )  # fmt: skip

    def _class_rows(self, plan: ClassPlan, rows: dict) -> None:
        rng = random.Random(self.seed * 100_003 + plan.index)
        end = self.now - (timedelta(days=rng.randint(400, 700)) if plan.stale else timedelta(0))
        start = end - timedelta(days=330)
        teacher = self._teacher(plan.teacher, rows)
        pupils = []
        for number in plan.pupils:
            name = f"{rng.choice(FIRST_NAMES)} {chr(65 + number % 26)}."
            pupils.append(self._user(rows, f"bench-pupil-{number:06d}", "pupil", name, start))
        last_activity = end - timedelta(days=rng.randint(0, 20))
        class_id = self._new(
            "classroom",
            rows,
            (f"Class {plan.index}", f"Year {7 + plan.index % 6}", plan.quizzes[0].tier,
             _join_code(plan.index), None, True, True, start, last_activity, last_activity, None),
        )  # fmt: skip
        self._new("class_teacher", rows, (class_id, teacher, "owner", start))
        for pupil in pupils:
            self._new("membership", rows, (class_id, pupil, "active", start))
        half = len(pupils) // 2
        for name, members in (("Group A", pupils[:half]), ("Group B", pupils[half:])):
            group = self._new("group", rows, (class_id, name))
            rows["group_pupil"].extend((group, pupil) for pupil in members)
        if plan.index == 0:
            self.probe.class_id = class_id
            self.probe.teacher_username = f"bench-teacher-{plan.teacher:05d}"
            self.probe.pupil_username = f"bench-pupil-{plan.pupils[0]:06d}"
        for number, quiz in enumerate(plan.quizzes):
            self._assignment_rows(plan, quiz, number, class_id, teacher, pupils, (start, end), rows)

    def _assignment_rows(self, plan, quiz, number, class_id, teacher, pupils, span, rows) -> None:
        rng = random.Random(self.seed * 7919 + plan.index * 97 + number)
        start, end = span
        last = number == len(plan.quizzes) - 1
        if plan.index == 0 and last:  # the probe pupil's open attempt: due next week
            open_at, due_at = self.now - timedelta(days=3), self.now + timedelta(days=7)
        else:
            open_at = start + timedelta(days=rng.randint(0, 300), hours=rng.randint(8, 14))
            due_at = open_at + timedelta(days=7)
        assignment = self._new(
            "assignment",
            rows,
            (class_id, quiz.page_id, quiz.tier, f"Quiz {quiz.pk} for class {plan.index}",
             "Read each lesson, then take the quiz.", "assigned", "class", open_at, due_at,
             "{}", teacher, open_at, open_at),
        )  # fmt: skip
        odds = self.attempt_odds[0] if quiz is self.hot else self.attempt_odds[1]
        for position, pupil in enumerate(pupils):
            ability = 0.35 + 0.6 * random.Random(pupil).random()
            probe = plan.index == 0
            took = probe or rng.random() < odds
            state = "open" if probe and last and position == 0 else "done"
            self._link_rows(rows, rng, quiz, assignment, pupil, teacher, ability, took, state,
                            open_at, due_at)  # fmt: skip

    def _link_rows(self, rows, rng, quiz, assignment, pupil, teacher, ability, took, state,
                   open_at, due_at) -> None:  # fmt: skip
        started = open_at + timedelta(hours=rng.randint(1, 120), minutes=rng.randint(0, 59))
        if took and state == "done":
            status, turned_in = ("turned_in", started + timedelta(minutes=30))
        elif took:
            status, turned_in = "in_progress", None
        else:
            status, turned_in, started = "not_started", None, None
        link = self._new(
            "link", rows, (assignment, pupil, status, None, 0, 0, started, turned_in, None, "{}")
        )
        for lesson in quiz.lessons:
            if rng.random() < 0.75:
                opened = open_at + timedelta(hours=rng.randint(1, 96))
                done = opened + timedelta(minutes=25) if rng.random() < 0.8 else None
                self._new("progress", rows, (pupil, lesson, min(opened, self.now), done))
        if took:
            self._attempt_rows(rows, rng, quiz, link, pupil, teacher, ability, state, started)

    def _attempt_rows(self, rows, rng, quiz, link, pupil, teacher, ability, state, started) -> None:
        done = state == "done"
        if not done:
            started = self.now - timedelta(minutes=5)
        submitted = started + timedelta(minutes=rng.randint(6, 25)) if done else None
        deadline = started + timedelta(minutes=quiz.time_limit) if quiz.time_limit else None
        answers, score, unmarked = [], Decimal(0), False
        questions = quiz.questions[: self.sizes.answers_per_attempt]
        for position, (question, _points, kind, candidates) in enumerate(questions):
            if not done and position >= len(questions) // 2:
                break
            response, correct, points = (
                candidates[0] if rng.random() < ability else rng.choice(candidates[1:])
            )
            marked = marked_at = None
            if kind == "open" and done and rng.random() < 0.5:
                points, correct = Decimal(rng.randint(0, _points)), None
                marked, marked_at = teacher, submitted + timedelta(days=2)
            elif kind == "open":
                unmarked = unmarked or done
            score += points or 0
            saved = started + timedelta(minutes=position + 1)
            answers.append(
                (question, response, int(saved.timestamp() * 1000), saved, None,
                 correct if done else None, points if done else None, "", marked, marked_at)
            )  # fmt: skip
        attempt = self._new(
            "attempt",
            rows,
            (quiz.pk, pupil, link, 1, "submitted" if done else "in_progress", "online",
             rng.randrange(2**31), started, deadline, submitted, False, score if done else None,
             quiz.max_score, unmarked, submitted),
        )  # fmt: skip
        for row in answers:
            self._new("answer", rows, (attempt, *row))
        if not done:
            self.probe.open_attempt_id = attempt


def _quizzes() -> list[Quiz]:
    """Live quizzes (on module-tier pages) with their lessons and graded candidate answers,
    the most-questioned quiz of the commonest tier first (the hot quiz)."""
    from lessons.models import LessonPage
    from reelearn.quizzes.models import Quiz as QuizModel

    found = []
    for quiz in (
        QuizModel.objects.live().select_related("page").prefetch_related("questions__choices")
    ):
        questions = sorted(
            (q for q in quiz.questions.all() if not q.retired), key=lambda q: (q.sort_order, q.pk)
        )
        lessons = LessonPage.objects.live().child_of(quiz.page).values_list("pk", flat=True)
        found.append(
            Quiz(
                pk=quiz.pk,
                page_id=quiz.page_id,
                tier=getattr(quiz.page.specific, "tier", "t2"),
                time_limit=quiz.time_limit_minutes,
                questions=[(q.pk, q.points, q.kind, _candidates(q)) for q in questions],
                lessons=list(lessons),
            )
        )
    if not found:
        raise SystemExit("no live quizzes: load_curriculum first")
    untimed = [q for q in found if q.time_limit is None]
    hot = max(untimed or found, key=lambda q: (q.tier == "t2", len(q.questions), -q.pk))
    return [hot] + [q for q in found if q is not hot]


def _candidates(question) -> list[tuple[str, bool | None, Decimal | None]]:
    """A right answer first, then wrong ones, each (stored response as JSON, correct, score)."""
    from reelearn.quizzes.scoring import grade

    choices = question.live_choices()
    ids = [c.pk for c in choices]
    right = [c.pk for c in choices if c.is_correct]
    wrong = [c.pk for c in choices if not c.is_correct]
    kind = question.kind
    if kind == "single":
        shapes = [{"choice": right[0] if right else ids[0]}] + [{"choice": w} for w in wrong[:2]]
    elif kind == "multiple":
        shapes = [{"choices": right}, {"choices": sorted(right[:1] + wrong[:1])}]
    elif kind == "true_false":
        shapes = [{"value": bool(question.answer_bool)}, {"value": not question.answer_bool}]
    elif kind == "short_text":
        shapes = [{"text": (question.accepted_list() or ["neodymium"])[0]}, {"text": "cerium"}]
    elif kind == "numeric":
        value = question.numeric_answer or Decimal(0)
        shapes = [{"value": f"{value.normalize():f}"}, {"value": f"{(value * 2 + 7):f}"}]
    elif kind == "ordering":
        shapes = [{"order": ids}, {"order": ids[::-1]}]
    elif kind == "matching":
        rotated = ids[1:] + ids[:1]
        shapes = [
            {"pairs": {str(i): i for i in ids}},
            {"pairs": {str(i): j for i, j in zip(ids, rotated, strict=True)}},
        ]
    else:  # open: marked by the teacher, or waiting
        return [(json.dumps({"text": text}), None, None) for text in OPEN_TEXTS]
    graded = []
    for shape in shapes:
        result = grade(question, shape, choices)
        graded.append((json.dumps(shape), result.is_correct, result.score))
    return graded if len(graded) > 1 else graded * 2


def _join_code(index: int) -> str:
    """A unique join code per class ("Z" and the index in the code alphabet)."""
    digits = ""
    while True:
        index, rest = divmod(index, len(JOIN_ALPHABET))
        digits = JOIN_ALPHABET[rest] + digits
        if not index:
            break
    return ("Z" + digits.rjust(7, "A"))[:16]


def _max_id(table: Table) -> int:
    from django.db import connection

    if table.columns[0] != "id":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table.name}")
        return cursor.fetchone()[0]


def _copy(tables: dict[str, Table], rows: dict[str, list[tuple]]) -> None:
    """COPY each table's rows, parents first (TABLES' order), in one transaction."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for name, table in tables.items():
            if not rows[name]:
                continue
            sql = f"COPY {table.name} ({', '.join(table.columns)}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows[name]:
                    copy.write_row(row + table.defaults)
