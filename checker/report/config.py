"""The configuration of `checkmodel report` (report.toml): what to check and what to draw."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from checker import errors
from checker.report.fixsets import Dimension


@dataclass(frozen=True)
class Sweep:
    """Distinct states of one spec as one constant grows."""

    spec: str
    const: str
    values: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class Design:
    """A row of the verdict matrix: a spec, possibly with constants overridden."""

    spec: str
    name: str = ""
    consts: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Environment:
    """A named set of switch values every design is checked under (e.g. the default, what the
    code allows, and an optimistic variant)."""

    name: str
    label: str
    switches: dict[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Counterexample:
    """A counterexample to draw as a sequence chart."""

    name: str
    spec: str
    property: str
    caption: str


@dataclass(frozen=True)
class Lattice:
    spec: str
    properties: tuple[str, ...]
    dimensions: tuple[Dimension, ...]
    environments: tuple[str, ...] = ("default",)  # a lattice per environment
    consts: dict[str, str] = field(default_factory=dict, hash=False)  # bounds of every point


@dataclass(frozen=True)
class Claim:
    """A sentence of the paper and the check of the report's data that confirms it.

    kind: same_verdicts (designs), same_row (designs: verdicts and state counts),
    verdict (design, property, expected), minimal_sets (property, sets),
    point (fixes, property, expected: a lattice point's verdict), holds_nowhere (property),
    proof (spec, property, expected: PROVED, VIOLATED, NOT INDUCTIVE or UNKNOWN),
    horizon_stable (design, property: the verdict is the same with the larger horizon),
    same_verdict_on (designs, property, expected).
    Every kind but proof takes an optional `env` (default: the first environment).
    """

    id: str
    text: str
    kind: str
    args: dict[str, object]


@dataclass(frozen=True)
class ReportConfig:
    paper: str
    figures: str
    designs: tuple[Design, ...]
    lattice: Lattice
    environments: tuple[Environment, ...] = (Environment("default", "the spec as written"),)
    # every design is checked again with Horizon raised by this much (0: no re-check)
    horizon_recheck: int = 0
    workers: int = 0  # processes for the designs and the lattices (0: one per CPU)
    recheck_designs: tuple[str, ...] = ()  # the specs re-checked (empty: every design)
    sweeps: tuple[Sweep, ...] = ()
    counterexamples: tuple[Counterexample, ...] = ()
    proofs: tuple[str, ...] = field(default=())
    proof_helpers: str = ""
    # Z3's deterministic work limit per proof obligation (0: none), so that a proof's cells are
    # the same on every machine and under any load; the wall timeout is only a safety net
    proof_rlimit: int = 0
    proof_timeout: float = 60.0
    claims: tuple[Claim, ...] = ()
    # the order of the properties in the matrix and the lattice tables (others follow,
    # alphabetically)
    property_order: tuple[str, ...] = ()


def _design(entry: object) -> Design:
    if isinstance(entry, str):
        return Design(entry)
    assert isinstance(entry, dict)
    return Design(entry["spec"], entry.get("name", ""),
                  {k: str(v) for k, v in entry.get("consts", {}).items()})


def load_config(path: str) -> ReportConfig:
    try:
        with open(path, "rb") as handle:
            raw = tomllib.load(handle)
    except OSError as exc:
        raise errors.ConfigError(errors.BAD_OVERRIDE, f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise errors.ConfigError(errors.BAD_OVERRIDE, f"{path}: {exc}") from None
    try:
        lat = raw["lattice"]
        lattice = Lattice(lat["spec"], tuple(lat["properties"]), tuple(
            Dimension(d["switch"], str(d["today"]), tuple(str(f) for f in d["fixes"]),
                      d.get("label", d["switch"])) for d in lat["dimension"]),
            tuple(lat.get("environments", ["default"])),
            {k: str(v) for k, v in lat.get("consts", {}).items()})
        envs = tuple(Environment(e["name"], e.get("label", e["name"]),
                                 {k: str(v) for k, v in e.get("switches", {}).items()})
                     for e in raw.get("environment", [])) or ReportConfig.environments
        return ReportConfig(
            paper=raw.get("paper", "PAPER.md"), figures=raw.get("figures", "figures"),
            designs=tuple(_design(d) for d in raw["designs"]), lattice=lattice,
            environments=envs, horizon_recheck=int(raw.get("horizon_recheck", 0)),
            workers=int(raw.get("workers", 0)),
            recheck_designs=tuple(raw.get("recheck_designs", [])),
            sweeps=tuple(Sweep(s["spec"], s["const"], tuple(str(v) for v in s["values"]),
                               s.get("label", s["const"])) for s in raw.get("sweep", [])),
            counterexamples=tuple(Counterexample(c["name"], c["spec"], c["property"],
                                                 c.get("caption", ""))
                                  for c in raw.get("counterexample", [])),
            proofs=tuple(raw.get("proofs", {}).get("specs", [])),
            proof_helpers=raw.get("proofs", {}).get("helpers", ""),
            proof_rlimit=int(raw.get("proofs", {}).get("rlimit", 0)),
            proof_timeout=float(raw.get("proofs", {}).get("timeout", 60.0)),
            claims=tuple(Claim(c["id"], c["text"], c["kind"],
                               {k: v for k, v in c.items() if k not in ("id", "text", "kind")})
                         for c in raw.get("claim", [])),
            property_order=tuple(raw.get("properties", [])))
    except (KeyError, TypeError, ValueError) as exc:
        raise errors.ConfigError(errors.BAD_OVERRIDE, f"{path}: missing or malformed {exc}") from None
