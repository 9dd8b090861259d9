"""The LOAD stage: read a content folder into validated records, or report every problem.

``load_content`` reads ``site.yaml``, ``articles/*.md``, ``annotations/*.yaml`` and
``pages/*.md``; it checks every file (never stopping at the first bad one) and raises one
``ContentError`` carrying all the problems found.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from . import urls
from .frontmatter import FrontMatter, split_front_matter
from .model import (
    Annotations,
    Article,
    Claim,
    Content,
    Page,
    Publisher,
    SiteConfig,
    Source,
    Update,
)
from .problems import ContentError, Location, Problem
from .validate import CONTROL_CHARACTER, check_annotations, parse_date, validate
from .yamlsource import MAX_CHARS, YamlDoc, YamlPath, parse_yaml, shown

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_BYTES = MAX_CHARS

T = TypeVar("T")


def display_path(path: Path) -> str:
    """``path`` as problems print it: relative to the working directory when under it."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive on Windows
        return absolute
    if relative == ".." or relative.startswith(".." + os.sep):
        return absolute
    return relative


def normalise_base_url(url: str) -> str:
    """An absolute http(s) URL ending with '/'; raises ValueError for anything else."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in url.strip():
        raise ValueError(f"{shown(url)} is not an absolute http:// or https:// address")
    if parts.query or parts.fragment:
        raise ValueError(f"{shown(url)} must not have a '?query' or '#fragment'")
    result = url.strip()
    return result if result.endswith("/") else result + "/"


def load_content(root: Path, *, base_url: str | None = None) -> Content:
    """Load and validate the content folder ``root``; raises ``ContentError`` on any problem."""
    content, problems = load_what_loads(root, base_url=base_url)
    if problems or content is None:
        raise ContentError(problems)
    return content


def load_what_loads(
    root: Path, *, base_url: str | None = None
) -> tuple[Content | None, list[Problem]]:
    """Every problem, and the content of the files that have none (None without a site).

    Later stages can then check what did load, so one run reports every problem.
    """
    plan = plan_content(root, base_url=base_url)
    problems = list(plan.problems)
    articles: list[Article] = []
    annotations: dict[str, Annotations] = {}
    for article_path, annotation_path in plan.pairs:
        article, notes, found = load_pair(plan.root, article_path, annotation_path)
        problems.extend(found)
        if article is not None:
            articles.append(article)
        if notes is not None:
            annotations[notes.slug] = notes
    if plan.site is None:
        return None, problems
    content = Content(plan.root, plan.site, tuple(articles), annotations, plan.pages)
    return content, problems


@dataclass(frozen=True)
class ContentPlan:
    """The folder surveyed: site config, pages, and each article with its annotation file.

    Articles are loaded separately (``load_pair``), so they can be loaded in parallel.
    """

    root: Path
    site: SiteConfig | None
    pages: tuple[Page, ...]
    # each article's file and its annotation file's, sorted by slug: as paths in text (a large
    # site has thousands, which a build needs as Paths only for the articles it renders)
    files: tuple[tuple[str, str | None], ...]
    problems: tuple[Problem, ...]
    slugs: tuple[str, ...] = ()  # of the articles, in the same order

    @functools.cached_property
    def pairs(self) -> tuple[tuple[Path, Path | None], ...]:
        """Each article's file and its annotation file's, sorted by slug."""
        return tuple(as_paths(files) for files in self.files)


def as_paths(files: tuple[str, str | None]) -> tuple[Path, Path | None]:
    """An article's file and its annotation file's (if any), as Paths."""
    article, notes = files
    return Path(article), None if notes is None else Path(notes)


def plan_content(root: Path, *, base_url: str | None = None) -> ContentPlan:
    """Read site.yaml and the pages, and pair every article with its annotations."""
    return _Loader(Path(root)).plan(base_url)


def load_pair(
    root: Path, article: Path, annotations: Path | None
) -> tuple[Article | None, Annotations | None, list[Problem]]:
    """Load one article and its annotation file; what failed is None, with its problems."""
    loader = _Loader(root)
    loaded = loader._article(article)
    notes = loader._annotations(annotations) if annotations is not None else None
    return loaded, notes, loader.problems


@dataclass
class _Loader:
    root: Path
    problems: list[Problem] = field(default_factory=list)
    listings: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)  # folder -> entries

    def plan(self, base_url: str | None) -> ContentPlan:
        if not self.root.is_dir():
            missing = Problem(
                Location(display_path(self.root), 1),
                "content folder not found; give the folder holding site.yaml",
            )
            return ContentPlan(self.root, None, (), (), (missing,))
        site = self._site(base_url)
        articles = self._files("articles", ".md")
        annotations = self._files("annotations", ".yaml")
        self._refuse_yml()
        pages = [
            p for path in self._files("pages", ".md").values() if (p := self._page(Path(path)))
        ]
        self._orphans(annotations)
        slugs = tuple(sorted(articles))
        files = tuple((articles[slug], annotations.get(slug)) for slug in slugs)
        pages.sort(key=lambda p: p.slug)
        return ContentPlan(self.root, site, tuple(pages), files, tuple(self.problems), slugs)

    # --- files ------------------------------------------------------------------------------

    def _files(self, folder: str, suffix: str) -> dict[str, str]:
        """The folder's files ending in ``suffix`` with a valid slug, by slug (in name order):
        each as ``str(Path)`` of it is, made without a Path."""
        directory = self.root / folder
        if not directory.is_dir():
            return {}
        prefix = f"{directory}{os.sep}"
        found: dict[str, str] = {}
        entries = self.listings[folder] = _entries(directory)
        for name, is_dir in entries:
            if name.startswith(".") or not name.endswith(suffix) or is_dir:
                continue
            stem = name[: -len(suffix)]
            if not SLUG.fullmatch(stem):
                slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "my-slug"
                self._problem(
                    directory / name,
                    f"file name {shown(name)} is not a valid slug; use lowercase letters, "
                    f"digits and hyphens, e.g. '{slug}{suffix}'",
                )
                continue
            if folder == "articles" and urls.ARTICLE_LIST_PAGE.fullmatch(stem):
                self._problem(
                    directory / name,
                    f"the name {shown(stem)} is kept for the pages of the article list "
                    f"(articles/{stem}.html); rename the file, e.g. "
                    f"'{stem.replace('page', 'article-page')}{suffix}'",
                )
                continue
            found[stem] = prefix + name
        return found

    def _refuse_yml(self) -> None:
        directory = self.root / "annotations"
        if directory.is_dir():
            for path in sorted(directory.glob("*.yml")):
                self._problem(path, f"annotation files end in .yaml; rename it {path.stem}.yaml")

    def _read(self, path: Path) -> str | None:
        """The file's text with '\\n' line endings and no BOM, or None after a problem."""
        plain = self._plain_file(path)
        size = plain.st_size if plain is not None else self._checked_size(path)
        if size is None:
            return None
        try:
            if size > MAX_BYTES:
                self._problem(path, "file is larger than 1 MB; shorten or split it")
                return None
            data = path.read_bytes()
        except OSError as error:
            self._problem(path, f"cannot read the file ({error.strerror}); check it exists")
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            start = data.rfind(b"\n", 0, error.start) + 1
            col = len(data[start : error.start].decode("utf-8", "replace")) + 1
            self.problems.append(
                Problem(
                    Location(display_path(path), line, col),
                    f"file is not UTF-8 text (byte 0x{data[error.start]:02X}); re-save it as UTF-8",
                )
            )
            return None
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        bad = CONTROL_CHARACTER.search(text)
        if bad is not None:
            line = text.count("\n", 0, bad.start()) + 1
            col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
            self.problems.append(
                Problem(
                    Location(display_path(path), line, col),
                    f"the file contains an invisible control character (U+{ord(bad.group()):04X}); "
                    "delete it",
                )
            )
            return None
        return text

    def _plain_file(self, path: Path) -> os.stat_result | None:
        """The status of a regular file, not a link, in a folder of the root that is no link
        either: then it is plainly inside the content folder. None: check it the long way.
        """
        if path.parent.parent != self.root:
            return None
        try:
            status = os.lstat(path)
            folder = os.lstat(path.parent)
        except OSError:
            return None
        if not stat.S_ISREG(status.st_mode) or stat.S_ISLNK(folder.st_mode):
            return None
        return status

    def _checked_size(self, path: Path) -> int | None:
        """The size of a regular file inside the content folder, or None after a problem."""
        root = self.root.resolve()
        if not path.resolve().is_relative_to(root):
            self._problem(
                path,
                "this file is a link to somewhere outside the content folder; "
                "put the file itself in the folder",
            )
            return None
        if path.exists() and not path.is_file():
            self._problem(path, "this is not a regular file (a pipe or a device?); replace it")
            return None
        try:
            return path.stat().st_size
        except OSError as error:
            self._problem(path, f"cannot read the file ({error.strerror}); check it exists")
            return None

    def _problem(self, path: Path, message: str, line: int = 1) -> None:
        self.problems.append(Problem(Location(display_path(path), line), message))

    def _yaml(self, text: str, path: str, schema: str, offset: int = 0) -> YamlDoc | None:
        """Parse and validate; None (with the problems recorded) when anything is wrong."""
        doc, found = self._checked_yaml(text, path, schema, offset)
        return None if found else doc

    def _checked_yaml(
        self, text: str, path: str, schema: str, offset: int = 0
    ) -> tuple[YamlDoc | None, list[Problem]]:
        """Parse and validate; the document (None if it cannot be read) and its problems,
        which are recorded."""
        try:
            doc = parse_yaml(text, path, line_offset=offset)
        except ContentError as error:
            self.problems.extend(error.problems)
            return None, list(error.problems)
        found = validate(doc, schema)
        if schema == "annotations":
            found += check_annotations(doc)
        self.problems.extend(found)
        return doc, found

    def _attempt(self, build: Callable[[], T]) -> T | None:
        try:
            return build()
        except ContentError as error:
            self.problems.extend(error.problems)
            return None

    # --- the four kinds of file ---------------------------------------------------------------

    def _site(self, base_url: str | None) -> SiteConfig | None:
        path = self.root / "site.yaml"
        where = Location(display_path(path), 1)
        if not path.is_file():
            self.problems.append(
                Problem(where, "site.yaml is missing; create it with title, description, base_url")
            )
            return None
        text = self._read(path)
        doc = None if text is None else self._yaml(text, where.path, "site")
        if doc is None:
            return None
        data: dict[str, Any] = doc.data
        url = base_url if base_url is not None else data.get("base_url")
        if url is None:
            self.problems.append(
                Problem(where, "site.yaml has no base_url; add 'base_url: https://...'")
            )
            return None
        try:
            url = normalise_base_url(url)
        except ValueError as error:
            given = "the base URL given to the build" if base_url is not None else "base_url"
            place = where if base_url is not None else doc.location(("base_url",))
            self.problems.append(Problem(place, f"{given}: {error}"))
            return None
        publisher = data.get("publisher")
        return SiteConfig(
            title=data["title"],
            description=data["description"],
            base_url=url,
            language=data.get("language", "en"),
            index_articles=data.get("index_articles", SiteConfig.index_articles),
            search=data.get("search", SiteConfig.search),
            publisher=Publisher(publisher["name"], publisher.get("url")) if publisher else None,
        )

    def _markdown_file(
        self, path: Path, schema: str
    ) -> tuple[str, FrontMatter | None, YamlDoc | None]:
        """A Markdown file's printed path, its parts, and its validated front matter."""
        where = display_path(path)
        text = self._read(path)
        if text is None:
            return where, None, None
        parts = self._attempt(lambda: split_front_matter(text, where))
        if parts is None:
            return where, None, None
        return where, parts, self._yaml(parts.yaml, where, schema, parts.yaml_line_offset)

    def _article(self, path: Path) -> Article | None:
        where, parts, doc = self._markdown_file(path, "article")
        if parts is None:
            return None
        if not parts.body.strip():
            self.problems.append(
                Problem(
                    Location(where, parts.body_line),
                    "the article has no text after its front matter; paste the article here",
                )
            )
            return None
        if doc is None:
            return None
        data: dict[str, Any] = doc.data
        return Article(
            slug=path.stem,
            location=Location(where, 1),
            title=data["title"],
            retrieved=_required_date(data["retrieved"]),
            body=parts.body,
            body_line=parts.body_line,
            dek=data.get("dek"),
            outlet=data.get("outlet"),
            url=data.get("url"),
            published=_date(data.get("published")),
            notes=data.get("notes"),
        )

    def _page(self, path: Path) -> Page | None:
        where, parts, doc = self._markdown_file(path, "page")
        if parts is None or doc is None:
            return None
        return Page(
            slug=path.stem,
            location=Location(where, 1),
            title=doc.data["title"],
            body=parts.body,
            body_line=parts.body_line,
            description=doc.data.get("description"),
        )

    def _annotations(self, path: Path) -> Annotations | None:
        text = self._read(path)
        if text is None:
            return None
        where = display_path(path)
        doc, found = self._checked_yaml(text, where, "annotations")
        if doc is None:
            return None
        if not found:
            default = doc.data.get("reviewed")
            claims = tuple(
                _claim(doc, index, claim, default) for index, claim in enumerate(doc.data["claims"])
            )
        else:  # anchor the claims without problems too, so that every problem is told at once
            claims = tuple(_clear_claims(doc, found))
        return Annotations(slug=path.stem, location=Location(where, 1), claims=claims)

    def _orphans(self, annotations: dict[str, str]) -> None:
        article_slugs = set(self._stems_quietly("articles", ".md"))
        for stem, path in annotations.items():
            if stem in article_slugs:
                continue
            expected = display_path(self.root / "articles" / f"{stem}.md")
            message = (
                f"no article {expected} for these annotations; "
                "rename the file to match an article's slug"
            )
            match = difflib.get_close_matches(stem, sorted(article_slugs), n=1)
            if match:
                message += f" (did you mean {match[0]}.yaml?)"
            self._problem(Path(path), message)

    def _stems_quietly(self, folder: str, suffix: str) -> list[str]:
        """The names, less ``suffix``, of every file ending in it in the folder ``_files`` has
        listed, valid or not."""
        names = self.listings.get(folder, [])
        return [
            name[: -len(suffix)] for name, is_dir in names if name.endswith(suffix) and not is_dir
        ]


