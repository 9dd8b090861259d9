"""Reading an article page: every claim marked in place with its note at hand.

Beyond the site contract (``data-claim``, ``data-verdict``, ``id="claim-<id>"``), an article page
ties each claim to its note: the claim's first element names the note in ``aria-details``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page

from .conftest import VERDICTS, NewPage, SiteClaim

ROOT = Path(__file__).resolve().parents[2]

# Does `text` show to a sighted reader inside `el`? Visually-hidden text (clipped to a pixel)
# and text hidden by CSS do not count.
SHOWS_TEXT = """([el, text]) => {
    const want = text.toLowerCase();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.data.toLowerCase().includes(want)) continue;
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


@pytest.mark.parametrize("width", [375, 1280])
def test_without_javascript_every_note_shows_its_verdict_in_words_and_its_text(
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
            assert page.locator(note).is_visible(), f"{where}: the note is not visible"
            assert shows(page, note, claim.verdict), f"{where}: no visible verdict word"
            if claim.correction:
                assert shows(page, note, claim.correction), f"{where}: the correction is hidden"
            text = fold_quotes(" ".join(page.inner_text(note).split()))
            explanation = plain(annotations[slug_of(article), claim.id]["note"])
            assert explanation[:60] in text, f"{where}: the explanation is missing"


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


def test_following_a_permalink_scrolls_to_the_claim_and_highlights_it(
    new_page: NewPage, site_url: str, main_article: dict[str, Any]
) -> None:
    claims = main_article["claims"]
    target, other = (
        claims[-1],
        next(c for c in claims[:-1] if c["verdict"] == claims[-1]["verdict"]),
    )
    page = new_page(375, javascript=False, height=700)
    page.goto(site_url + target["url"])
    style = """el => { const s = getComputedStyle(el);
        return [s.backgroundColor, s.outlineStyle, s.outlineColor, s.boxShadow].join(' | '); }"""
    highlighted = page.eval_on_selector(f"#claim-{target['id']}", style)
    plain_style = page.eval_on_selector(f"#claim-{other['id']}", style)
    assert highlighted != plain_style
    box = page.locator(f"#claim-{target['id']}").bounding_box()
    assert box is not None and 0 <= box["y"] < 700, f"the claim is not in view: {box}"


def test_in_print_every_correction_and_note_is_printed(
    new_page: NewPage, site_url: str, main_article: dict[str, Any]
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


def test_a_keyboard_user_goes_from_a_claim_to_its_note_and_back(
    new_page: NewPage, site_url: str, main_article: dict[str, Any]
) -> None:
    page = new_page(375, height=700)
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
    page.wait_for_function("document.querySelector('.note.is-current') !== null")
    current = page.eval_on_selector_all(".note.is-current", "els => els.map(e => e.id)")
    assert current == [note_of(page, second)]
    page.keyboard.press("j")
    page.wait_for_function(f"location.hash === '#claim-{third}'")
    current = page.eval_on_selector_all(".note.is-current", "els => els.map(e => e.id)")
    assert current == [note_of(page, third)]


@pytest.mark.parametrize("width", [375, 1280])
def test_each_note_stands_below_its_paragraph_on_phones_and_beside_it_on_wide_screens(
    new_page: NewPage, site_url: str, main_article: dict[str, Any], width: int
) -> None:
    page = new_page(width, javascript=False)
    page.goto(site_url + main_article["url"])
    for claim_id in in_reading_order(page):
        claim = page.locator(f"#claim-{claim_id}").bounding_box()
        note = page.locator("#" + note_of(page, claim_id)).bounding_box()
        block = page.locator(f"#claim-{claim_id}").evaluate(
            """el => { const r = el.closest('p, li, h1, h2, h3, h4, blockquote')
                .getBoundingClientRect(); return {top: r.top + scrollY, bottom: r.bottom + scrollY,
                left: r.left, right: r.right}; }"""
        )
        assert claim and note
        if width < 600:
            assert note["y"] >= block["bottom"] - 1, f"{claim_id}: the note is not below its text"
            assert note["x"] < block["left"] + 40, f"{claim_id}: the note is not under its text"
        else:
            assert note["x"] >= block["right"], f"{claim_id}: the note is not in the margin"
            first_note = page.locator("#" + note_of(page, claim_id)).evaluate(
                "el => el.parentElement.getBoundingClientRect().top + scrollY"
            )
            assert abs(first_note - block["top"]) < 24, f"{claim_id}: notes not beside the text"


def test_with_javascript_on_wide_screens_a_paragraph_stays_in_view_beside_its_notes(
    new_page: NewPage, site_url: str, main_article: dict[str, Any]
) -> None:
    page = new_page(1280, height=800)
    page.goto(site_url + main_article["url"])
    # the paragraph with the most notes
    row = page.evaluate(
        """() => { const rows = [...document.querySelectorAll('.annotated:not(.tall)')];
            rows.sort((a, b) => b.querySelectorAll('.note').length
                              - a.querySelectorAll('.note').length);
            return rows.length ? [...rows[0].parentNode.children].indexOf(rows[0]) : -1; }"""
    )
    assert row >= 0, "no paragraph is paired with its notes"
    last_note = page.locator(f".article-body > :nth-child({row + 1}) .note").last
    last_note.scroll_into_view_if_needed()
    text = page.locator(f".article-body > :nth-child({row + 1}) > :first-child").bounding_box()
    assert text is not None
    assert text["y"] < 800 and text["y"] + text["height"] > 0, f"the paragraph left view: {text}"
