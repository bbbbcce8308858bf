"""Traces as ITF JSON files (the Apalache trace format): writing and reading them back."""

from __future__ import annotations

import json
from typing import Any, Callable

from checker import errors
from checker.errors import ConfigError
from checker.trace import itf
from checker.trace.trace import Step, Trace


def to_itf_json(trace: Trace) -> dict[str, Any]:
    states = []
    for i, step in enumerate(trace.steps):
        meta: dict[str, Any] = {"index": i}
        if step.action:
            meta["action"] = step.action
            meta["actionName"] = step.action_name
            meta["params"] = step.params
            meta["location"] = step.location
            if step.process:
                meta["process"] = step.process
        states.append({"#meta": meta, **step.values})
    top_meta: dict[str, Any] = {"format": "ITF", "format-description":
                                "https://apalache-mc.org/docs/adr/015adr-trace.html",
                                "source": trace.spec, "generator": "checkmodel",
                                "processes": list(trace.processes),
                                "channels": list(trace.channels)}
    if trace.property:
        top_meta["property"] = trace.property
    if trace.kind:
        top_meta["kind"] = trace.kind
    if trace.explanation:
        top_meta["explanation"] = list(trace.explanation)
    out: dict[str, Any] = {"#meta": top_meta, "vars": list(trace.vars), "states": states}
    if trace.loop is not None:
        out["loop"] = trace.loop
    return out


def write_itf(trace: Trace, path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(to_itf_json(trace), handle, indent=1)
        handle.write("\n")


def from_itf_json(data: Any, path: str = "<trace>") -> Trace:
    def bad(message: str) -> ConfigError:
        return ConfigError(errors.BAD_TRACE_FILE, f"{path}: {message}")

    if not isinstance(data, dict) or not isinstance(data.get("states"), list):
        raise bad("not an ITF trace (no \"states\" array)")
    meta = data.get("#meta", {}) if isinstance(data.get("#meta"), dict) else {}
    names = data.get("vars")
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        first = data["states"][0] if data["states"] and isinstance(data["states"][0], dict) else {}
        names = [k for k in first if k != "#meta"]
    names = [n for n in names if n not in MBT_VARIABLES]
    steps = []
    for i, raw in enumerate(data["states"]):
        if not isinstance(raw, dict):
            raise bad(f"state {i} is not an object")
        smeta = raw.get("#meta", {}) if isinstance(raw.get("#meta"), dict) else {}
        values = {k: v for k, v in raw.items() if k != "#meta" and k not in MBT_VARIABLES}
        problem = next(filter(None, (itf.malformed(v) for v in values.values())), None)
        if problem is not None:
            raise bad(f"state {i}: {problem}")
        missing = [n for n in names if n not in values]
        if missing:
            raise bad(f"state {i} has no value for {', '.join(missing)}")
        for key in ("action", "actionName", "location", "process"):
            if not isinstance(smeta.get(key, ""), str):
                raise bad(f"state {i}: #meta.{key} is not a string")
        if not isinstance(smeta.get("params", {}), dict):
            raise bad(f"state {i}: #meta.params is not an object")
        taken = raw.get(ACTION_TAKEN)
        if taken is not None and not isinstance(taken, str):
            raise bad(f"state {i}: {ACTION_TAKEN} is not a string")
        params = smeta.get("params") or _nondet_picks(raw.get(NONDET_PICKS))
        steps.append(Step(values, smeta.get("action"), smeta.get("actionName") or taken,
                          params, smeta.get("location"), smeta.get("process")))
    loop = data.get("loop")
    if loop is not None and (not isinstance(loop, int) or isinstance(loop, bool)):
        raise bad("\"loop\" is not a state index")
    for key in ("property", "kind"):
        if not isinstance(meta.get(key, ""), str):
            raise bad(f"#meta.{key} is not a string")
    return Trace(str(meta.get("source", path)), tuple(names), tuple(steps), loop,
                 meta.get("property"), meta.get("kind"), _strings(meta, "processes", bad),
                 _strings(meta, "channels", bad), _strings(meta, "explanation", bad))


# Quint's model-based-testing variables: the action that produced a state and its choices
ACTION_TAKEN = "mbt::actionTaken"
NONDET_PICKS = "mbt::nondetPicks"
MBT_VARIABLES = (ACTION_TAKEN, NONDET_PICKS)


def _nondet_picks(picks: Any) -> dict[str, Any]:
    """Quint's `mbt::nondetPicks` record: the values chosen (`Some(v)`) as the step's
    parameters; the choices not made (`None`) are left out."""
    if not isinstance(picks, dict):
        return {}
    return {name: pick["value"] for name, pick in picks.items()
            if isinstance(pick, dict) and pick.get("tag") == "Some" and "value" in pick}


def _strings(meta: dict[str, Any], key: str, bad: Callable[[str], ConfigError]) -> tuple[str, ...]:
    value = meta.get(key, [])
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise bad(f"#meta.{key} is not a list of strings")
    return tuple(value)


def read_itf(path: str) -> Trace:
    return from_itf_json(itf.read_json(path), path)
