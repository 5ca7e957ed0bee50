"""Editor journeys in the real Wagtail admin, then a visitor reading what was published.

1. An editor (Wagtail "Editors" group: add and change pages, no publish) builds a module with
   lessons at two tiers, previews a lesson and submits every page to the default "Moderators
   approval" workflow; a moderator approves and publishes them from the dashboard; a visitor
   browses by tier and reads a lesson's fact with its numbered source.
2. An editor writes a lesson whose fact has no source, is told to add one, picks it with the
   snippet chooser, submits the lesson; a moderator publishes it from the page's edit screen.

The tests at the end pin product problems these journeys ran into (preview CSP, unsaved
previews, stale preview bodies, strand of pages approved out of order), all fixed.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from playwright.sync_api import expect

from lessons.models import (
    CurriculumIndexPage,
    LessonPage,
    ModulePage,
    ModuleTierPage,
    Source,
    Term,
)
from tests.factories import EditorFactory, make_curriculum, make_home

from .editor_admin import (
    APPROVE,
    TIMEOUT,
    before_screenshot,
    choose_snippet,
    field,
    fill_date,
    fill_key_points,
    fill_rich_text,
    open_add_child_form,
    open_footer_menu,
    open_preview_panel,
    preview_in_new_tab,
    save_draft,
    set_slug,
    show,
    sign_in,
    stream_insert,
    submit_for_moderation,
    wait_for_editor,
)

# Transactional (live_server); serialized_rollback brings back what migrations created (the
# Editors/Moderators groups, the root page and the default workflow) if another transactional
# test flushed the database before this one.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FACT_NEEDS_SOURCE = "A fact needs at least one source"
SUBMITTED = re.compile(r"submitted for moderation", re.IGNORECASE)


@pytest.fixture
def newsroom(live_server, settings):
    """Home, a published curriculum index, one source, one glossary term and two editors."""
    # Wagtail 8 autosaves the form in the background (and, on a create form, creates the page)
    # 500 ms after each change. At Playwright's typing speed those saves race the explicit
    # footer actions (a "Submit" posted while an autosave is creating the same page fails on
    # the slug), so the journeys drive the explicit actions only.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    # The server thread shares this process's cache: nothing rendered by an earlier test (whole
    # anonymous pages, lesson bodies) may answer for this one.
    cache.clear()
    home = make_home()
    index = home.add_child(instance=CurriculumIndexPage(title="Curriculum", slug="curriculum"))
    index.save_revision().publish()
    source = Source.objects.create(
        key="usgs-2025",
        title="Mineral Commodity Summaries 2025",
        author="U.S. Geological Survey",
        year=2025,
        url="https://pubs.usgs.gov/periodicals/mcs2025/mcs2025.pdf",
        kind="statistics",
    )
    term = Term.objects.create(
        slug="magnet",
        term="Magnet",
        simple="A metal that pulls iron towards it.",
        full="A material with a persistent magnetic field.",
    )
    groups = {g.name: g for g in Group.objects.filter(name__in=["Editors", "Moderators"])}
    assert set(groups) == {"Editors", "Moderators"}, "Wagtail's migrations create both groups"
    # Wagtail admin access comes from the groups' "Can access Wagtail admin" permission, so
    # neither needs is_staff; neither is a superuser.
    alice = EditorFactory(
        username="alice", display_name="Alice Editor", is_staff=False, is_superuser=False
    )
    alice.groups.add(groups["Editors"])
    bruno = EditorFactory(
        username="bruno", display_name="Bruno Moderator", is_staff=False, is_superuser=False
    )
    bruno.groups.add(groups["Moderators"])
    return {
        "url": live_server.url,
        "index": index,
        "source": source,
        "term": term,
        "editor": alice,
        "moderator": bruno,
    }


def write_lesson(page, *, title, outcome, points, text, statement, figure, unit, term=None):
    """Fill a new lesson's form: outcome, key points, keywords and a body of text + fact.

    The fact's source is left empty; the caller chooses it. Returns the fact's form prefix.
    """
    field(page, "title").fill(title)
    page.get_by_role("textbox", name="Pupil outcome").fill(outcome)
    fill_key_points(page, points)
    if term is not None:
        field(page, "keywords").select_option(label=term.term)
    text_block = stream_insert(page, "body", "Text")
    fill_rich_text(page, f"{text_block}-value", text)
    fact = stream_insert(page, "body", "Fact")
    field(page, f"{fact}-value-statement").fill(statement)
    field(page, f"{fact}-value-figure").fill(figure)
    field(page, f"{fact}-value-unit").fill(unit)
    fill_date(
        page, f"{fact}-value-reviewed", "2026-11-01", then_click=field(page, f"{fact}-value-unit")
    )
    return fact


def expect_fact_needs_source(page, fact):
    """Saving a fact with no source re-renders the form with the error on the fact's sources."""
    expect(page.get_by_text("could not be", exact=False).first).to_be_visible(timeout=TIMEOUT)
    sources = page.locator("[data-contentpath='sources']").filter(
        has=field(page, f"{fact}-value-sources-count")
    )
    error = sources.get_by_text(FACT_NEEDS_SOURCE)
    expect(error).to_be_visible()
    show(error)


