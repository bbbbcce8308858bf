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
        if isinstance(j, dict) and set(j) == {"#bigint"} and isinstance(j["#bigint"], str) \
                and _is_integer(j["#bigint"]):
            return int(j["#bigint"])
        if isinstance(j, int) and not isinstance(j, bool):
            return j
    elif isinstance(t, T.EnumType):
        if isinstance(j, str) and j in t.members:
            return t.members.index(j)
    elif isinstance(t, T.SetType):
        if isinstance(j, dict) and set(j) == {"#set"}:
            return frozenset(from_itf(t.elem, x) for x in j["#set"])
    elif isinstance(t, T.MapType):
        if isinstance(j, dict) and set(j) == {"#map"}:
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


def _is_integer(text: str) -> bool:
    digits = text[1:] if text[:1] == "-" else text
    return digits.isascii() and digits.isdigit()


def _freeze(j: Any) -> Any:
    return json.dumps(j, sort_keys=True)


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
        if set(j) == {"#set"}:
            return "{" + ", ".join(format_itf(x) for x in j["#set"]) + "}"
        if set(j) == {"#tup"}:
            return "<<" + ", ".join(format_itf(x) for x in j["#tup"]) + ">>"
        if set(j) == {"#map"}:
            return "[" + ", ".join(f"{format_itf(k)} |-> {format_itf(v)}"
                                   for k, v in j["#map"]) + "]"
        if set(j) == {"#unserializable"}:
            return str(j["#unserializable"])
        return "[" + ", ".join(f"{k} |-> {format_itf(v)}" for k, v in j.items()) + "]"
    return json.dumps(j)


def read_json(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise ConfigError(errors.BAD_TRACE_FILE, f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(errors.BAD_TRACE_FILE,
                          f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
