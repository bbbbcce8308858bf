"""ITF, the Informal Trace Format of Apalache and Quint: values and whole traces as JSON.

Values: booleans and strings as themselves, integers as {"#bigint": "3"}, sets as {"#set": [...]},
maps as {"#map": [[k, v], ...]}, sequences as arrays, records as objects. Enum members and
symbolic values are strings. A bag is written as a sorted array.
"""

from __future__ import annotations

import json
from typing import Any

from checker import errors
from checker.ir import types as T
from checker.errors import ConfigError


def to_itf(t: T.Type, v: T.Value) -> Any:
    """A stored value as an ITF value (a value of another type is refused, never converted)."""
    if isinstance(t, T.BoolType):
        if not isinstance(v, bool):
            raise TypeError(f"{v!r} is not a stored value of type {t}")
        return v
    if isinstance(t, T.IntType):
        if not isinstance(v, int) or isinstance(v, bool):
            raise TypeError(f"{v!r} is not a stored value of type {t}")
        return {"#bigint": str(v)}
    if isinstance(t, T.EnumType):
        return t.members[v]
    if isinstance(t, T.SetType):
        return {"#set": [to_itf(t.elem, x) for x in T.sort_values(v)]}
    if isinstance(t, T.MapType):
        return {"#map": [[to_itf(t.key, k), to_itf(t.value, x)]
                         for k, x in zip(T.values(t.key), v)]}
    if isinstance(t, T.SeqType):
        return [to_itf(t.elem, x) for x in v]
    assert isinstance(t, T.RecordType)
    return {n: to_itf(f, x) for (n, f), x in zip(t.fields, v)}


class ItfValueError(ValueError):
    pass


def from_itf(t: T.Type, j: Any) -> T.Value:
    """An ITF value back to stored form; raises `ItfValueError` when it does not fit the type."""
    if isinstance(t, T.BoolType):
        if isinstance(j, bool):
            return j
    elif isinstance(t, T.IntType):
        if isinstance(j, dict) and set(j) == {"#bigint"}:
            return _bigint(j["#bigint"])
        if isinstance(j, int) and not isinstance(j, bool):
            return j
    elif isinstance(t, T.EnumType):
        if isinstance(j, str) and j in t.members:
            return t.members.index(j)
    elif isinstance(t, T.SetType):
        if isinstance(j, dict) and set(j) == {"#set"} and isinstance(j["#set"], list):
            return frozenset(from_itf(t.elem, x) for x in j["#set"])
    elif isinstance(t, T.MapType):
        if isinstance(j, dict) and set(j) == {"#map"} and _pairs(j["#map"]):
            pairs = {_freeze(k): x for k, x in j["#map"]}
            out = []
            for k in T.values(t.key):
                key = _freeze(to_itf(t.key, k))
                if key not in pairs:
                    raise ItfValueError(f"map has no entry for {T.format_value(t.key, k)}")
                out.append(from_itf(t.value, pairs[key]))
            return tuple(out)
    elif isinstance(t, T.SeqType):
        if isinstance(j, list):
            items = [from_itf(t.elem, x) for x in j]
            return tuple(sorted(items, key=T._sort_key)) if t.bag else tuple(items)
    elif isinstance(t, T.RecordType):
        if isinstance(j, dict) and sorted(j) == [n for n, _ in t.fields]:
            return tuple(from_itf(f, j[n]) for n, f in t.fields)
    raise ItfValueError(f"{json.dumps(j)[:60]} is not a value of type {t}")


def malformed(j: Any) -> str | None:
    """What makes a JSON value not an ITF value (None if it is one), checked without recursion."""
    pending = [j]
    while pending:
        x = pending.pop()
        if isinstance(x, (bool, str)) or isinstance(x, int) and abs(x) < 2 ** 53:
            continue
        if isinstance(x, list):
            pending.extend(x)
            continue
        if not isinstance(x, dict):
            return f"{json.dumps(x)[:60]} is not an ITF value"
        tags = [k for k in x if k.startswith("#")]
        if not tags:
            pending.extend(x.values())
            continue
        tag, body = tags[0], x[tags[0]]
        if len(x) != 1:
            return f"{json.dumps(x)[:60]}: {tag} must be the only key"
        if tag == "#bigint":
            if not _is_integer(body):
                return f"{json.dumps(x)[:60]}: #bigint takes a string of at most 1000 digits"
        elif tag in ("#set", "#tup"):
            if not isinstance(body, list):
                return f"{json.dumps(x)[:60]}: {tag} takes an array"
            pending.extend(body)
        elif tag == "#map":
            if not _pairs(body):
                return f"{json.dumps(x)[:60]}: #map takes an array of [key, value] pairs"
            pending.extend(body)
        elif tag != "#unserializable":
            return f"{json.dumps(x)[:60]}: unknown ITF tag {tag}"
    return None