def preview_and_read(page, shot, name, *texts, timeout=TIMEOUT):
    """Open the preview of the form as it stands in a new tab and read the lesson there."""
    tab = preview_in_new_tab(page)
    shot(tab, name)
    for text in texts:
        expect(tab.get_by_text(text).first).to_be_visible(timeout=timeout)
    tab.close()


def review_row(page, title):
    panel = page.get_by_role("region", name="Awaiting your review")
    return panel.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))


def approve_on_dashboard(page, title):
    """Dashboard → "Awaiting your review" → the row's ⋯ menu → Approve (the workflow's only
    task, so approving publishes). Wagtail reloads the dashboard without a message."""
    row = review_row(page, title)
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Actions").click()
    with page.expect_navigation(timeout=TIMEOUT):
        row.get_by_role("button", name=APPROVE).first.click()
    expect(review_row(page, title)).to_have_count(0)


# --- 1. Module with lessons at two tiers --------------------------------------------------------


def test_editor_builds_module_at_two_tiers_moderator_publishes_visitor_reads(
    newsroom, page, browser, shot
):
    url, index, source, term = (newsroom[k] for k in ("url", "index", "source", "term"))

    # -- The editor signs in and adds the module under the curriculum index.
    sign_in(page, url, "alice")
    shot(page, "01-editor-dashboard")
    open_add_child_form(page, url, index.pk, "Module page")
    field(page, "title").fill("Magnets in motors")
    field(page, "code").fill("m7")
    field(page, "strand").select_option(label="REEs: science and uses")
    field(page, "summary").fill("Why wind turbines and electric cars need rare earth magnets.")
    # An editor can submit for moderation but not publish.
    actions = open_footer_menu(page)
    expect(actions.get_by_role("button", name="Submit to Moderators approval")).to_be_visible()
    expect(actions.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    before_screenshot(page)
    shot(page, "02-module-form")
    submit_for_moderation(page)
    expect(page.get_by_text(SUBMITTED).first).to_be_visible(timeout=TIMEOUT)
    module = ModulePage.objects.get(code="m7")
    assert module.slug == "magnets-in-motors" and not module.live

    # -- Two module-tier pages: ages 7–11 and ages 14–16.
    tiers = {}
    for tier, label, slug in (("t1", "Ages 7–11", "ages-7-11"), ("t3", "Ages 14–16", "ages-14-16")):
        open_add_child_form(page, url, module.pk, "Module tier page")
        title = f"Magnets in motors, {label.lower()}"
        field(page, "title").fill(title)
        field(page, "tier").select_option(label=label)
        field(page, "summary").fill(f"The module for {label.lower()}.")
        set_slug(page, slug)
        shot(page, f"03-tier-form-{tier}")
        submit_for_moderation(page)
        expect(page.get_by_text(SUBMITTED).first).to_be_visible(timeout=TIMEOUT)
        tiers[tier] = ModuleTierPage.objects.get(title=title)
        assert (tiers[tier].slug, tiers[tier].tier) == (slug, tier)
        assert tiers[tier].get_parent().pk == module.pk

    # -- A lesson for ages 7–11. First the fact goes without a source: refused on that block.
    open_add_child_form(page, url, tiers["t1"].pk, "Lesson page")
    fact = write_lesson(
        page,
        title="Magnets all around us",
        outcome="I can find three magnets at home.",
        points=[
            "Magnets pull iron.",
            "Motors have magnets inside.",
            "Strong magnets use rare earth metals.",
        ],
        text="Look for magnets on the fridge, in speakers and in toy cars.",
        statement="China mined most of the world's rare earths in 2024.",
        figure="270,000",
        unit="tonnes",
    )
    save_draft(page)
    expect_fact_needs_source(page, fact)
    shot(page, "04-fact-needs-a-source")
    show(choose_snippet(page, f"{fact}-value-sources-0-value", "Mineral Commodity Summaries"))
    expect(field(page, f"{fact}-value-sources-0-value")).to_have_value(str(source.pk))
    before_screenshot(page)
    shot(page, "05-source-chosen")
    save_draft(page)
    expect(page.get_by_text(FACT_NEEDS_SOURCE)).to_have_count(0)
    # The preview side panel stays blank (see test_preview_panel_shows_the_page below), so the
    # editor uses the panel's "Preview in new tab" button.
    preview_and_read(
        page,
        shot,
        "06-lesson-preview-t1",
        "Look for magnets on the fridge",
        "China mined most of the world's rare earths in 2024.",
        "[1] U.S. Geological",
    )
    submit_for_moderation(page)
    expect(page.get_by_text(SUBMITTED).first).to_be_visible(timeout=TIMEOUT)

    # -- A lesson for ages 14–16, the source chosen straight away.
    open_add_child_form(page, url, tiers["t3"].pk, "Lesson page")
    fact = write_lesson(
        page,
        title="Why motors need rare earth magnets",
        outcome="I can explain why neodymium magnets make motors smaller.",
        points=[
            "NdFeB magnets are the strongest permanent magnets.",
            "Stronger magnets mean lighter motors.",
            "Most rare earth refining happens in one country.",
        ],
        text="Permanent magnet motors turn electricity into motion with little loss.",
        statement="Rare earth mine production was about 390,000 tonnes in 2024.",
        figure="390,000",
        unit="tonnes of rare earth oxide",
        term=term,
    )
    choose_snippet(page, f"{fact}-value-sources-0-value", "Mineral Commodity Summaries")
    # Saved before previewing: a never-saved lesson's preview is a server error (see
    # test_preview_of_a_lesson_before_its_first_save below).
    save_draft(page)
    preview_and_read(
        page,
        shot,
        "07-lesson-preview-t3",
        "Permanent magnet motors turn",
        "Rare earth mine production was about 390,000 tonnes in 2024.",
    )
    submit_for_moderation(page)
    expect(page.get_by_text(SUBMITTED).first).to_be_visible(timeout=TIMEOUT)

    lessons = {t: LessonPage.objects.child_of(tiers[t]).get() for t in tiers}
    submitted = [module, tiers["t1"], tiers["t3"], *lessons.values()]
    for p in submitted:
        p.refresh_from_db()
        assert not p.live and p.current_workflow_state is not None, p
    assert not ModulePage.objects.live().exists()

    # -- The moderator approves and publishes all five from the dashboard, parents first (the
    # dashboard lists the newest first; see test_approving_a_lesson_before_its_tier_page_...).
    moderator_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    moderator = moderator_context.new_page()
    sign_in(moderator, url, "bruno")
    expect(moderator.get_by_role("heading", name="Awaiting your review")).to_be_visible()
    shot(moderator, "08-moderator-dashboard")
    for p in submitted:
        approve_on_dashboard(moderator, p.title)
    expect(moderator.get_by_role("heading", name="Awaiting your review")).to_have_count(0)
    shot(moderator, "09-moderator-dashboard-done")
    moderator_context.close()
    for p in submitted:
        p.refresh_from_db()
        assert p.live and p.current_workflow_state is None, p
    lesson = LessonPage.objects.get(pk=lessons["t3"].pk)
    assert (lesson.tier, lesson.strand) == ("t3", "science")
    assert ModuleTierPage.objects.get(pk=tiers["t1"].pk).strand == "science"
    assert lesson.references[0]["key"] == source.key

    # -- A visitor browses by tier and reads the 14–16 lesson.
    visitor_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    visitor = visitor_context.new_page()
    visitor.goto(f"{url}/curriculum/?tier=t1")
    card = visitor.get_by_role("listitem").filter(
        has=visitor.get_by_role("link", name="Magnets in motors")
    )
    expect(card).to_be_visible()
    expect(card.get_by_role("link", name="Ages 7–11")).to_be_visible()
    shot(visitor, "10-curriculum-ages-7-11")
    card.get_by_role("heading").get_by_role("link", name="Magnets in motors").click()
    expect(visitor.get_by_role("heading", level=1, name="Magnets in motors")).to_be_visible()
    expect(visitor.get_by_role("heading", name="Lessons for Ages 7–11")).to_be_visible()
    expect(visitor.get_by_role("link", name="Magnets all around us")).to_be_visible()
    shot(visitor, "11-module-ages-7-11")
    switcher = visitor.get_by_role("navigation", name="Choose an age group")
    switcher.get_by_role("link", name="Ages 14–16").click()
    expect(visitor.get_by_role("heading", name="Lessons for Ages 14–16")).to_be_visible()
    expect(switcher.get_by_role("link", name="Ages 14–16")).to_have_attribute(
        "aria-current", "true"
    )
    expect(visitor.get_by_role("link", name="Magnets all around us")).to_have_count(0)
    shot(visitor, "12-module-ages-14-16")
    visitor.get_by_role("link", name="Why motors need rare earth magnets").click()
    expect(visitor).to_have_url(
        re.compile(r"/curriculum/magnets-in-motors/ages-14-16/why-motors-need-rare-earth-magnets/")
    )
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Why motors need rare earth magnets"
    )
    expect(visitor.get_by_text("Permanent magnet motors turn electricity")).to_be_visible()
    fact_box = visitor.get_by_role("complementary", name="Fact")
    expect(fact_box).to_contain_text("Rare earth mine production was about 390,000 tonnes")
    expect(fact_box).to_contain_text("390,000")
    cite = fact_box.get_by_role("link", name=re.compile(r"^\[1\] U\.S\. Geological Survey"))
    expect(cite).to_have_attribute("href", "#ref-usgs-2025")
    references = visitor.get_by_role("region", name="Sources")
    expect(references.locator("ol > li")).to_have_count(1)
    expect(references.locator("#ref-usgs-2025")).to_contain_text("Mineral Commodity Summaries 2025")
    # Key words at the 14–16 level use the full definition.
    expect(visitor.get_by_text("A material with a persistent magnetic field.")).to_be_visible()
    cite.click()
    expect(visitor).to_have_url(re.compile(r"#ref-usgs-2025$"))
    shot(visitor, "13-lesson-ages-14-16")
    visitor_context.close()


