"""No silent changes: the content checked against a published ``claims.json``.

``check --baseline PATH`` and ``build --baseline PATH`` read the ``claims.json`` of the
published site (or of a pull request's base branch) and compare every claim it lists with
the content:

- a claim whose verdict or correction changed, or that was withdrawn (or brought back), needs
  an update entry newer than the baseline's newest for that claim (a second entry on the same
  day counts); without one it is an error at the verdict's, correction's or withdrawal's line;
- an update the baseline has may not disappear (its wording may change, not its date);
- a published claim may not be removed: it is withdrawn instead (``withdrawn: "why"``). A
  removed claim is an error at its article's annotation file, or at the article's file when
  the annotation file is gone.

A claim is known by its article's slug and its id. A baseline made before claims had
``updates`` counts as having none.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .load import SLUG, ContentPlan, display_path
from .problems import Location, Problem
from .records import ClaimVersion
from .validate import parse_date

# an article's claims as loaded, and whether they are all there (see ArticleOutcome)
LoadedClaims = tuple[tuple[ClaimVersion, ...], bool]


@dataclass(frozen=True)
class PublishedClaim:
    """What the baseline says of one claim."""

    verdict: str
    correction: str | None
    withdrawn: bool
    update_dates: tuple[dt.date, ...]


@dataclass(frozen=True)
class Baseline:
    """A published ``claims.json``: each article's claims by id, or the file's problems."""

    path: str  # as problems print it
    articles: dict[str, dict[str, PublishedClaim]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def compare(self, plan: ContentPlan, loaded: Mapping[str, LoadedClaims]) -> list[Problem]:
        """Every silent change and removal; ``loaded`` has each article's claims by slug."""
        problems = list(self.problems)
        files = {article.stem: (article, notes) for article, notes in plan.pairs}
        for slug, published in self.articles.items():
            versions, complete = loaded.get(slug, ((), True))
            present = {version.id: version for version in versions}
            removed = [claim_id for claim_id in published if claim_id not in present]
            if removed and complete:
                problems.append(self._removed(slug, removed, plan.root, files.get(slug)))
            for claim_id, before in published.items():
                if claim_id in present:
                    problems.extend(self._changes(present[claim_id], before))
        return problems

    def _removed(
        self, slug: str, ids: list[str], root: Path, files: tuple[Path, Path | None] | None
    ) -> Problem:
        """One problem for the claims of one article that are gone."""
        if files is not None:
            article, notes = files
            where = notes if notes is not None else article
        else:
            notes_path = root / "annotations" / f"{slug}.yaml"
            where = notes_path if notes_path.is_file() else root / "articles" / f"{slug}.md"
        listed = ", ".join(f"'{claim_id}'" for claim_id in ids)
        these = "claim" if len(ids) == 1 else "claims"
        gone = "is" if len(ids) == 1 else "are"
        return Problem(
            Location(display_path(where), 1),
            f"{these} {listed} of article '{slug}' {gone} published (in {self.path}) but no "
            "longer in the content; a published claim is never removed: put it back and mark "
            "it 'withdrawn: \"why\"', with an update entry dated the day you withdraw it",
        )

    def _changes(self, now: ClaimVersion, before: PublishedClaim) -> Iterable[Problem]:
        fresh = _has_new_update(now.update_dates, before.update_dates)
        newest = max(before.update_dates, default=None)
        after = f" (after {newest}, the newest published one)" if newest else ""
        todo = (
            f"add under 'updates:' an entry dated the day of the change{after}, "
            "with a note saying what changed and why"
        )
        kept = Counter(now.update_dates)
        for day, count in sorted(Counter(before.update_dates).items()):
            if kept[day] < count:
                yield Problem(
                    now.updates_at,
                    f"the update of {day} is published (in {self.path}) but no longer here; "
                    "updates are the record of our corrections and stay: put it back "
                    "(its wording may be improved, not its date)",
                )
        if fresh:
            return
        if now.verdict != before.verdict:
            yield Problem(
                now.verdict_at,
                f"the verdict changed from {before.verdict} to {now.verdict} since the "
                f"published version ({self.path}) with no update saying so; {todo}",
            )
        elif now.correction != before.correction:
            what = "was removed" if now.correction is None else "changed"
            yield Problem(
                now.correction_at,
                f"the correction {what} since the published version ({self.path}) with no "
                f"update saying so; {todo}",
            )
        if now.withdrawn and not before.withdrawn:
            yield Problem(
                now.withdrawn_at,
                f"the claim is withdrawn here but not in the published version ({self.path}); "
                f"the withdrawal is dated by a new update: {todo}",
            )
        elif before.withdrawn and not now.withdrawn:
            yield Problem(
                now.location,
                f"the claim is withdrawn in the published version ({self.path}) but not here; "
                f"bringing it back is a change too: {todo}",
            )


