"""Reading YAML while remembering where every value stands in its file.

``parse_yaml`` turns YAML text into plain Python values (dict, list, str, int, float, bool,
None) and a ``YamlDoc`` that can say, for any path of keys and indexes, on which line and
column the value (or the key) was written. It is deliberately stricter than YAML:

- dates are not converted: ``2026-11-20`` stays a string, to be checked later;
- anchors and aliases (``&name``, ``*name``), tags other than the basic ones, more than one
  document per file, duplicate keys, nesting deeper than ``MAX_DEPTH`` and more than
  ``MAX_VALUES`` values in one file are refused;
- every syntax error becomes a ``Problem`` at its line, in plain words (see ``yamlerrors``).

Anything wrong is raised as a ``ContentError`` carrying one ``Problem``; nothing else escapes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeAlias, TypeVar

import yaml
from yaml import events
from yaml.constructor import SafeConstructor
from yaml.error import MarkedYAMLError
from yaml.resolver import Resolver

from .problems import ContentError, Location, Problem
from .yamlerrors import syntax_problem

PathItem: TypeAlias = str | int
YamlPath: TypeAlias = tuple[PathItem, ...]

MAX_DEPTH = 50
MAX_VALUES = 20_000  # bounds the work of every later stage; real files hold a few hundred
MAX_CHARS = 1_000_000
# How libyaml (from PyYAML 6.0.4) words its own refusal of deep nesting, met before our bound
# when a file opens a thousand flow collections in a row
_PARSER_DEPTH_LIMIT = "exceeded maximum nesting depth"

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_BASIC_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
# The characters YAML refuses anywhere in a file (the same set PyYAML's reader checks).
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


class _Dateless(Resolver):
    """YAML's usual implicit typing, except that dates and times stay strings."""


_Dateless.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}

# libyaml's parser when PyYAML was built with it (yaml.cyaml is absent otherwise)
_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)


class _Loader(
    yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, SafeConstructor, _Dateless
):
    """The pure-Python event source; used when PyYAML was built without libyaml."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        SafeConstructor.__init__(self)
        _Dateless.__init__(self)


if _CParser is not None:

    class _CLoader(_CParser, SafeConstructor, _Dateless):  # type: ignore[misc]
        """The libyaml event source, same typing rules as ``_Loader``."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            _Dateless.__init__(self)

    _LOADER: Any = _CLoader
else:  # pragma: no cover - depends on how PyYAML was built
    _LOADER = _Loader


@dataclass(frozen=True)
class Span:
    """Where a value was written: 1-based first line and column, last line, and its YAML style."""

    line: int
    col: int
    end_line: int
    style: str | None = None  # '"', "'", '|', '>' for scalars, None for plain or collections


@dataclass
class YamlDoc:
    """Parsed YAML: the plain ``data`` and where each part of it stands in the file."""

    path: str
    data: Any
    text: str
    line_offset: int = 0
    spans: dict[YamlPath, Span] = field(default_factory=dict)
    key_spans: dict[YamlPath, Span] = field(default_factory=dict)

    def span(self, path: Sequence[PathItem]) -> Span | None:
        return self.spans.get(tuple(path))

    def location(self, path: Sequence[PathItem] = ()) -> Location:
        """Where the value at ``path`` was written; the nearest enclosing value if it is absent."""
        items = tuple(path)
        while items and items not in self.spans:
            items = items[:-1]
        span = self.spans.get(items)
        if span is None:
            return Location(self.path, 1 + self.line_offset)
        return _frozen(Location, {"path": self.path, "line": span.line, "col": span.col})

    def key_location(self, path: Sequence[PathItem]) -> Location:
        """Where the key that ends ``path`` was written; falls back to ``location(path)``."""
        span = self.key_spans.get(tuple(path))
        if span is None:
            return self.location(path)
        return Location(self.path, span.line, span.col)

    def source_lines(self, span: Span) -> list[tuple[int, str]]:
        """The file's lines from the span's first line to its last, numbered as in the file."""
        lines = self.text.split("\n")
        first = span.line - self.line_offset
        last = span.end_line - self.line_offset
        return [
            (n + self.line_offset, lines[n - 1]) for n in range(first, min(last, len(lines)) + 1)
        ]