# --- 2. A lesson with a fact and its source, through moderation ---------------------------------


def test_fact_needs_its_source_then_another_editor_publishes_the_lesson(
    newsroom, page, browser, shot
):
    url, source = newsroom["url"], newsroom["source"]
    made = make_curriculum(
        tiers=("t3",),
        lessons_per_tier=0,
        n_sources=0,
        n_terms=0,
        code="m2",
        index=newsroom["index"],
    )
    tier_page = made["tier_pages"]["t3"]

    sign_in(page, url, "alice")
    open_add_child_form(page, url, tier_page.pk, "Lesson page")
    fact = write_lesson(
        page,
        title="Where rare earths are mined",
        outcome="I can name two mining countries.",
        points=[
            "Rare earths are mined in many countries.",
            "China mines the most.",
            "Mining can harm rivers.",
        ],
        text="Rare earth ores are dug up, crushed and separated.",
        statement="China mined most of the world's rare earths in 2024.",
        figure="270,000",
        unit="tonnes",
    )
    # The chooser list starts with one empty slot; the editor leaves it empty.
    save_draft(page)
    expect_fact_needs_source(page, fact)
    assert not LessonPage.objects.filter(slug="where-rare-earths-are-mined").exists()
    shot(page, "01-fact-needs-a-source")
    choose_snippet(page, f"{fact}-value-sources-0-value", "U.S. Geological Survey")
    submit_for_moderation(page)
    expect(page.get_by_text(SUBMITTED).first).to_be_visible(timeout=TIMEOUT)
    before_screenshot(page)
    shot(page, "02-submitted")
    lesson = LessonPage.objects.get(slug="where-rare-earths-are-mined")
    assert not lesson.live
    draft = lesson.get_latest_revision_as_object()
    assert [b.block_type for b in draft.body] == ["text", "fact"]
    assert [s.pk for s in draft.body[1].value["sources"]] == [source.pk]

    # Another editor, in the Moderators group, opens the page and approves it there.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    moderator = context.new_page()
    sign_in(moderator, url, "bruno")
    moderator.get_by_role("link", name="Where rare earths are mined", exact=True).click()
    wait_for_editor(moderator)
    approve = open_footer_menu(moderator).get_by_role(
        "button", name="Approve and Publish", exact=True
    )
    expect(approve).to_be_visible()
    before_screenshot(moderator)
    shot(moderator, "03-moderator-edit-screen")
    with moderator.expect_navigation(timeout=TIMEOUT):
        approve.click()
    # Wagtail goes back to the parent's listing once the action is done.
    expect(moderator).to_have_url(re.compile(rf"/admin/pages/{tier_page.pk}/$"))
    expect(moderator.get_by_text("Where rare earths are mined").first).to_be_visible()
    before_screenshot(moderator)
    shot(moderator, "04-moderator-approved")
    context.close()
    lesson.refresh_from_db()
    assert lesson.live and lesson.current_workflow_state is None

    # Anyone can now read it, fact and numbered source included.
    visitor = browser.new_context(locale="en-GB").new_page()
    visitor.goto(f"{url}{lesson.url}")
    fact_box = visitor.get_by_role("complementary", name="Fact")
    expect(fact_box).to_contain_text("China mined most of the world's rare earths in 2024.")
    expect(fact_box.get_by_role("link", name="[1] U.S. Geological Survey (2025)")).to_be_visible()
    expect(visitor.locator("#ref-usgs-2025")).to_contain_text("Mineral Commodity Summaries 2025")
    shot(visitor, "05-published-lesson")
    visitor.context.close()


