"""Teacher quiz API: gradebook, results, item analysis, CSV, marking, regrade, paper marks."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from reelearn.quizzes.models import Answer, Attempt, Question
from tests.quizzes.factories import assign, link_for, make_class, make_quiz
from tests.quizzes.test_teacher_views import take

Kind = Question.Kind


@pytest.fixture
def world(curriculum, teacher, pupil, other_pupil):
    lesson = curriculum["lessons"]["t1"][0]
    quiz = make_quiz(lesson)
    classroom = make_class(teacher, [pupil, other_pupil])
    assignment = assign(classroom, lesson, [pupil, other_pupil])
    take(quiz, pupil, link_for(assignment, pupil), {})
    take(quiz, other_pupil, link_for(assignment, other_pupil), {Kind.SINGLE: "Five"})
    return {"quiz": quiz, "classroom": classroom, "assignment": assignment}


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def read_urls(world):
    c, q = world["classroom"].pk, world["quiz"].pk
    return [
        f"/api/v1/classes/{c}/gradebook/",
        f"/api/v1/classes/{c}/quizzes/{q}/results/",
        f"/api/v1/classes/{c}/quizzes/{q}/analysis/",
        f"/api/v1/classes/{c}/quizzes/{q}/export/",
        f"/api/v1/classes/{c}/quizzes/{q}/marking/",
    ]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("teacher", 200), ("other_teacher", 404), ("pupil", 403), ("anonymous", 401)],
)
def test_personas(request, world, persona, expected):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = client_for(user)
    for url in read_urls(world):
        assert client.get(url).status_code in ((401, 403) if expected == 401 else (expected,)), url


def test_gradebook_results_and_analysis(world, teacher):
    client = client_for(teacher)
    c, q = world["classroom"].pk, world["quiz"].pk
    book = client.get(f"/api/v1/classes/{c}/gradebook/").json()
    assert [row["pupil"]["name"] for row in book["rows"]] == ["Amara K.", "Zed Q."]
    assert book["columns"][0]["quiz"] == q and book["rows"][0]["cells"][0]["score"] == 7
    results = client.get(f"/api/v1/classes/{c}/quizzes/{q}/results/").json()
    assert len(results["attempts"]) == 2 and len(results["attempts"][0]["answers"]) == 8
    analysis = client.get(f"/api/v1/classes/{c}/quizzes/{q}/analysis/").json()
    single = analysis["items"][0]
    assert single["facility"] == 0.5 and single["wrong_answers"] == [{"answer": "Five", "count": 1}]
    csv = client.get(f"/api/v1/classes/{c}/quizzes/{q}/export/?kind=summary")
    assert csv["Content-Type"].startswith("text/csv")
    assert b"Amara K." in b"".join(csv.streaming_content)
    bad = client.get(f"/api/v1/classes/{c}/quizzes/{q}/export/?kind=everything")
    assert bad.status_code == 400 and "kind" in bad.json()["fields"]


def test_marking_through_the_api(world, teacher, other_teacher, pupil):
    answer = Answer.objects.get(attempt__pupil=pupil, question__kind=Kind.OPEN)
    url = f"/api/v1/answers/{answer.pk}/mark/"
    assert client_for(other_teacher).put(url, {"score": 1}, format="json").status_code == 404
    assert client_for(pupil).put(url, {"score": 4}, format="json").status_code == 403
    too_many = client_for(teacher).put(url, {"score": 5}, format="json")
    assert too_many.status_code == 400 and "score" in too_many.json()["fields"]
    broken = client_for(teacher).put(
        url, '{"score": 1, "comment": "Good \\udc00"}', content_type="application/json"
    )
    assert broken.status_code == 400 and "comment" in broken.json()["fields"]
    ok = client_for(teacher).put(url, {"score": "2.5", "comment": "Good start."}, format="json")
    assert ok.status_code == 200 and ok.json()["attempt"]["score"] == 9.5
    listing = (
        client_for(teacher)
        .get(f"/api/v1/classes/{world['classroom'].pk}/quizzes/{world['quiz'].pk}/marking/")
        .json()
    )
    assert {a["id"]: a["score"] for a in listing}[answer.pk] == 2.5


def test_regrade_and_paper_marks(world, teacher, pupil):
    c, q = world["classroom"].pk, world["quiz"]
    client = client_for(teacher)
    assert client.post(f"/api/v1/classes/{c}/quizzes/{q.pk}/regrade/").json() == {"changed": 0}
    link = link_for(world["assignment"], pupil)
    question = q.questions.first()
    url = f"/api/v1/classes/{c}/quizzes/{q.pk}/paper-marks/"
    bad = client.post(
        url,
        {"assignment": world["assignment"].pk, "marks": {str(link.pk): {str(question.pk): "3"}}},
        format="json",
    )
    assert bad.status_code == 400 and f"mark-{link.pk}-{question.pk}" in bad.json()["fields"]
    ok = client.post(
        url,
        {"assignment": world["assignment"].pk, "marks": {str(link.pk): {str(question.pk): "1"}}},
        format="json",
    )
    assert ok.status_code == 200 and ok.json() == {"pupils": 1}
    assert Attempt.objects.filter(source="paper", pupil=pupil).count() == 1
    wrong = client.post(url, {"assignment": 999999, "marks": {}}, format="json")
    assert wrong.status_code == 400 and "assignment" in wrong.json()["fields"]


def test_api_gradebook_queries_are_pinned(world, teacher, django_assert_num_queries):
    client = client_for(teacher)
    # class, teacher link, memberships+pupils, assignments+pages, quizzes with totals,
    # links, attempts (force_authenticate: no session or token query)
    with django_assert_num_queries(7):
        response = client.get(f"/api/v1/classes/{world['classroom'].pk}/gradebook/")
    assert response.status_code == 200, response.content  # a refusal costs fewer queries
    assert [row["pupil"]["name"] for row in response.json()["rows"]] == ["Amara K.", "Zed Q."]