def _entries(directory: Path) -> list[tuple[str, bool]]:
    """Each entry of a folder, sorted by name, and whether it is a folder (from the listing
    itself where the system says, without looking at each file)."""
    with os.scandir(directory) as entries:
        return sorted((entry.name, entry.is_dir()) for entry in entries)


def _date(text: str | None) -> dt.date | None:
    return None if text is None else parse_date(text)


def _required_date(text: str | None) -> dt.date:
    date = _date(text)
    if date is None:  # pragma: no cover - validation guarantees a real date
        raise ValueError(f"not a date: {text!r}")
    return date


def _clear_claims(doc: YamlDoc, found: list[Problem]) -> Iterator[Claim]:
    """The claims of a file with problems that have none of them themselves."""
    data = doc.data
    claims = data.get("claims") if isinstance(data, dict) else None
    if not isinstance(claims, list):
        return
    lines = {problem.location.line for problem in found}
    default = data.get("reviewed")
    for index, claim in enumerate(claims):
        span = doc.span(("claims", index))
        if span is None or not isinstance(claim, dict):
            continue
        # every value of a claim stands between its first line and the next claim's
        following = doc.span(("claims", index + 1))
        end = following.line if following is not None else None
        if any(span.line <= line and (end is None or line <= end) for line in lines):
            continue
        try:
            yield _claim(doc, index, claim, default)
        except (KeyError, TypeError, ValueError):  # e.g. the file's review date is wrong
            continue