# --- Regressions: product problems these journeys found, now fixed --------------------------


def test_preview_panel_shows_the_page(newsroom, page):
    made = make_curriculum(
        tiers=("t1",), lessons_per_tier=1, n_terms=0, code="m3", index=newsroom["index"]
    )
    lesson = made["lessons"]["t1"][0]
    sign_in(page, newsroom["url"], "alice")
    page.goto(f"{newsroom['url']}/admin/pages/{lesson.pk}/edit/")
    wait_for_editor(page)
    panel = open_preview_panel(page)
    expect(panel.get_by_role("heading", level=1)).to_have_text(lesson.title, timeout=5_000)


def test_preview_of_a_lesson_before_its_first_save(newsroom, page, shot):
    made = make_curriculum(
        tiers=("t1",),
        lessons_per_tier=0,
        n_sources=0,
        n_terms=0,
        code="m4",
        index=newsroom["index"],
    )
    sign_in(page, newsroom["url"], "alice")
    open_add_child_form(page, newsroom["url"], made["tier_pages"]["t1"].pk, "Lesson page")
    field(page, "title").fill("Preview before saving")
    page.get_by_role("textbox", name="Pupil outcome").fill("I can check my work.")
    fill_key_points(page, ["One.", "Two.", "Three."])
    preview_and_read(page, shot, "unsaved-preview", "I can check my work.", timeout=5_000)


