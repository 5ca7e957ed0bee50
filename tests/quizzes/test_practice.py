"""Practising the missed questions once the key is out (issue 19, item 6): nothing stored,
the score unchanged, and no practice at all before the answers are released."""

from __future__ import annotations

from django.urls import reverse

from reelearn.quizzes.models import Answer, Attempt, Question

from .factories import make_quiz
from .test_pupil_views import form_data, questions, start

Kind = Question.Kind


def _taken(client, pupil, lesson, **settings) -> tuple[Attempt, dict]:
    quiz = make_quiz(lesson, kinds=[Kind.SINGLE, Kind.SHORT_TEXT, Kind.TRUE_FALSE], **settings)
    qs = questions(quiz)
    client.force_login(pupil)
    attempt = start(client, quiz)
    data = form_data(attempt, {qs[Kind.SINGLE]: "Five", qs[Kind.TRUE_FALSE]: True}, "submit")
    client.post(reverse("quizzes:attempt", args=[attempt.pk]), data)
    attempt.refresh_from_db()
    return attempt, qs


def test_practice_offers_only_the_missed_questions_and_changes_nothing(client, pupil, lesson):
    attempt, qs = _taken(client, pupil, lesson, answers_timing="after_submit")
    url = reverse("quizzes:practice", args=[attempt.pk])
    result = client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    assert f'href="{url}"' in result and "Practise the 2 questions you missed" in result
    page = client.get(url).content.decode()
    assert f'id="q{qs[Kind.SINGLE].pk}"' in page and f'id="q{qs[Kind.SHORT_TEXT].pk}"' in page
    assert f'id="q{qs[Kind.TRUE_FALSE].pk}"' not in page  # right the first time
    assert "Correct answer:" not in page  # nothing checked yet
    before = list(Answer.objects.filter(attempt=attempt).values_list("response", "score"))
    data = form_data(attempt, {qs[Kind.SINGLE]: "Seventeen", qs[Kind.SHORT_TEXT]: "Iron"})
    checked = client.post(url, data)
    html = checked.content.decode()
    assert checked.status_code == 200
    assert "Right!" in html and "Not right" in html
    assert "Correct answer:</strong> Neodymium / Nd" in html and "EXPLANATION-SECRET" in html
    assert list(Answer.objects.filter(attempt=attempt).values_list("response", "score")) == before
    score = attempt.score
    attempt.refresh_from_db()
    assert attempt.score == score == 1
    assert Attempt.objects.filter(pupil=pupil).count() == 1


def test_no_practice_while_the_key_is_kept_back(client, pupil, other_pupil, lesson):
    attempt, qs = _taken(client, pupil, lesson, answers_timing="never")
    url = reverse("quizzes:practice", args=[attempt.pk])
    assert (
        "Practise" not in client.get(reverse("quizzes:result", args=[attempt.pk])).content.decode()
    )
    assert client.get(url).status_code == 404
    data = form_data(attempt, {qs[Kind.SINGLE]: "Seventeen"})
    assert client.post(url, data).status_code == 404
    client.force_login(other_pupil)
    assert client.get(url).status_code == 404