def parse_yaml(text: str, path: str, *, line_offset: int = 0) -> YamlDoc:
    """Parse one YAML document; lines in locations are shifted by ``line_offset``.

    Raises ``ContentError`` with a single problem when the text is not acceptable YAML.
    """
    where = Location(path, 1 + line_offset)
    if len(text) > MAX_CHARS:
        _fail(where, f"the YAML is larger than {MAX_CHARS // 1_000_000} MB; split or shorten it")
    text = text.removeprefix("\ufeff")
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        _fail(
            where.at(line + line_offset, col),
            f"the file contains an invisible control character (U+{ord(bad.group()):04X}) "
            "that YAML does not allow; delete it",
        )
    try:
        return _read_fast(YamlDoc(path, None, text, line_offset))
    except (_FastPathError, yaml.YAMLError):
        pass  # something unusual or wrong: _Builder reads the text again and says what
    builder = _Builder(YamlDoc(path, None, text, line_offset))
    try:
        builder.run(_LOADER(text))
    except MarkedYAMLError as error:
        if _PARSER_DEPTH_LIMIT in (error.problem or ""):  # libyaml's own bound, set above ours
            mark = error.problem_mark
            line = mark.line + 1 if mark is not None else 1
            _too_deep(Location(path, line + line_offset, mark.column + 1 if mark else None))
        raise ContentError([syntax_problem(error, text, path, line_offset)]) from None
    except yaml.YAMLError as error:
        _fail(where, f"the YAML cannot be read ({error}); check its quoting and indentation")
    return builder.doc


def shown(value: object, limit: int = 60) -> str:
    """``value`` quoted for a one-line message: control characters escaped, long text cut."""
    text = value if isinstance(value, str) else str(value)
    text = re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def _too_many_values(location: Location) -> NoReturn:
    _fail(
        location,
        f"the YAML holds more than {MAX_VALUES:,} values; no content file needs so many, "
        "shorten it",
    )


def _too_deep(location: Location) -> NoReturn:
    _fail(location, f"the YAML is nested more than {MAX_DEPTH} levels deep; flatten it")


def _fail(location: Location, message: str) -> NoReturn:
    raise ContentError([Problem(location, message)])


class _FastPathError(Exception):
    """``_read_fast`` met something it leaves to ``_Builder``."""


_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NUMBER_TAGS = frozenset(("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"))
_Resolvers: TypeAlias = tuple[tuple[str, re.Pattern[str]], ...]
_WILDCARD_RESOLVERS: _Resolvers = tuple(_Dateless.yaml_implicit_resolvers.get(None, []))
# ``Resolver.resolve`` for scalars, by first character (``_Dateless`` has no path resolvers)
_RESOLVERS_BY_FIRST: dict[str, _Resolvers] = {
    first: (*resolvers, *_WILDCARD_RESOLVERS)
    for first, resolvers in _Dateless.yaml_implicit_resolvers.items()
    if first is not None
}
_CONSTRUCTOR = SafeConstructor()
_BOOL_VALUES: dict[str, bool] = _CONSTRUCTOR.bool_values
_object_new = object.__new__
_T = TypeVar("_T")


def _frozen(cls: type[_T], fields: dict[str, Any]) -> _T:
    """An instance of the frozen dataclass ``cls`` with these fields, in half the time.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``; filling
    the instance's ``__dict__`` directly gives an equal object (same fields, no
    ``__post_init__``) and matters when every value and key of every file gets a span, and
    every field of every claim a location.
    """
    instance = _object_new(cls)
    instance.__dict__.update(fields)
    return instance


def _new_span(line: int, col: int, end_line: int, style: str | None = None) -> Span:
    """``Span(line, col, end_line, style)``, made as ``_frozen`` makes it."""
    return _frozen(Span, {"line": line, "col": col, "end_line": end_line, "style": style})


