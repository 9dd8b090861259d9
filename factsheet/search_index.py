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

* ``StagedSearch`` (a build): a part whose articles all have the inputs they had when the
  last build indexed it, and whose files are still in the output as written, is hard-linked
  from the last output; what the last build wrote is kept beside the output
  (``.site.search`` for ``site/``). The other parts are indexed while the articles arrive,
  each by its own indexer process, so indexing runs beside rendering.
* ``InPlaceSearch`` (a live preview): after a save, the parts whose names changed are
  indexed again in the served folder; the others stay.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from .pagefind_bundle import make_deterministic
from .pagefind_service import PagefindIndexer
from .records import ArticleOutcome
from .write import write_file

SEARCH_DIR = "search"
PART_ARTICLES = 256  # articles per part, about: the parts double as the site grows
FORMAT = 1  # bump when what is indexed, or how it is laid out, changes
INDEXER = f"pagefind {version('pagefind')}, format {FORMAT}"
CONFIG = {"keep_index_url": True, "write_playground": False}
BUNDLES_AT_ONCE = 2

Stat = tuple[str, int, int]  # a file's path relative to the site root, its size and mtime_ns


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
    digest = hashlib.blake2b(f"{INDEXER}\0{count}".encode(), digest_size=10)
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

    def add(self, outcome: ArticleOutcome) -> None:
        self.members.append((outcome.slug, outcome.search_digest))
        if not outcome.search:
            return
        if self.indexer is None:
            self.indexer = PagefindIndexer(CONFIG)
        for doc in outcome.search:
            self.indexer.add_html(doc.url, doc.html)


@dataclass
class SearchCost:
    """What indexing took, for the build's report."""

    parts: int = 0
    indexed: int = 0  # parts indexed by this build; the others were kept
    cpu_seconds: float = 0.0  # the indexers' own CPU time
    peak_rss_mib: float = 0.0  # the largest indexer's peak memory


def write_parts(site: Path, count: int, parts: Sequence[_Part], cost: SearchCost) -> dict[int, str]:
    """Write the parts that were indexed into ``site/search/<name>/`` (replacing a folder of
    that name); return each one's name by its number. The indexers are closed, whatever
    happens.

    Making a bundle takes an indexer several times the memory its records took, so only
    BUNDLES_AT_ONCE indexers make theirs at the same time.
    """
    names: dict[int, str] = {}
    try:
        todo = [number for number, part in enumerate(parts) if part.indexer is not None]
        asked: dict[int, int] = {}
        for position, number in enumerate(todo):
            for ahead in todo[position : position + BUNDLES_AT_ONCE]:
                indexer = parts[ahead].indexer
                if ahead not in asked and indexer is not None:
                    asked[ahead] = indexer.start_bundle()
            indexer = parts[number].indexer
            assert indexer is not None
            bundle = make_deterministic(indexer.finish_bundle(asked[number]))
            _close(parts[number], cost)
            name = part_name(count, parts[number].members)
            _write_folder(site / SEARCH_DIR, name, bundle)
            names[number] = name
            cost.indexed += 1
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