def _has_new_update(now: tuple[dt.date, ...], before: tuple[dt.date, ...]) -> bool:
    """Whether ``now`` has an update newer than every one in ``before`` (a second update on
    the day of the newest counts)."""
    if not before:
        return bool(now)
    newest = max(before)
    return any(day > newest for day in now) or now.count(newest) > before.count(newest)


# --- reading the baseline ---------------------------------------------------------------------


class _ShapeError(Exception):
    """The baseline is JSON but not a claims.json."""


def read_baseline(path: Path) -> Baseline:
    """The baseline at ``path``; a file that cannot be used gives a Baseline with a problem."""
    shown = display_path(path)

    def problem(message: str, line: int = 1, col: int | None = None) -> Baseline:
        return Baseline(shown, problems=(Problem(Location(shown, line, col), message),))

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return problem(
            "the baseline file does not exist; give the claims.json of the published site "
            "or of the base branch"
        )
    except IsADirectoryError:
        return problem("the baseline is a folder; give its claims.json file")
    except OSError as error:
        return problem(f"cannot read the baseline ({error.strerror}); check the path")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return problem("the baseline is not UTF-8 text; give a claims.json made by a build")
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as error:
        return problem(
            f"the baseline is not valid JSON ({error.msg}); give a claims.json made by a build",
            error.lineno,
            error.colno,
        )
    except RecursionError:
        return problem("the baseline is nested too deeply; give a claims.json made by a build")
    try:
        articles = _articles(parsed)
    except _ShapeError as error:
        return problem(f"the baseline is not a site's claims.json: {error}")
    return Baseline(shown, articles)


def _articles(data: Any) -> dict[str, dict[str, PublishedClaim]]:
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        raise _ShapeError('expected an object with an "articles" list')
    articles: dict[str, dict[str, PublishedClaim]] = {}
    for n, article in enumerate(data["articles"]):
        where = f"articles[{n}]"
        if not isinstance(article, dict):
            raise _ShapeError(f"{where} is not an object")
        slug = article.get("slug")
        if not isinstance(slug, str) or not SLUG.fullmatch(slug):
            raise _ShapeError(f'{where} has no "slug" (lowercase letters, digits and hyphens)')
        claims = article.get("claims")
        if not isinstance(claims, list):
            raise _ShapeError(f'{where} ("{slug}") has no "claims" list')
        articles[slug] = {}
        for m, claim in enumerate(claims):
            claim_id, published = _claim(claim, f"{where}.claims[{m}]")
            articles[slug][claim_id] = published
    return articles


def _claim(claim: Any, where: str) -> tuple[str, PublishedClaim]:
    if not isinstance(claim, dict):
        raise _ShapeError(f"{where} is not an object")
    claim_id, verdict = claim.get("id"), claim.get("verdict")
    if not isinstance(claim_id, str):
        raise _ShapeError(f'{where} has no "id"')
    if not isinstance(verdict, str):
        raise _ShapeError(f'{where} ("{claim_id}") has no "verdict"')
    correction = claim.get("correction")
    if correction is not None and not isinstance(correction, str):
        raise _ShapeError(f'{where} ("{claim_id}"): "correction" is neither text nor null')
    withdrawn = claim.get("withdrawn")
    if withdrawn is not None and not isinstance(withdrawn, str):
        raise _ShapeError(f'{where} ("{claim_id}"): "withdrawn" is neither text nor null')
    updates = claim.get("updates", [])  # a baseline older than updates has none
    if not isinstance(updates, list):
        raise _ShapeError(f'{where} ("{claim_id}"): "updates" is not a list')
    dates = []
    for k, update in enumerate(updates):
        date = update.get("date") if isinstance(update, dict) else None
        day = parse_date(date) if isinstance(date, str) else None
        if day is None:
            raise _ShapeError(f'{where}.updates[{k}] ("{claim_id}") has no "date" as YYYY-MM-DD')
        dates.append(day)
    return claim_id, PublishedClaim(verdict, correction, withdrawn is not None, tuple(dates))
