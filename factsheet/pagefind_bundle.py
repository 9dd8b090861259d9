"""A Pagefind bundle as written, made the same bytes every time and trimmed to what is used.

Pagefind gathers filter values in hash maps seeded at random, so the order of the values in
a filter file, and the order of the filters in the metadata, change from run to run; the
files' names are hashes of their bytes, so the names change too, and with them the metadata
and the entry file that point at them. Everything else it writes depends only on the records,
in the order they were added. ``make_deterministic`` puts the filters in order (filters by
name, values by value), names the rewritten files by their new bytes as Pagefind does, and
points the metadata and the entry file at them.

Pagefind's ready-made interfaces are removed: the site has its own (``static/search.js``).
A bundle keeps ``pagefind.js`` and its worker, the WebAssembly of each language it indexed,
and its data.

The data files are gzip streams of ``pagefind_dcd`` followed by CBOR (written by minicbor:
definite lengths, shortest forms, which is what cbor2 writes too).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Mapping
from typing import Any

import cbor2

SIGNATURE = b"pagefind_dcd"
KEEP = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
# positions in the metadata's CBOR array (pagefind's MetaIndex), and in a filter file's
META_FILTERS = 3
FILTER_VALUES = 1


class BundleError(Exception):
    """The bundle is not laid out as this version of Pagefind writes it."""


def make_deterministic(bundle: Mapping[str, bytes]) -> dict[str, bytes]:
    """The bundle (path inside it -> bytes) with its filters in a fixed order, without the
    files the site does not use."""
    files = dict(bundle)
    entry = json.loads(files["pagefind-entry.json"])
    keep = set(KEEP)
    for language in entry["languages"].values():
        language["hash"] = _canonical_meta(files, language["hash"])
        keep.add(f"pagefind.{language['hash']}.pf_meta")
        keep.add(f"wasm.{language['wasm']}.pagefind")
    files["pagefind-entry.json"] = json.dumps(
        entry, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    return {
        path: data
        for path, data in sorted(files.items())
        if path in keep or path.startswith(("fragment/", "index/", "filter/"))
    }


def _canonical_meta(files: dict[str, bytes], meta_hash: str) -> str:
    """Sort the filters of one language's metadata; return the metadata's new hash."""
    language = meta_hash.split("_", 1)[0]
    meta_path = f"pagefind.{meta_hash}.pf_meta"
    meta = _decode(meta_path, files.pop(meta_path))
    try:
        filters = meta[META_FILTERS]
    except (IndexError, TypeError) as err:
        raise BundleError(f"{meta_path}: unexpected metadata") from err
    sorted_filters = []
    for name, file_hash in sorted(filters, key=lambda pair: pair[0]):
        path = f"filter/{file_hash}.pf_filter"
        data = _decode(path, files.pop(path))
        data[FILTER_VALUES] = sorted(data[FILTER_VALUES], key=lambda pair: pair[0])
        encoded = cbor2.dumps(data)
        new_hash = f"{language}_{_hash(encoded)[:10]}"
        files[f"filter/{new_hash}.pf_filter"] = _encode(encoded)
        sorted_filters.append([name, new_hash])
    meta[META_FILTERS] = sorted_filters
    encoded = cbor2.dumps(meta)
    new_meta_hash = f"{language}_{_hash(encoded)[:10]}"
    files[f"pagefind.{new_meta_hash}.pf_meta"] = _encode(encoded)
    return new_meta_hash


def _decode(path: str, data: bytes) -> Any:
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise BundleError(f"{path}: not a Pagefind data file")
    return cbor2.loads(raw[len(SIGNATURE) :])


def _encode(encoded: bytes) -> bytes:
    return gzip.compress(SIGNATURE + encoded, compresslevel=9, mtime=0)


def _hash(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()