def test_second_preview_after_an_edit_shows_the_edit(newsroom, page, shot):
    made = make_curriculum(
        tiers=("t1",), lessons_per_tier=1, n_terms=0, code="m5", index=newsroom["index"]
    )
    lesson = made["lessons"]["t1"][0]
    sign_in(page, newsroom["url"], "alice")
    page.goto(f"{newsroom['url']}/admin/pages/{lesson.pk}/edit/")
    wait_for_editor(page)
    question = page.locator("input[name$='-value-questions-0-value']")
    preview_and_read(page, shot, "01-first-preview", "Name two rare earth elements.")
    question.fill("Name three rare earth elements.")
    preview_and_read(
        page, shot, "02-second-preview", "Name three rare earth elements.", timeout=5_000
    )


def test_approving_a_lesson_before_its_tier_page_keeps_its_strand(newsroom, page):
    """Pages as the editor's admin forms create them (drafts, revision by the editor, in the
    default workflow), then the moderator approves the dashboard's rows top to bottom."""
    index, alice = newsroom["index"], newsroom["editor"]
    module = index.add_child(
        instance=ModulePage(
            title="Ethics of magnets",
            slug="ethics-of-magnets",
            code="m6",
            strand="ethics",
            summary="Who pays for our magnets?",
            live=False,
        )
    )
    tier_page = module.add_child(
        instance=ModuleTierPage(
            title="Ethics of magnets, ages 14–16", slug="ages-14-16", tier="t3", live=False
        )
    )
    lesson = tier_page.add_child(
        instance=LessonPage(
            title="Who lives near the mines?",
            slug="who-lives-near-the-mines",
            outcome="I can describe who is affected by mining.",
            key_points=[("point", "One."), ("point", "Two."), ("point", "Three.")],
            live=False,
        )
    )
    workflow = index.get_workflow()
    for p in (module, tier_page, lesson):
        p.save_revision(user=alice)
        workflow.start(p, alice)

    sign_in(page, newsroom["url"], "bruno")
    panel = page.get_by_role("region", name="Awaiting your review")
    rows = panel.get_by_role("row").filter(has=page.get_by_role("link"))
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Who lives near the mines?")
    for title in [lesson.title, tier_page.title, module.title]:  # the dashboard's order
        approve_on_dashboard(page, title)
    lesson.refresh_from_db()
    assert lesson.live
    assert lesson.strand == "ethics"
