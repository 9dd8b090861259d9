"""The search index: Pagefind bundles, one per part of the site, kept while their part is unchanged.

Articles are spread over ``part_count(n)`` parts by a hash of their slug, so a part keeps its
articles as the site grows, until the number of parts doubles. Each part is one Pagefind
bundle in ``search/<name>/``, built from its articles' documents (``search_docs``) in
article order; ``static/search.js`` searches the first and merges the others into it
(Pagefind's ``mergeIndex``). A part's name is a hash of what it holds (its articles' slugs
and documents' digests, the number of parts, the indexer's version), so two builds of the
same content write the same folders, byte for byte (``pagefind_bundle``).

Indexing costs about as much as rendering, and Pagefind's cost per record grows with the
size of the index it adds to, so a build indexes only the parts whose articles changed:

* ``GenerationSearch`` (a build): a part whose articles all have the inputs they had when
  it was indexed, and whose files are still in place as written, is kept in the generation
  being written or hard-linked from the one served (the build cache knows which holds what).
  The other parts are indexed while the articles arrive, each by its own indexer process, so
  indexing runs beside rendering.
* ``InPlaceSearch`` (a live preview): after a save, the parts whose names changed are
  indexed again in the served folder; the others stay.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .records import ArticleOutcome, SearchDoc
from .write import write_file

if TYPE_CHECKING:
    from .incremental import GenerationWriter
    from .pagefind_service import PagefindIndexer

SEARCH_DIR = "search"
# Articles per part, at most on average: the parts double as the site grows. An indexer's
# peak memory grows with its part (about 0.065 MiB per document, eleven documents an
# article): parts of 128 keep the largest, which a hash makes up to a third larger, under
# 150 MiB. Each part adds its metadata, and one chunk for each word searched, to what a
# reader's search fetches.
PART_ARTICLES = 128
FORMAT = 1  # bump when what is indexed, or how it is laid out, changes


@functools.cache
def indexer() -> str:
    """The indexer's name and version, and the format: part of every part's name."""
    from importlib.metadata import version  # asked only of a build with a search index

    return f"pagefind {version('pagefind')}, format {FORMAT}"


CONFIG = {"keep_index_url": True, "write_playground": False}
# an article's search documents and their digest, by the article's number
Documents = Callable[[int], tuple[tuple[SearchDoc, ...], str]]
BUNDLES_AT_ONCE = 2


def part_count(articles: int) -> int:
    """How many parts a site of ``articles`` articles is indexed in: a power of two."""
    count = 1
    while count * PART_ARTICLES < articles:
        count *= 2
    return count


def part_of(slug: str, count: int) -> int:
    digest = hashlib.blake2b(slug.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count


def part_name(count: int, members: Iterable[tuple[str, str]]) -> str:
    """The folder name of a part holding ``members`` (slug, documents' digest), in order."""
    digest = hashlib.blake2b(f"{indexer()}\0{count}".encode(), digest_size=10)
    for slug, documents in members:
        digest.update(f"\0{slug}\0{documents}".encode())
    return digest.hexdigest()


def part_folder(name: str) -> str:
    """The part's folder relative to the site root, ending with a slash."""
    return f"{SEARCH_DIR}/{name}/"


@dataclass
class _Part:
    """One part while a build or an update goes through the articles."""

    members: list[tuple[str, str]] = field(default_factory=list)  # (slug, documents' digest)
    indexer: PagefindIndexer | None = None
    complete: bool = False  # every member's documents were handed to it already

    def add(self, outcome: ArticleOutcome) -> None:
        self.add_docs(outcome.slug, outcome.search_digest, outcome.search)

    def add_docs(self, slug: str, digest: str, docs: tuple[SearchDoc, ...]) -> None:
        self.members.append((slug, digest))
        if not docs:
            return
        if self.indexer is None:
            from .pagefind_service import PagefindIndexer  # a site without search needs it not

            self.indexer = PagefindIndexer(CONFIG)
        indexer = self.indexer
        for doc in docs:
            if doc.record:
                indexer.add_record(doc.text)
            else:
                indexer.add_html(doc.url, doc.text)


@dataclass
class SearchCost:
    """What indexing took, for the build's report."""

    parts: int = 0
    indexed: int = 0  # parts indexed by this build; the others were kept
    cpu_seconds: float = 0.0  # the indexers' own CPU time
    peak_rss_mib: float = 0.0  # the largest indexer's peak memory


def make_bundles(
    count: int, parts: Sequence[_Part], cost: SearchCost, asked: dict[int, int] | None = None
) -> Iterator[tuple[int, str, dict[str, bytes]]]:
    """Each part that was indexed: its number, name and files (made deterministic).

    Making a bundle takes an indexer several times the memory its records took, so only
    BUNDLES_AT_ONCE indexers make theirs at the same time. ``asked``: the parts whose bundles
    were asked for already (by the request's number).
    """
    todo = [number for number, part in enumerate(parts) if part.indexer is not None]
    asked = dict(asked or {})
    for position, number in enumerate(todo):
        for ahead in todo[position : position + BUNDLES_AT_ONCE]:
            indexer = parts[ahead].indexer
            if ahead not in asked and indexer is not None:
                asked[ahead] = indexer.start_bundle()
        indexer = parts[number].indexer
        assert indexer is not None
        from .pagefind_bundle import make_deterministic

        bundle = make_deterministic(indexer.finish_bundle(asked[number]))
        _close(parts[number], cost)
        cost.indexed += 1
        yield number, part_name(count, parts[number].members), bundle


def write_parts(site: Path, count: int, parts: Sequence[_Part], cost: SearchCost) -> dict[int, str]:
    """Write the parts that were indexed into ``site/search/<name>/`` (replacing a folder of
    that name); return each one's name by its number. The indexers are closed, whatever
    happens."""
    names: dict[int, str] = {}
    try:
        for number, name, bundle in make_bundles(count, parts, cost):
            _write_folder(site / SEARCH_DIR, name, bundle)
            names[number] = name
    finally:
        for part in parts:
            _close(part, cost)
    return names


def _close(part: _Part, cost: SearchCost) -> None:
    if part.indexer is not None:
        part.indexer.close()
        cost.cpu_seconds += part.indexer.cpu_seconds
        cost.peak_rss_mib = max(cost.peak_rss_mib, part.indexer.peak_rss_kib / 1024)
        part.indexer = None


def _write_folder(top: Path, name: str, files: Mapping[str, bytes]) -> None:
    """Write ``files`` into ``top/name/``, whole: beside it first, then renamed into place."""
    temporary = top / f".{name}.tmp"
    shutil.rmtree(temporary, ignore_errors=True)
    for relative, data in files.items():
        write_file(temporary, relative, data)
    target = top / name
    if target.exists():
        shutil.rmtree(target)
    temporary.rename(target)


class GenerationSearch:
    """The search index of a build into a generation of the output (see ``incremental``).

    A part whose articles all have the inputs they had when it was indexed is kept where the
    target generation holds it, or hard-linked from the served one; the other parts are
    indexed from their articles' documents: those rendered now, and the kept ones' from the
    build cache (``fetch``).
    """

    def __init__(self, writer: GenerationWriter) -> None:
        self.writer = writer
        self.count = 1
        self.cost = SearchCost()
        self.parts: list[_Part] = []
        self.keys: list[str] = []
        self.kept: list[str | None] = []  # each part's name when kept, else None
        self.asked: dict[int, int] = {}  # parts whose bundles were asked for: the request
        self._planned: tuple[Sequence[str], list[list[int]], Documents | None] = ((), [], None)
        self._known: list[int] = []  # the parts a generation holds, until ``keep``
        self.started = False  # a site without search is not indexed

    def start(
        self,
        slugs: Sequence[str],
        keys: Sequence[str],
        documents: Documents | None = None,
    ) -> None:
        """Plan the parts of these articles (with their input keys); keep what can be kept.

        With ``documents`` (an article's documents and their digest, by its number), the
        parts not kept are handed all their documents now, so that they are indexed beside
        the rest of the build: for a build of a few changed articles, rendered first. Those
        no generation holds are handed theirs at once; ``keep`` then keeps the others where
        they are intact (it writes into the target: call it once the target is tidied).
        """
        self.started = True
        self.count = part_count(len(slugs))
        self.cost = SearchCost(parts=self.count)
        groups: list[list[int]] = [[] for _ in range(self.count)]
        for number, slug in enumerate(slugs):
            groups[part_of(slug, self.count)].append(number)
        self.parts = [_Part() for _ in range(self.count)]
        for group in groups:
            digest = hashlib.blake2b(f"{indexer()}\0{self.count}".encode(), digest_size=20)
            for number in group:
                digest.update(f"\0{slugs[number]}\0{keys[number]}".encode())
            self.keys.append(digest.hexdigest() if group else "")
        self.kept = [None] * self.count
        self._planned = (slugs, groups, documents)
        known = self.writer.known_parts()
        self._known = [number for number in range(self.count) if self.keys[number] in known]
        if documents is None:
            self.keep()
            return
        for number in range(self.count):
            if self.keys[number] not in known:  # none can be kept: indexed beside the rest
                self._hand_all(number)

    def keep(self) -> None:
        """Keep the parts a generation holds, where their files are intact; hand the others
        their documents, if ``start`` was given them."""
        _, groups, documents = self._planned
        for number in self._known:
            if groups[number]:
                self.kept[number] = self.writer.kept_part(self.keys[number])
            if self.kept[number] is None and documents is not None:
                self._hand_all(number)
        self._known = []

    def _hand_all(self, number: int) -> None:
        slugs, groups, documents = self._planned
        assert documents is not None
        part = self.parts[number]
        for article in groups[number]:
            docs, docs_digest = documents(article)
            part.add_docs(slugs[article], docs_digest, docs)
        part.complete = True
        if part.indexer is not None and len(self.asked) < BUNDLES_AT_ONCE:
            # every document is in: the indexer makes the bundle beside the build
            self.asked[number] = part.indexer.start_bundle()

    def add(self, slug: str, digest: str, docs: Callable[[], tuple[SearchDoc, ...]]) -> None:
        """One article, in article order: its documents' digest, and how to get them."""
        if not self.started:
            return
        number = part_of(slug, self.count)
        part = self.parts[number]
        if part.complete:  # handed all its documents at the start
            return
        if self.kept[number] is not None:
            part.members.append((slug, digest))
        else:
            part.add_docs(slug, digest, docs())

    def folders(self) -> tuple[str, ...]:
        """The folder of every part, once every article was added: known before the parts
        not kept are indexed (a part is named by what it holds)."""
        folders = []
        for number, part in enumerate(self.parts):
            kept = self.kept[number]
            if kept is not None and kept != part_name(self.count, part.members):
                raise RuntimeError(f"search part {kept} was kept for other documents")
            if kept is not None or part.indexer is not None:  # else a part without documents
                folders.append(part_folder(kept or part_name(self.count, part.members)))
        return tuple(folders)

    def finish(self) -> None:
        """Index and write the parts not kept (``folders`` says where every part is)."""
        try:
            made = make_bundles(self.count, self.parts, self.cost, self.asked)
            for number, name, bundle in made:
                self.writer.wrote_part(self.keys[number], part_folder(name), bundle)
        finally:
            for part in self.parts:
                _close(part, self.cost)

    def discard(self) -> None:
        """Stop the indexers of a build that failed."""
        for part in self.parts:
            if part.indexer is not None:
                part.indexer.close()
                part.indexer = None


class InPlaceSearch:
    """The search index of a live preview's folder, updated in place after each save.

    ``members`` are the articles (slug, documents' digest) in article order. A part whose
    name (the hash of what it holds) is that of a folder already there stays; the others are
    indexed again from the outcomes ``add`` is handed. ``remove_stale`` deletes the parts no
    longer listed, once the search page lists the new ones.
    """

    def __init__(self, site: Path, members: Sequence[tuple[str, str]]) -> None:
        self.site = site
        self.count = part_count(len(members))
        self.cost = SearchCost(parts=self.count)
        groups: list[list[tuple[str, str]]] = [[] for _ in range(self.count)]
        for slug, digest in members:
            groups[part_of(slug, self.count)].append((slug, digest))
        self.names = [part_name(self.count, group) if group else "" for group in groups]
        self.parts = [_Part() for _ in range(self.count)]
        self.stale = [bool(name) and not (site / SEARCH_DIR / name).is_dir() for name in self.names]

    def add(self, outcome: ArticleOutcome) -> None:
        number = part_of(outcome.slug, self.count)
        if self.stale[number]:
            self.parts[number].add(outcome)

    def finish(self) -> tuple[str, ...]:
        write_parts(self.site, self.count, self.parts, self.cost)
        return tuple(part_folder(name) for name in self.names if name)

    def remove_stale(self) -> list[str]:
        """Delete the parts' folders not in use; return them, relative to the site root."""
        in_use = set(self.names)
        removed = []
        top = self.site / SEARCH_DIR
        if top.is_dir():
            for folder in sorted(top.iterdir()):
                if folder.name not in in_use:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.append(f"{SEARCH_DIR}/{folder.name}/")
        return removed