def _read_fast(doc: YamlDoc) -> YamlDoc:
    """What ``_Builder`` does, in one tight loop over the same events, for the files it accepts.

    Raises ``_FastPathError`` (or the parser's ``YAMLError``) at anything ``_Builder`` could
    refuse or has to look into: an anchor, alias or tag, a second document, a duplicate or
    non-scalar key, too deep, a scalar that is not a string, number, boolean or null.
    ``_Builder`` then reads the text again and says what is wrong, as it always did. Too many
    values it refuses itself, as ``_Builder`` would at the same value, so that a huge file is
    not read twice. What this accepts it reads exactly as ``_Builder`` does: the same values and
    spans, in the same order. (libyaml composing the node tree in C was tried first: building
    node objects and calling the resolver's Python hooks for each node cost more than this.)
    """
    # the event classes and helpers as local names: this loop runs for every value of a file
    scalar_event, alias_event = events.ScalarEvent, events.AliasEvent
    mapping_start, sequence_start = events.MappingStartEvent, events.SequenceStartEvent
    mapping_end, sequence_end = events.MappingEndEvent, events.SequenceEndEvent
    document_start, stream_end = events.DocumentStartEvent, events.StreamEndEvent
    new_span, plain_value = _new_span, _plain_value
    spans, key_spans = doc.spans, doc.key_spans
    base = doc.line_offset + 1  # marks count lines from 0
    values = documents = 0
    # the open collections, innermost last, as (collection, its path, the key whose value it
    # awaits); the innermost one's are in the three variables after
    stack: list[tuple[Any, YamlPath, str | None]] = []
    collection: Any = None
    collection_path: YamlPath = ()
    key: str | None = None
    in_mapping = False
    value: Any
    start: Any
    loader = _LOADER(doc.text)
    try:
        get_event = loader.get_event
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar_event:
                if event.anchor is not None or event.tag is not None:
                    raise _FastPathError
                start = event.start_mark
                if in_mapping and key is None:
                    key = event.value
                    if key in collection:
                        raise _FastPathError
                    key_spans[(*collection_path, key)] = new_span(
                        start.line + base, start.column + 1, event.end_mark.line + base
                    )
                    continue
                value = event.value
                style = event.style
                if event.implicit[0]:
                    value = plain_value(value)
                if style == "|" or style == ">":
                    value = value.removesuffix("\n")
                elif style != '"' and style != "'":
                    style = None  # plain
                span = new_span(
                    start.line + base, start.column + 1, event.end_mark.line + base, style
                )
            elif kind is mapping_end or kind is sequence_end:
                collection, collection_path, key = stack.pop()
                in_mapping = type(collection) is dict
                continue
            elif kind is mapping_start or kind is sequence_start:
                if (
                    event.anchor is not None
                    or event.tag is not None
                    or (in_mapping and key is None)
                    or len(stack) >= MAX_DEPTH
                ):
                    raise _FastPathError
                start = event.start_mark
                value = {} if kind is mapping_start else []
                span = new_span(start.line + base, start.column + 1, event.end_mark.line + base)
            elif kind is document_start:
                documents += 1
                if documents > 1:
                    raise _FastPathError
                continue
            elif event is None or kind is stream_end:
                return doc
            elif kind is alias_event:
                raise _FastPathError
            else:
                continue  # the stream's start, a document's end
            values += 1
            if values > MAX_VALUES:  # what the full builder says here too, without its rerun
                _too_many_values(Location(doc.path, span.line, span.col))
            path: YamlPath
            if collection is None:
                path = ()
                doc.data = value
            elif in_mapping:
                assert key is not None
                path = (*collection_path, key)
                collection[key] = value
                key = None
            else:
                path = (*collection_path, len(collection))
                collection.append(value)
            spans[path] = span
            if kind is not scalar_event:
                stack.append((collection, collection_path, key))
                collection, collection_path, key = value, path, None
                in_mapping = kind is mapping_start
    finally:
        loader.dispose()


def _plain_value(text: str) -> Any:
    """An untagged plain scalar's value, as ``_construct_scalar`` gives it."""
    for tag, regexp in _RESOLVERS_BY_FIRST.get(text[:1], _WILDCARD_RESOLVERS):
        if not regexp.match(text):
            continue
        if tag == _NULL_TAG:
            return None
        if tag == _BOOL_TAG:
            return _BOOL_VALUES[text.lower()]
        if tag not in _NUMBER_TAGS:
            raise _FastPathError  # '<<', '=' and the like, whose tags _Builder refuses
        try:
            return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, text))
        except (yaml.YAMLError, ValueError, TypeError):
            return text  # e.g. a number too long for Python: keep the text
    return text


@dataclass
class _Frame:
    path: YamlPath
    value: dict[str, Any] | list[Any]
    key: str | None = None
    key_lines: dict[str, int] = field(default_factory=dict)