def _bigint(text: Any) -> int:
    if not _is_integer(text):
        raise ItfValueError(f"{json.dumps(text)[:60]} is not an integer (#bigint takes a string of "
                            "at most 1000 digits)")
    return int(text)


def _pairs(entries: Any) -> bool:
    return isinstance(entries, list) and all(isinstance(e, list) and len(e) == 2 for e in entries)


def _is_integer(text: Any) -> bool:
    """A #bigint string: an optional minus and at most 1000 ASCII digits."""
    if not isinstance(text, str):
        return False
    digits = text[1:] if text[:1] == "-" else text
    return digits.isascii() and digits.isdigit() and len(digits) <= 1000


def _freeze(j: Any) -> Any:
    """A hashable, canonical form of an ITF value: an integer written as a plain JSON number
    (as ITF allows for small ones) and as {"#bigint": ...} are the same key."""
    return json.dumps(_canonical(j), sort_keys=True)


def _canonical(j: Any) -> Any:
    if isinstance(j, int) and not isinstance(j, bool):
        return {"#bigint": str(j)}
    if isinstance(j, list):
        return [_canonical(x) for x in j]
    if isinstance(j, dict):
        return {k: _canonical(x) for k, x in j.items()}
    return j


def format_itf(j: Any) -> str:
    """TLA+-like text for an ITF value (used where no spec is at hand, as in `show`)."""
    if isinstance(j, bool):
        return "TRUE" if j else "FALSE"
    if isinstance(j, str):
        return j
    if isinstance(j, (int, float)):
        return str(j)
    if isinstance(j, list):
        return "<<" + ", ".join(format_itf(x) for x in j) + ">>"
    if isinstance(j, dict):
        if set(j) == {"#bigint"}:
            return str(j["#bigint"])
        if set(j) == {"#set"} and isinstance(j["#set"], list):
            return "{" + ", ".join(format_itf(x) for x in j["#set"]) + "}"
        if set(j) == {"#tup"} and isinstance(j["#tup"], list):
            return "<<" + ", ".join(format_itf(x) for x in j["#tup"]) + ">>"
        if set(j) == {"#map"} and _pairs(j["#map"]):
            return "[" + ", ".join(f"{format_itf(k)} |-> {format_itf(v)}"
                                   for k, v in j["#map"]) + "]"
        if set(j) == {"#unserializable"}:
            return str(j["#unserializable"])
        return "[" + ", ".join(f"{k} |-> {format_itf(v)}" for k, v in j.items()) + "]"
    return json.dumps(j)


MAX_DEPTH = 100  # JSON nesting accepted in a trace file (values of the spec language nest far less)


def read_json(path: str) -> Any:
    """A JSON file (UTF-8, with or without a BOM), or E401 with where it goes wrong."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ConfigError(errors.BAD_TRACE_FILE, f"cannot read {path}: {exc.strerror}") from None
    try:
        text = errors.decode_text(data, path, errors.BAD_TRACE_FILE)
    except errors.SpecError as error:
        raise ConfigError(error.code, f"{error.span}: {error.message}", None, error.notes) from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(errors.BAD_TRACE_FILE,
                          f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except (RecursionError, ValueError) as exc:  # nesting, or an integer of too many digits
        raise ConfigError(errors.BAD_TRACE_FILE, f"{path}: not a usable JSON file: {exc}") from None
    if _depth(value) > MAX_DEPTH:
        raise ConfigError(errors.BAD_TRACE_FILE,
                          f"{path}: JSON nested more than {MAX_DEPTH} levels deep")
    return value


def _depth(value: Any) -> int:
    """How deeply a JSON value nests (without recursion)."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, level = pending.pop()
        deepest = max(deepest, level)
        if isinstance(item, dict):
            pending.extend((x, level + 1) for x in item.values())
        elif isinstance(item, list):
            pending.extend((x, level + 1) for x in item)
    return deepest