def _claim(doc: YamlDoc, index: int, data: dict[str, Any], default: str | None) -> Claim:
    path = ("claims", index)
    reviewed = _required_date(data.get("reviewed", default))
    return Claim(
        id=data["id"],
        quote=data["quote"],
        verdict=data["verdict"],
        note=data["note"],
        sources=tuple(
            _source(doc, (*path, "sources", n), s) for n, s in enumerate(data["sources"])
        ),
        reviewed=reviewed,
        location=doc.location(path),
        prefix=data.get("prefix"),
        suffix=data.get("suffix"),
        correction=data.get("correction"),
        gist=data.get("gist"),
        updates=_updates(doc, path, data.get("updates", [])),
        withdrawn=data.get("withdrawn"),
        field_locations=tuple((key, doc.location((*path, key))) for key in data),
    )


def _updates(doc: YamlDoc, path: YamlPath, entries: list[dict[str, str]]) -> tuple[Update, ...]:
    """A claim's updates, newest first; entries of the same day keep the file's order."""
    updates = [
        Update(_required_date(entry["date"]), entry["note"], doc.location((*path, "updates", i)))
        for i, entry in enumerate(entries)
    ]
    return tuple(sorted(updates, key=lambda update: update.date, reverse=True))


def _source(doc: YamlDoc, path: YamlPath, data: dict[str, Any]) -> Source:
    url = data.get("url")
    return Source(
        title=data["title"],
        url=url,
        publisher=data.get("publisher"),
        date=_date(data.get("date")),
        archived=data.get("archived"),
        url_location=doc.location((*path, "url")) if url is not None else None,
    )
