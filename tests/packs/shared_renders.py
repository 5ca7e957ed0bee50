"""WeasyPrint renders shared between tests that only read a built pack.

A real render takes about a second, and most pack tests ask for the same few packs of the
shared curriculum (its t1 module-tier, student and teacher, A4). Those that opt in with the
`shared_pdfs` fixture get the PDF bytes of the first identical render of the test session;
everything around the render (loading the content, hashing it, claiming, storing, serving and
reading the file) still runs for real in every test. Failures are never kept.

"Identical" is the pack's content with the database ids of its quiz and class left out: each
test makes its own quiz (new ids, rolled back afterwards) and class (new pupils and usernames),
and those ids are all that differ. So a shared PDF shows the first test's quiz ids, option
order (seeded by the quiz) and usernames: a test that reads any of those, or that tests the
build itself (retries, failures, rebuilds), does not opt in. Anything a test changes that a
pack prints (a publish, a term, a picture, a guide, a renamed quiz) gives another key, so a
real render.

(Keying on the HTML, as tried before, never hit: the quiz id and version hash are printed.)
"""

from __future__ import annotations

import hashlib
import json

from reelearn.packs import rendering, services
from reelearn.packs.content import ClassContent, PageContent, _row, template_version


class SharedRenders:
    def __init__(self):
        self.pdfs: dict[str, tuple[bytes, int]] = {}
        self.renders = 0
        self.hits = 0

    def render_pack(self, real):
        def render_pack(content):
            if not isinstance(content, PageContent | ClassContent):
                return real(content)  # a zip: its lesson parts come back through here
            key = render_key(content)
            if key in self.pdfs:
                self.hits += 1
            else:
                self.pdfs[key] = real(content)  # an exception is raised, not kept
                self.renders += 1
            return self.pdfs[key]

        return render_pack

    def install(self, monkeypatch) -> None:
        """services.render_pack builds; rendering.render_pack renders a zip's parts."""
        real = rendering.render_pack
        monkeypatch.setattr(services, "render_pack", self.render_pack(real))
        monkeypatch.setattr(rendering, "render_pack", self.render_pack(real))


def _quiz_shape(quiz) -> list | None:
    if quiz is None:
        return None
    questions = []
    for question in quiz.questions.all():
        image = question.image
        questions.append(
            [
                _row(question, exclude=("id", "quiz_id")),
                [_row(c, exclude=("id", "question_id")) for c in question.choices.all()],
                [image.file.name, image.file_hash] if image else None,
            ]
        )
    return [quiz.page_id, quiz.title, quiz.intro, quiz.shuffle_choices, questions]


def _class_shape(content: ClassContent) -> dict:
    a = content.assignment
    return {
        "assignment": [a.title, a.instructions, a.tier, str(a.due_at), a.page_id],
        "classroom": [a.classroom.name, a.classroom.year_group],
        "teachers": [[str(t), t.school_name] for t in content.teachers],
        "pupils": [p.display_name for p in content.pupils],
        "cards": [[c.display_name, c.class_name, bool(c.password)] for c in content.cards],
        "quiz": _quiz_shape(content.quiz),
    }


def render_key(content) -> str:
    if isinstance(content, ClassContent):
        shape = _class_shape(content)
    else:
        shape = {**content.fingerprint(), "quizzes": [_quiz_shape(q) for q in content.quizzes]}
    payload = [
        template_version(),
        content.kind,
        content.edition,
        content.paper,
        content.language,
        shape,
    ]
    if isinstance(content, PageContent):
        payload.append(content.target)
    blob = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()
