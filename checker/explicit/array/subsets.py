"""`S subseteq T` and `subset S` as array kernels."""

from __future__ import annotations

from typing import Any, Callable

from checker.explicit.array import values as V
from checker.explicit.array.unsupported import Unsupported
from checker.ir import types as T

Env = Any  # env.Env (kept loose: subsets only passes it on)
Kernel = Callable[[Env], V.Val]

POWERSET_LIMIT = 10  # `subset S` runs here when S has at most this many candidate members


def subsets(op: str, args: list[Kernel]) -> Kernel:
    """`S subseteq T` and `subset S` (each subset of S's candidates, present when all of its
    members are in S)."""
    if op == "subseteq":
        left, right = args

        def within(env: Env) -> V.Val:
            a, b = left(env), right(env)
            u = V.merged_universe(a.universe, b.universe)
            return V.conj([V.disj([V.negate(x), y])
                           for x, y in zip(V.members_in(a, u), V.members_in(b, u))])
        return within
    (arg,) = args

    def powerset(env: Env) -> V.Val:
        a = arg(env)
        if len(a.universe) > POWERSET_LIMIT:
            raise Unsupported(f"`subset` of a set of {len(a.universe)} candidate members")
        subsets = []
        for mask in range(1 << len(a.universe)):
            chosen = [i for i in range(len(a.universe)) if mask >> i & 1]
            subsets.append((frozenset(a.universe[i] for i in chosen),
                            V.conj([a.members[i] for i in chosen])))
        subsets.sort(key=lambda sm: T.sort_key(sm[0]))
        return V.SetV(tuple(s for s, _ in subsets), tuple(m for _, m in subsets))
    return powerset
