"""Recording the array operations a kernel performs, to replay them as one generated function.

The kernels of expr.py and stmt.py decide everything about their work from the shape of their
values (which leaves are constants, which vary over the batch, which are the same object), never
from the values in an array. So running them once on symbolic leaves (`Sym`: an array of the
right dtype that records every numpy operation applied to it, through numpy's `__array_ufunc__`
and `__array_function__` protocols) gives the exact sequence of array operations they would run
on any batch: a `Tape`. An operation whose result the kernels would inspect (a truth value, a
length, a reduction to a scalar) raises `NotTraceable`, and the kernel is then interpreted as it
is. Each operation is also run on a one-row sample, which gives its result's dtype; equal
operations on equal operands are recorded once (numpy's functions are pure).
"""

from __future__ import annotations

import operator
from typing import Any, Callable, Optional

import numpy as xp


class NotTraceable(Exception):
    """A kernel looked at a value of an array: it cannot be replayed as a fixed operation list."""


class Sym:
    """A leaf that varies over the batch, known only by the operation that made it."""

    __slots__ = ("tape", "index", "sample")
    __array_priority__ = 1000

    def __init__(self, tape: Tape, index: int, sample: Any):
        self.tape, self.index, self.sample = tape, index, sample

    @property
    def ndim(self) -> int:
        return int(self.sample.ndim)

    @property
    def dtype(self) -> Any:
        return self.sample.dtype

    @property
    def shape(self) -> Any:
        raise NotTraceable("the shape of a batch leaf")

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if method != "__call__" or kwargs:
            raise NotTraceable(f"{ufunc.__name__}.{method}")
        return self.tape.record("call", ufunc, inputs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        if kwargs:
            raise NotTraceable(f"{func.__name__} with keywords")
        return self.tape.record("call", func, tuple(args))

    def astype(self, dtype: Any) -> Sym:
        return self.tape.record("astype", None, (self, xp.dtype(dtype)))

    def __getitem__(self, key: Any) -> Sym:
        return self.tape.record("getitem", None, (self, key))

    def _refuse(self, *_: Any) -> Any:
        raise NotTraceable("the value of a batch leaf")

    __bool__ = __int__ = __index__ = __float__ = __len__ = __iter__ = _refuse
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = _refuse
    __setitem__ = __array__ = tolist = _refuse

    def _binary(ufunc: Any, swapped: bool = False) -> Callable[[Sym, Any], Sym]:
        def op(self: Sym, other: Any) -> Sym:
            args = (other, self) if swapped else (self, other)
            return self.tape.record("call", ufunc, args)
        return op

    __add__, __radd__ = _binary(xp.add), _binary(xp.add, True)
    __sub__, __rsub__ = _binary(xp.subtract), _binary(xp.subtract, True)
    __mul__, __rmul__ = _binary(xp.multiply), _binary(xp.multiply, True)
    __and__, __rand__ = _binary(xp.bitwise_and), _binary(xp.bitwise_and, True)
    __or__, __ror__ = _binary(xp.bitwise_or), _binary(xp.bitwise_or, True)
    __lshift__ = _binary(xp.left_shift)
    __rshift__ = _binary(xp.right_shift)

    def __invert__(self) -> Sym:
        return self.tape.record("call", xp.invert, (self,))

    def __neg__(self) -> Sym:
        return self.tape.record("call", xp.negative, (self,))


class Op:
    """One recorded operation: `kind` is "input" (a named input of the function), "call"
    (`func(*args)`), "astype" (`args[0].astype(args[1])`) or "getitem" (`args[0][args[1]]`)."""

    __slots__ = ("kind", "func", "args", "sym")

    def __init__(self, kind: str, func: Any, args: tuple[Any, ...], sym: Sym):
        self.kind, self.func, self.args, self.sym = kind, func, args, sym


class Tape:
    """The operations recorded so far, in order; inputs are recorded when first asked for.
    (Record under `numpy.errstate(all="ignore")`: a sample may divide by zero.)"""

    def __init__(self) -> None:
        self.ops: list[Op] = []
        self._seen: dict[Any, Sym] = {}

    def input(self, name: tuple[Any, ...], sample: Any) -> Sym:
        """The program's input `name`: ("atom", i) or ("col", w)."""
        found = self._seen.get(("input", name))
        if found is None:
            found = self._add("input", name, (), sample, ("input", name))
        return found

    def record(self, kind: str, func: Any, args: tuple[Any, ...]) -> Sym:
        if kind == "call":
            simpler = self._simplify(func, args)
            if simpler is not None:
                return simpler
        return self._record(kind, func, args)

    def _simplify(self, func: Any, args: tuple[Any, ...]) -> Optional[Sym]:
        """The same value by fewer operations, for a negation of a comparison or of a
        negation, a conjunction or disjunction with a negated operand, and a selection on a
        negated condition (all on bools and integers, where these identities are exact)."""
        if func is xp.logical_not and len(args) == 1:
            x = self._negated(args[0])
            if x is not None:
                return x
            source = self._op(args[0])
            if source is not None and source.func in _COMPLEMENT and _exact(source.args):
                return self._record("call", _COMPLEMENT[source.func], source.args)
        elif func in (xp.logical_and, xp.logical_or) and len(args) == 2:
            a, b = args
            for x, y in ((a, b), (b, a)):
                negated = self._negated(x)
                if negated is not None and _bools(y):
                    # (not p) and q is q > p; (not p) or q is p <= q
                    if func is xp.logical_and:
                        return self._record("call", xp.greater, (y, negated))
                    return self._record("call", xp.less_equal, (negated, y))
        elif func is xp.where and len(args) == 3:
            negated = self._negated(args[0])
            if negated is not None:
                return self._record("call", xp.where, (negated, args[2], args[1]))
        return None

    def _op(self, a: Any) -> Optional[Op]:
        if type(a) is not Sym:
            return None
        op = self.ops[a.index]
        return op if op.kind == "call" else None

    def _negated(self, a: Any) -> Optional[Sym]:
        """x where `a` is `logical_not(x)` of a boolean symbol x."""
        op = self._op(a)
        if op is None or op.func is not xp.logical_not or len(op.args) != 1:
            return None
        x = op.args[0]
        return x if type(x) is Sym and x.dtype == xp.bool_ else None

    def _record(self, kind: str, func: Any, args: tuple[Any, ...]) -> Sym:
        key = (kind, func, tuple([("sym", a.index) if type(a) is Sym else _key(a)
                                  for a in args]))
        found = self._seen.get(key)
        if found is not None:
            return found
        sample = _apply(kind, func, tuple([a.sample if type(a) is Sym else _sample(a)
                                           for a in args]))
        if not isinstance(sample, xp.ndarray) or sample.ndim == 0:
            raise NotTraceable(f"an operation with a result of another shape ({kind} {func})")
        return self._add(kind, func, args, sample, key)

    def _add(self, kind: str, func: Any, args: tuple[Any, ...], sample: Any, key: Any) -> Sym:
        sym = Sym(self, len(self.ops), sample)
        self.ops.append(Op(kind, func, args, sym))
        self._seen[key] = sym
        return sym


_COMPLEMENT = {xp.equal: xp.not_equal, xp.not_equal: xp.equal, xp.less: xp.greater_equal,
               xp.greater_equal: xp.less, xp.greater: xp.less_equal, xp.less_equal: xp.greater}


def _exact(args: tuple[Any, ...]) -> bool:
    """Whether the operands are bools or integers (a comparison's negation is its complement)."""
    return all(a.dtype.kind in "biu" if type(a) is Sym else
               isinstance(a, (bool, int)) or (isinstance(a, xp.generic) and a.dtype.kind in "biu")
               for a in args)


def _bools(a: Any) -> bool:
    return type(a) is Sym and a.dtype == xp.bool_


def _apply(kind: str, func: Any, args: tuple[Any, ...]) -> Any:
    if kind == "astype":
        return args[0].astype(args[1])
    if kind == "getitem":
        return operator.getitem(args[0], args[1])
    return func(*args)


def _sample(a: Any) -> Any:
    if isinstance(a, Sym):
        return a.sample
    if isinstance(a, (tuple, list)):
        return type(a)(_sample(x) for x in a)
    return a


def _key(a: Any) -> Any:
    """What makes two operands the same operand: a symbol's index, a constant's type and value
    (True, 1 and 1.0 are different operands), any other object's identity."""
    if isinstance(a, Sym):
        return ("sym", a.index)
    if a is None or isinstance(a, (bool, int, float, str)):
        return (type(a).__name__, a)
    if isinstance(a, xp.generic):
        return (type(a).__name__, a.item())
    if isinstance(a, (tuple, list)):
        return (type(a).__name__, tuple(_key(x) for x in a))
    return ("id", id(a))


def sym_index(a: Any) -> Optional[int]:
    return a.index if isinstance(a, Sym) else None