class StagedSearch:
    """The search index of a build into a staging folder; ``save`` it once the build is in.

    ``inputs`` maps each article's slug to a hash of everything its documents come from
    (the build cache's key), or is None when those are not known: then every part is indexed.
    """

    def __init__(self, staging: Path, out: Path) -> None:
        self.staging, self.out = staging, Path(os.path.abspath(out))
        self.count = 1
        self.cost = SearchCost()
        self.parts: list[_Part] = []
        self.kept: list[tuple[str | None, dict[str, object] | None]] = []
        self.written: list[dict[str, object]] = []

    def start(self, slugs: Sequence[str], inputs: Mapping[str, str] | None = None) -> None:
        """Plan the parts of these articles; link those kept from the last build."""
        self.count = part_count(len(slugs))
        self.cost = SearchCost(parts=self.count)
        groups: list[list[str]] = [[] for _ in range(self.count)]
        for slug in slugs:
            groups[part_of(slug, self.count)].append(slug)
        keys = [self._key(group, inputs) for group in groups]
        last = _read_manifest(_manifest_path(self.out)) if inputs is not None else {}
        self.parts = [_Part() for _ in range(self.count)]
        # each part: its key, and its entry of the last build when its files were linked
        for key in keys:
            entry = last.get(key) if key is not None else None
            self.kept.append((key, entry if entry is not None and self._link(entry) else None))

    def _key(self, group: list[str], inputs: Mapping[str, str] | None) -> str | None:
        """What a part is made from, as far as is known before its articles are rendered."""
        if inputs is None or not group or any(not inputs.get(slug) for slug in group):
            return None
        digest = hashlib.blake2b(f"{INDEXER}\0{self.count}".encode(), digest_size=20)
        for slug in group:
            digest.update(f"\0{slug}\0{inputs[slug]}".encode())
        return digest.hexdigest()

    def _link(self, entry: Mapping[str, object]) -> bool:
        """Hard-link a part's files from the last output; False when they are not as written."""
        files = entry.get("files")
        if not isinstance(files, list) or not isinstance(entry.get("name"), str):
            return False
        old, new = os.fspath(self.out), os.fspath(self.staging)
        for relative, size, mtime in files:
            try:
                stat = os.stat(os.path.join(old, relative))
            except OSError:
                return False
            if stat.st_size != size or stat.st_mtime_ns != mtime:
                return False
        for relative, _size, _mtime in files:
            target = os.path.join(new, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.link(os.path.join(old, relative), target)
        return True

    def add(self, outcome: ArticleOutcome) -> None:
        number = part_of(outcome.slug, self.count)
        if self.kept[number][1] is not None:
            self.parts[number].members.append((outcome.slug, outcome.search_digest))
        else:
            self.parts[number].add(outcome)

    def finish(self) -> tuple[str, ...]:
        """Write the parts indexed; the folders of every part, relative to the site root."""
        names = write_parts(self.staging, self.count, self.parts, self.cost)
        folders: list[str] = []
        for number, (key, entry) in enumerate(self.kept):
            if entry is not None:
                name = str(entry["name"])
                if name != part_name(self.count, self.parts[number].members):
                    raise RuntimeError(f"search part {name} was kept for other documents")
                files = entry["files"]
            elif number in names:
                name = names[number]
                files = list(_stats(self.staging, part_folder(name)))
            else:
                continue  # a part without documents
            self.written.append({"key": key, "name": name, "files": files})
            folders.append(part_folder(name))
        return tuple(folders)

    def discard(self) -> None:
        """Stop the indexers of a build that failed."""
        for part in self.parts:
            if part.indexer is not None:
                part.indexer.close()
                part.indexer = None

    def save(self) -> None:
        """Remember the parts this build wrote, for the next build (once it is in place)."""
        parts = [p for p in self.written if p["key"]]
        path = _manifest_path(self.out)
        temporary = path.with_name(f".{self.out.name}.tmp-search")  # cleared by the next build
        with contextlib.suppress(OSError):  # without it the next build indexes every part
            temporary.write_text(json.dumps({"format": INDEXER, "parts": parts}), "utf-8")
            os.replace(temporary, path)


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


def _manifest_path(out: Path) -> Path:
    out = Path(os.path.abspath(out))
    return out.parent / f".{out.name}.search"


def _read_manifest(path: Path) -> dict[str, dict[str, object]]:
    """The last build's parts by key; empty when there is none or it is of another format."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict) or manifest.get("format") != INDEXER:
        return {}
    parts = manifest.get("parts")
    if not isinstance(parts, list):
        return {}
    return {p["key"]: p for p in parts if isinstance(p, dict) and isinstance(p.get("key"), str)}


def _stats(site: Path, folder: str) -> Iterable[Stat]:
    top = site / folder
    for directory, subfolders, names in os.walk(top):
        subfolders.sort()
        for name in sorted(names):
            path = os.path.join(directory, name)
            stat = os.stat(path)
            yield os.path.relpath(path, site), stat.st_size, stat.st_mtime_ns