class _Builder:
    """Builds plain values from the parser's events, recording spans as it goes."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.stack: list[_Frame] = []
        self.documents = 0
        self.values = 0

    def _span(self, event: events.Event, style: str | None = None) -> Span:
        start: Any = event.start_mark
        end: Any = event.end_mark
        offset = self.doc.line_offset
        return Span(start.line + 1 + offset, start.column + 1, end.line + 1 + offset, style)

    def _here(self, event: events.Event) -> Location:
        span = self._span(event)
        return Location(self.doc.path, span.line, span.col)

    def run(self, loader: Any) -> None:
        try:
            while True:
                event = loader.get_event()
                if event is None or isinstance(event, events.StreamEndEvent):
                    return
                self._handle(event, loader)
        finally:
            loader.dispose()

    def _handle(self, event: events.Event, loader: Any) -> None:
        if isinstance(event, events.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                _fail(
                    self._here(event),
                    "a second YAML document starts here; keep one document per file "
                    "(remove the '---' line)",
                )
        elif isinstance(event, events.AliasEvent):
            _fail(
                self._here(event),
                f"aliases (*{event.anchor}) are not supported; write the value out in full",
            )
        elif isinstance(event, events.ScalarEvent):
            self._check_anchor(event)
            self._scalar(event, loader)
        elif isinstance(event, events.MappingStartEvent | events.SequenceStartEvent):
            self._check_anchor(event)
            self._collection(event)
        elif isinstance(event, events.MappingEndEvent | events.SequenceEndEvent):
            self.stack.pop()

    def _check_anchor(self, event: events.NodeEvent) -> None:
        if event.anchor is not None:
            _fail(
                self._here(event),
                f"anchors (&{event.anchor}) are not supported; write each value out in full",
            )

    def _expecting_key(self) -> bool:
        return (
            bool(self.stack)
            and isinstance(self.stack[-1].value, dict)
            and self.stack[-1].key is None
        )

    def _scalar(self, event: events.ScalarEvent, loader: Any) -> None:
        if self._expecting_key():
            self._key(event)
            return
        value = _construct_scalar(event, loader, self._here(event))
        style = event.style if event.style in ('"', "'", "|", ">") else None
        if style in ("|", ">") and isinstance(value, str):
            value = value.removesuffix("\n")
        self._attach(value, self._span(event, style))

    def _key(self, event: events.ScalarEvent) -> None:
        frame = self.stack[-1]
        key = event.value
        span = self._span(event)
        first = frame.key_lines.get(key)
        if first is not None:
            _fail(
                self._here(event),
                f"duplicate key {shown(key)} (first at line {first}); keep only one of them",
            )
        frame.key_lines[key] = span.line
        frame.key = key
        self.doc.key_spans[(*frame.path, key)] = span

    def _collection(self, event: events.CollectionStartEvent) -> None:
        if self._expecting_key():
            _fail(
                self._here(event),
                "a key here is a list or mapping; keys must be plain words followed by ': '",
            )
        tag = event.tag
        if tag not in (None, "!", _MAP_TAG, _SEQ_TAG):
            _fail(self._here(event), f"YAML tags ({_short(tag)}) are not supported; remove the tag")
        if len(self.stack) >= MAX_DEPTH:
            _too_deep(self._here(event))
        value: dict[str, Any] | list[Any] = (
            {} if isinstance(event, events.MappingStartEvent) else []
        )
        path = self._attach(value, self._span(event))
        self.stack.append(_Frame(path, value))

    def _attach(self, value: Any, span: Span) -> YamlPath:
        self.values += 1
        if self.values > MAX_VALUES:
            _too_many_values(Location(self.doc.path, span.line, span.col))
        if not self.stack:
            self.doc.data = value
            self.doc.spans[()] = span
            return ()
        frame = self.stack[-1]
        item: PathItem
        if isinstance(frame.value, dict):
            assert frame.key is not None
            item = frame.key
            frame.value[item] = value
            frame.key = None
        else:
            item = len(frame.value)
            frame.value.append(value)
        path = (*frame.path, item)
        self.doc.spans[path] = span
        return path


def _construct_scalar(event: events.ScalarEvent, loader: Any, where: Location) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag not in _BASIC_SCALAR_TAGS:
        _fail(where, f"YAML tags ({_short(event.tag)}) are not supported; remove the tag")
    node = yaml.ScalarNode(tag, event.value, None, None, event.style)
    try:
        return loader.yaml_constructors[tag](loader, node)
    except (yaml.YAMLError, ValueError, TypeError, KeyError):  # KeyError: !!bool maybe
        if event.tag is not None:
            return _fail(where, f"{event.value!r} cannot be read as {tag.rsplit(':', 1)[-1]}")
        return event.value  # e.g. a number too long for Python: keep the text


def _short(tag: str | None) -> str:
    return (tag or "").replace("tag:yaml.org,2002:", "!!")
