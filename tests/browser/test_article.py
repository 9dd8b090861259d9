"""Reading an article page: every claim marked in place with its note at hand.

Beyond the site contract (``data-claim``, ``data-verdict``, ``id="claim-<id>"``), an article page
ties each claim to its note: the claim's first element names the note in ``aria-details``.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page

from .conftest import ARTICLE_BLOCKS, VERDICTS, NewPage, SiteClaim, wait_until

ROOT = Path(__file__).resolve().parents[2]

# Does `text` show to a sighted reader inside `el`? Visually-hidden text (clipped to a pixel),
# text hidden by CSS and the content of a closed <details> do not count. Straight and curly
# quotes count as the same.
SHOWS_TEXT = """([el, text]) => {
    const fold = t => t.toLowerCase()
        .replace(/[\u2018\u2019]/g, "'").replace(/[\u201c\u201d]/g, '"');
    const want = fold(text);
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!fold(node.data).includes(want)) continue;
        // inside a closed <details> (content-visibility: hidden), say
        if (!node.parentElement.checkVisibility({visibilityProperty: true})) continue;
        let ok = true;
        for (let e = node.parentElement; e && e !== el.parentElement; e = e.parentElement) {
            const s = getComputedStyle(e), r = e.getBoundingClientRect();
            if (s.display === 'none' || s.visibility !== 'visible' || Number(s.opacity) === 0
                || r.width < 4 || r.height < 4 || s.clipPath !== 'none'
                || (s.clip && s.clip !== 'auto')) { ok = false; break; }
        }
        if (ok) return true;
    }
    return false;
}"""


def note_of(page: Page, claim_id: str) -> str:
    """The id of the note that describes a claim, as its mark declares it."""
    note_id = page.get_attribute(f"#claim-{claim_id}", "aria-details")
    assert note_id, f"#claim-{claim_id} names no note in aria-details"
    return note_id


def in_reading_order(page: Page) -> list[str]:
    """The ids of the claims on an article page, in the order a reader meets them."""
    ids: list[str] = page.eval_on_selector_all(
        "[data-claim][id^='claim-']", "els => els.map(e => e.dataset.claim)"
    )
    return ids


def shows(page: Page, selector: str, text: str) -> bool:
    element = page.locator(selector).element_handle()
    assert element is not None, f"nothing matches {selector}"
    return bool(page.evaluate(SHOWS_TEXT, [element, text]))


def plain(markdown: str) -> str:
    """The words of inline Markdown, without its syntax: what the page shows."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"[*_`]", "", text)
    return fold_quotes(" ".join(text.split()))


def claims_of(site_claims: list[SiteClaim], article: str) -> list[SiteClaim]:
    return [c for c in site_claims if c.article == article]


@pytest.fixture(scope="session")
def annotations() -> dict[tuple[str, str], dict[str, Any]]:
    """Each claim's entry in content/annotations, by (article slug, claim id)."""
    found = {}
    for path in sorted((ROOT / "content" / "annotations").glob("*.yaml")):
        for claim in yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]:
            found[path.stem, claim["id"]] = claim
    return found


def slug_of(article_url: str) -> str:
    return Path(article_url).stem


def summary_of(page: Page, claim_id: str) -> str:
    return "#" + note_of(page, claim_id) + " > summary"


def words_of(page: Page, selector: str) -> str:
    return fold_quotes(" ".join(page.inner_text(selector).split()))


def full_note_shows(page: Page, claim_id: str) -> bool:
    """Is the note of a claim open (its explanation, sources and links in view)?"""
    full = "#" + note_of(page, claim_id) + " .note-full"
    return bool(page.eval_on_selector(full, "el => el.checkVisibility()"))


@pytest.mark.parametrize("width", [375, 1280])
def test_without_javascript_each_note_is_closed_to_its_number_verdict_and_correction_or_gist(
    new_page: NewPage,
    site_url: str,
    article_pages: list[str],
    site_claims: list[SiteClaim],
    annotations: dict[tuple[str, str], dict[str, Any]],
    width: int,
) -> None:
    page = new_page(width, javascript=False)
    for article in article_pages:
        page.goto(site_url + article)
        numbers = page.eval_on_selector_all(
            "details.note > summary .note-num", "els => els.map(e => e.textContent.trim())"
        )
        assert numbers == [f"Note {n}" for n in range(1, len(numbers) + 1)], numbers
        for claim in claims_of(site_claims, article):
            where = f"{article}#claim-{claim.id}"
            note, summary = "#" + note_of(page, claim.id), summary_of(page, claim.id)
            entry = annotations[slug_of(article), claim.id]
            assert page.locator(summary).is_visible(), f"{where}: the note is not visible"
            assert page.get_attribute(note, "open") is None, f"{where}: the note is open"
            assert shows(page, summary, claim.verdict), f"{where}: no visible verdict word"
            said = words_of(page, summary)
            gist = words_of(page, f"{summary} .note-gist").removeprefix("·").strip()
            if entry.get("updates"):
                assert "Updated" in said, f"{where}: its update is not said"
            if claim.correction:
                assert gist == f"Correction: {fold_quotes(claim.correction)}", where
            elif entry.get("gist"):
                assert gist == plain(entry["gist"]), where
            else:
                assert plain(entry["note"]).startswith(gist) and len(gist) > 10, (where, gist)
            assert not full_note_shows(page, claim.id), f"{where}: the whole note shows"
            # one or two lines: the verdict and the gist are cut to two lines at most
            lines = page.eval_on_selector(
                f"{summary} .note-line",
                "el => el.getBoundingClientRect().height"
                " / parseFloat(getComputedStyle(el).lineHeight)",
            )
            assert lines < 2.1, f"{where}: the closed note takes {lines:.1f} lines"


def test_a_gist_is_the_first_sentence_of_the_note_without_its_links(
    new_page: NewPage,
    site_url: str,
    site_claims: list[SiteClaim],
    annotations: dict[tuple[str, str], dict[str, Any]],
) -> None:
    """Abbreviations (Jr., U.S.) do not end the sentence; a link shows as its text."""
    page = new_page(1280, javascript=False)
    checked = 0
    for claim in site_claims:
        entry = annotations[slug_of(claim.article), claim.id]
        if claim.correction or entry.get("gist"):
            continue
        if page.url != site_url + claim.article:
            page.goto(site_url + claim.article)
        gist = " ".join(page.inner_text(summary_of(page, claim.id) + " .note-gist").split())
        gist = fold_quotes(gist.removeprefix("·").strip())
        note = plain(entry["note"])
        assert note.startswith(gist), f"{claim.id}: {gist!r} does not begin {note!r}"
        assert gist[-1:] in ".!?\"'" and (gist == note or note[len(gist)] == " "), gist
        assert page.locator(summary_of(page, claim.id) + " a").count() == 0
        checked += 1
    assert checked > 10


@pytest.mark.parametrize("width", [375, 1280])
def test_opening_a_note_shows_its_correction_explanation_and_every_source(
    new_page: NewPage,
    site_url: str,
    article_pages: list[str],
    site_claims: list[SiteClaim],
    annotations: dict[tuple[str, str], dict[str, Any]],
    width: int,
) -> None:
    page = new_page(width, javascript=False)
    for article in article_pages:
        page.goto(site_url + article)
        for claim in claims_of(site_claims, article):
            where = f"{article}#claim-{claim.id}"
            note = "#" + note_of(page, claim.id)
            page.click(summary_of(page, claim.id))
            assert page.get_attribute(note, "open") is not None, f"{where}: did not open"
            entry = annotations[slug_of(article), claim.id]
            explanation = plain(entry["note"])
            assert shows(page, note, explanation[:50]), f"{where}: no explanation"
            assert shows(page, note, explanation[-40:]), f"{where}: the explanation is cut"
            if claim.correction:
                assert shows(page, note, claim.correction), f"{where}: the correction is hidden"
            for source in entry["sources"]:
                assert shows(page, note, source["title"][:40]), (where, source)
            page.click(summary_of(page, claim.id))
            assert page.get_attribute(note, "open") is None, f"{where}: did not close"


def test_every_note_correction_and_source_is_in_the_html_of_its_article(
    built_site: Path, site_claims: list[SiteClaim], annotations: dict[tuple[str, str], Any]
) -> None:
    """For search engines, screen readers and readers without CSS, the whole note is there."""
    import html

    for claim in site_claims:
        text = html.unescape((built_site / claim.article).read_text(encoding="utf-8"))
        entry = annotations[slug_of(claim.article), claim.id]
        for part in [claim.correction or "", *(s["title"] for s in entry["sources"])]:
            assert part in text, f"{claim.article}#{claim.id}: {part!r} is missing"
        words = re.sub(r"<[^>]+>", "", text)
        assert fold_quotes(plain(entry["note"]))[:60] in fold_quotes(" ".join(words.split()))


def test_the_marked_text_of_each_claim_is_its_quote(
    new_page: NewPage, site_url: str, article_pages: list[str], site_claims: list[SiteClaim]
) -> None:
    page = new_page(1280, javascript=False)
    for article in article_pages:
        page.goto(site_url + article)
        for claim in claims_of(site_claims, article):
            pieces = page.eval_on_selector_all(
                f'[data-claim="{claim.id}"]', "els => els.map(e => e.textContent)"
            )
            verdicts = page.eval_on_selector_all(
                f'[data-claim="{claim.id}"]', "els => els.map(e => e.dataset.verdict)"
            )
            marked = " ".join("".join(pieces).split())
            assert _same_quote(marked, claim.quote), f"{article}#claim-{claim.id}: {marked!r}"
            assert set(verdicts) == {claim.verdict}


def fold_quotes(text: str) -> str:
    """Straight and typographic quotes read the same (as the anchoring rules say)."""
    return text.translate(
        str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
    )


def _same_quote(marked: str, quote: str) -> bool:
    return " ".join(fold_quotes(marked).split()) == " ".join(fold_quotes(quote).split())


def test_the_summary_counts_the_claims_of_each_verdict_and_links_to_them(
    new_page: NewPage, site_url: str, article_pages: list[str], site_claims: list[SiteClaim]
) -> None:
    page = new_page(1280, javascript=False)
    for article in article_pages:
        page.goto(site_url + article)
        claims = claims_of(site_claims, article)
        summary = " ".join(page.inner_text("#summary").split()).lower()
        for verdict in VERDICTS:
            count = sum(c.verdict == verdict for c in claims)
            if count:
                assert re.search(rf"\b{count}\b\W*{verdict}", summary), (article, verdict, summary)
        for claim in claims:
            link = page.locator(f'#summary a[href="#claim-{claim.id}"]')
            assert link.count() == 1, f"{article}: the summary does not link to {claim.id}"


def test_each_note_links_to_the_previous_and_the_next_claim(
    new_page: NewPage, site_url: str, main_article: dict[str, Any]
) -> None:
    page = new_page(1280, javascript=False)
    page.goto(site_url + main_article["url"])
    ids = page.eval_on_selector_all("[data-claim][id^='claim-']", "els => els.map(e => e.id)")
    assert len(ids) == len(main_article["claims"])
    for before, claim_id, after in zip([None, *ids[:-1]], ids, [*ids[1:], None], strict=True):
        note = "#" + note_of(page, claim_id.removeprefix("claim-"))
        links = page.eval_on_selector_all(
            f"{note} a[href^='#claim-']", "els => els.map(e => e.getAttribute('href'))"
        )
        assert "#" + claim_id in links, f"{note} does not link back to its claim"
        for neighbour in (before, after):
            if neighbour:
                assert "#" + neighbour in links, f"{note} does not link to {neighbour}"


@pytest.mark.parametrize("width", [375, 1280])
def test_without_javascript_a_permalink_brings_its_claim_into_view_highlighted_and_its_note_open(
    new_page: NewPage,
    site_url: str,
    article_pages: list[str],
    site_claims: list[SiteClaim],
    annotations: dict[tuple[str, str], dict[str, Any]],
    width: int,
) -> None:
    style = """el => { const s = getComputedStyle(el);
        return [s.backgroundColor, s.outlineStyle, s.outlineColor, s.boxShadow].join(' | '); }"""
    page = new_page(width, javascript=False, height=700)
    for article in article_pages:
        claims = claims_of(site_claims, article)
        for claim in claims:
            page.goto(f"{site_url}{article}#claim-{claim.id}")
            where = f"{article}#claim-{claim.id}"
            entry = annotations[slug_of(article), claim.id]
            box = page.locator(f"#claim-{claim.id}").bounding_box()
            assert box is not None and 0 <= box["y"] < 700, f"{where}: not in view: {box}"
            other = next(c for c in claims if c.id != claim.id)
            highlighted = page.eval_on_selector(f"#claim-{claim.id}", style)
            assert highlighted != page.eval_on_selector(f"#claim-{other.id}", style), where
            note = "#" + note_of(page, claim.id)
            assert shows(page, note, plain(entry["note"])[-40:]), f"{where}: its note is closed"
            assert shows(page, note, entry["sources"][0]["title"][:40]), where
            assert not full_note_shows(page, other.id), f"{where}: another note opened too"
            if width > 1000:  # beside its claim: most of it, or 200 px of it, in view
                note_box = page.locator(note).bounding_box()
                assert note_box is not None
                seen = min(note_box["y"] + note_box["height"], 700) - max(note_box["y"], 0)
                wanted = min(note_box["height"] * 0.75, 200)
                assert seen >= wanted, f"{where}: {seen:.0f} px of the note in view"


def test_with_javascript_a_permalink_opens_its_note_and_brings_it_into_view_on_a_phone(
    new_page: NewPage, site_url: str, article_pages: list[str], site_claims: list[SiteClaim]
) -> None:
    page = new_page(375, height=700)
    for article in article_pages:
        for claim in claims_of(site_claims, article):
            page.goto(f"{site_url}{article}#claim-{claim.id}")
            note = "#" + note_of(page, claim.id)
            wait_until(page, f"document.querySelector('{note}').open")
            page.wait_for_timeout(50)
            box = page.locator(note).bounding_box()
            assert box is not None
            where = f"{article}#claim-{claim.id}: {box}"
            assert box["y"] >= -1, f"{where}: the note's top is above the screen"
            assert box["y"] + min(box["height"], 300) <= 701, f"{where}: the note is below"


def test_in_print_every_note_is_printed_in_full(
    new_page: NewPage,
    site_url: str,
    main_article: dict[str, Any],
    annotations: dict[tuple[str, str], dict[str, Any]],
) -> None:
    page = new_page(800, javascript=False)
    page.emulate_media(media="print")
    page.goto(site_url + main_article["url"])
    for claim in main_article["claims"]:
        note = "#" + note_of(page, claim["id"])
        assert page.locator(note).is_visible(), f"{claim['id']}: the note does not print"
        assert shows(page, note, claim["verdict"])
        if claim.get("correction"):
            assert shows(page, note, claim["correction"]), f"{claim['id']}: no correction"
        entry = annotations[main_article["slug"], claim["id"]]
        assert shows(page, note, plain(entry["note"])[-40:]), f"{claim['id']}: note cut"
        for source in entry["sources"]:
            assert shows(page, note, source["title"][:40]), (claim["id"], source)


@pytest.mark.parametrize("media", ["screen", "print"])
def test_verdicts_differ_by_more_than_colour(
    new_page: NewPage, site_url: str, main_article: dict[str, Any], media: str
) -> None:
    """Marks differ in their underline (style or thickness) too, so greyscale and colour-blind
    readers can tell them apart, on screen and on paper."""
    page = new_page(1280)
    page.emulate_media(media=media)  # type: ignore[arg-type]
    page.goto(site_url + main_article["url"])
    looks = {}
    for verdict in VERDICTS:
        selector = f"[data-claim][data-verdict='{verdict}']"
        if page.locator(selector).count():
            looks[verdict] = page.eval_on_selector(
                selector,
                """el => { const s = getComputedStyle(el);
                    return [s.textDecorationStyle, s.textDecorationLine, s.borderBottomStyle,
                            s.textDecorationThickness].join(' '); }""",
            )
    assert len(looks) >= 2, "the main article should show at least two verdicts"
    assert len(set(looks.values())) == len(looks), looks


def test_screen_readers_hear_the_verdict_of_each_claim(
    new_page: NewPage, site_url: str, main_article: dict[str, Any]
) -> None:
    """Right after each claim comes its verdict word, as real text (not CSS-generated)."""
    page = new_page(1280)
    page.goto(site_url + main_article["url"])
    for claim in main_article["claims"]:
        after = page.eval_on_selector(
            f"#claim-{claim['id']}",
            """el => {
                const all = [...document.querySelectorAll(`[data-claim="${el.dataset.claim}"]`)];
                const last = all[all.length - 1];
                const range = document.createRange();
                range.setStartAfter(last);
                range.setEnd(document.body, document.body.childNodes.length);
                return range.toString().slice(0, 120);
            }""",
        )
        assert claim["verdict"] in after.lower()[:80], f"{claim['id']}: {after!r}"


def test_each_claim_links_to_its_passage_in_the_original_when_the_url_is_known(
    new_page: NewPage, site_url: str, claims_json: dict[str, Any]
) -> None:
    page = new_page(1280, javascript=False)
    checked = 0
    for article in claims_json["articles"]:
        source = ROOT / "content" / "articles" / f"{article['slug']}.md"
        front = yaml.safe_load(source.read_text(encoding="utf-8").split("---")[1])
        if not front.get("url"):
            continue
        page.goto(site_url + article["url"])
        for claim in article["claims"]:
            note = "#" + note_of(page, claim["id"])
            hrefs = page.eval_on_selector_all(
                f"{note} a[href*='#:~:text=']", "els => els.map(e => e.href)"
            )
            assert hrefs, f"{article['slug']}#{claim['id']}: no link into the original"
            assert hrefs[0].startswith(front["url"].split("#")[0])
            checked += 1
    assert checked, "no article has a known URL"


def test_keys_j_and_k_step_through_the_claims(
    new_page: NewPage, site_url: str, main_article: dict[str, Any]
) -> None:
    page = new_page(1280)
    page.goto(site_url + main_article["url"])
    first, second = in_reading_order(page)[:2]
    page.keyboard.press("j")
    assert page.evaluate("location.hash") == f"#claim-{first}"
    page.keyboard.press("j")
    assert page.evaluate("location.hash") == f"#claim-{second}"
    page.keyboard.press("k")
    assert page.evaluate("location.hash") == f"#claim-{first}"


def test_keys_j_and_k_leave_typing_alone(
    new_page: NewPage, site_url: str, main_article: dict[str, Any]
) -> None:
    page = new_page(1280)
    page.goto(site_url + main_article["url"])
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<label>x <input id=typing></label>')"
    )
    page.focus("#typing")
    page.keyboard.press("j")
    assert page.evaluate("location.hash") == ""
    assert page.input_value("#typing") == "j"


def test_no_meaning_is_carried_by_css_generated_content(
    new_page: NewPage, site_url: str, main_article: dict[str, Any]
) -> None:
    """Screen readers and copy-paste miss ::before/::after text, so claims and badges use none."""
    page = new_page(1280)
    page.goto(site_url + main_article["url"])
    generated = page.eval_on_selector_all(
        "[data-claim], [data-claim] *, .claim-badge, .claim-badge *, .note, .note *",
        """els => els.flatMap(el => ['::before', '::after']
            .map(p => [el, p, getComputedStyle(el, p).content]))
            .filter(([el, p, c]) => c !== 'none' && c !== 'normal')
            .map(([el, p, c]) => el.tagName + '.' + el.className + p + ' ' + c)""",
    )
    assert generated == []


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_a_keyboard_user_goes_from_a_claim_to_its_note_opened_and_back(
    new_page: NewPage,
    site_url: str,
    main_article: dict[str, Any],
    annotations: dict[tuple[str, str], dict[str, Any]],
    javascript: bool,
) -> None:
    page = new_page(375, height=700, javascript=javascript)
    page.goto(site_url + main_article["url"])
    claim = main_article["claims"][0]["id"]
    note = note_of(page, claim)
    # Tab until the link right after the claim (its badge) has the focus
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == f"#{note}":
            break
    else:
        pytest.fail(f"no link to #{note} reachable by Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == f"#{note}"
    box = page.locator(f"#{note}").bounding_box()
    assert box is not None and -2 <= box["y"] < 700
    explanation = plain(annotations[main_article["slug"], claim]["note"])
    assert shows(page, f"#{note}", explanation[-40:]), "the note did not open"
    # the next Tab reaches the note itself: its summary, then its links
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.note')?.id") == note
    back = page.locator(f"#{note} a[href='#claim-{claim}']").first
    back.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == f"#claim-{claim}"


def test_with_javascript_the_note_of_the_claim_in_the_address_is_highlighted_too(
    new_page: NewPage, site_url: str, main_article: dict[str, Any]
) -> None:
    page = new_page(1280)
    page.goto(site_url + main_article["url"])
    second, third = in_reading_order(page)[1:3]
    page.goto(f"{site_url}{main_article['url']}#claim-{second}")
    wait_until(page, "document.querySelector('.note.is-current') !== null")
    current = page.eval_on_selector_all(".note.is-current", "els => els.map(e => e.id)")
    assert current == [note_of(page, second)]
    page.keyboard.press("j")
    wait_until(page, f"location.hash === '#claim-{third}'")
    # the highlight follows on the hashchange event, just after the address changes
    expected = note_of(page, third)
    wait_until(
        page,
        f"document.querySelector('.note.is-current') && "
        f"document.querySelector('.note.is-current').id === '{expected}'",
    )
    current = page.eval_on_selector_all(".note.is-current", "els => els.map(e => e.id)")
    assert current == [expected]
    opened = page.eval_on_selector_all("details.note[open]", "els => els.map(e => e.id)")
    assert set(opened) == {note_of(page, second), note_of(page, third)}


def test_with_javascript_a_note_opened_by_the_address_closes_when_its_summary_is_pressed(
    new_page: NewPage, site_url: str, main_article: dict[str, Any]
) -> None:
    page = new_page(1280)
    claim = main_article["claims"][1]["id"]
    page.goto(f"{site_url}{main_article['url']}#claim-{claim}")
    note = "#" + note_of(page, claim)
    wait_until(page, f"document.querySelector('{note}').open")
    page.click(note + " > summary")
    assert not full_note_shows(page, claim)


def test_open_all_notes_opens_every_note_and_is_remembered(
    new_page: NewPage, site_url: str, main_article: dict[str, Any]
) -> None:
    page = new_page(1280)
    page.goto(site_url + main_article["url"])
    count = page.locator("details.note").count()
    toggle = page.get_by_role("button", name="Open all notes")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert page.locator("details.note[open]").count() == count
    assert toggle.get_attribute("aria-pressed") == "true"
    page.reload()
    assert page.locator("details.note[open]").count() == count, "the choice was forgotten"
    page.get_by_role("button", name="Open all notes").click()
    assert page.locator("details.note[open]").count() == 0
    page.reload()
    assert page.locator("details.note[open]").count() == 0


@pytest.mark.parametrize("width", [375, 1280])
def test_each_note_stands_below_its_paragraph_on_phones_and_beside_it_on_wide_screens(
    new_page: NewPage, site_url: str, main_article: dict[str, Any], width: int
) -> None:
    """On wide screens the notes of a paragraph begin beside it, or, when the notes before
    them run on that far, right under those."""
    page = new_page(width, javascript=False)
    page.goto(site_url + main_article["url"])
    previous_bottom = None  # of the notes of the paragraph before
    last: dict[str, float] = {}
    for claim_id in in_reading_order(page):
        note = page.locator("#" + note_of(page, claim_id)).bounding_box()
        block = page.locator(f"#claim-{claim_id}").evaluate(BLOCK_BOX)
        notes = page.locator("#" + note_of(page, claim_id)).evaluate(
            "el => { const r = el.parentElement.getBoundingClientRect(); "
            "return {top: r.top + scrollY, bottom: r.bottom + scrollY}; }"
        )
        assert note
        if notes != last:
            previous_bottom, last = last.get("bottom"), notes
        if width < 600:
            assert note["y"] >= block["bottom"] - 1, f"{claim_id}: the note is not below its text"
            assert note["x"] < block["left"] + 40, f"{claim_id}: the note is not under its text"
        else:
            assert note["x"] >= block["right"], f"{claim_id}: the note is not in the margin"
            beside = abs(notes["top"] - block["top"]) < 24
            after = previous_bottom is not None and 0 <= notes["top"] - previous_bottom < 24
            assert beside or after, f"{claim_id}: notes at {notes}, text at {block}"
            if previous_bottom is not None and not beside:
                assert notes["top"] >= block["top"], f"{claim_id}: notes above their text"


BLOCK_BOX = """el => {
    const r = el.closest('p, li, h1, h2, h3, h4, blockquote').getBoundingClientRect();
    return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right}; }"""


def test_on_wide_screens_an_opened_note_pushes_the_later_notes_down_never_the_text(
    new_page: NewPage, site_url: str, main_article: dict[str, Any]
) -> None:
    page = new_page(1280, javascript=False)
    page.goto(site_url + main_article["url"])
    boxes = f"""() => [...{ARTICLE_BLOCKS}, ...document.querySelectorAll('.notes')]
        .map(e => {{ const r = e.getBoundingClientRect();
            return [e.className === 'notes', r.top + scrollY, r.bottom + scrollY]; }})"""
    before = page.evaluate(boxes)
    page.click("details.note > summary")
    after = page.evaluate(boxes)
    text_before = [b for b in before if not b[0]]
    assert [a for a in after if not a[0]] == text_before, "the text moved"
    notes = [a for a in after if a[0]]
    assert notes != [b for b in before if b[0]], "the opened note took no room"
    for upper, lower in pairwise(notes):
        assert lower[1] >= upper[2], f"notes overlap: {upper} and {lower}"
