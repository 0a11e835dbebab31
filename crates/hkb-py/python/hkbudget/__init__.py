"""hkbudget — Hong Kong fiscal policy lab in Python (香港財政政策實驗室).

The engine of the command line and the HTTP API, in process: exact tax calculators with their
IRD-style explanations, the society-wide microsimulation, the fiscal projection with Monte Carlo
risk, and the Chinese General Chamber of Commerce's proposals costed. Results are the engine's
own (the same numbers as ``hkbudget … --format json`` and ``/api/v1``); tables come as pandas
DataFrames built column by column.

    >>> import hkbudget
    >>> lab = hkbudget.Lab()
    >>> lab.salaries({"married": True, "children": 2,
    ...               "taxpayer": {"employment_income": 700000, "mpf_mandatory": 18000,
    ...                            "charitable_donations": 3000}}, year="2024/25")["tax_payable"]
    8200

Errors are :class:`hkbudget.Error` subclasses with ``code``, ``field`` (a JSON pointer into the
request), ``message`` (English) and ``message_zh`` (繁體中文).
"""

from __future__ import annotations

import json as _json
import os
from collections.abc import Mapping
from typing import Any

from . import _native

__all__ = [
    "Lab",
    "Reform",
    "Result",
    "RunResult",
    "Error",
    "MalformedError",
    "InvalidError",
    "NotFoundError",
    "TooLargeError",
    "InternalError",
    "sweep",
]

__version__ = _native.VERSION
SCHEMA_VERSION = _native.SCHEMA_VERSION


class Error(Exception):
    """An error from the engine: ``code``, ``field``, ``message`` (en), ``message_zh``, ``allowed``."""

    def __init__(self, code: str, field: str, message: str, message_zh: str, allowed: str | None = None):
        super().__init__(f"{field}: {message}" if field else message)
        self.code = code
        self.field = field
        self.message = message
        self.message_zh = message_zh
        self.allowed = allowed


class MalformedError(Error):
    """Not well formed: a wrong type, an unknown or missing field (格式錯誤)."""


class InvalidError(Error):
    """Well formed, but a value is not allowed (數值不容許)."""


class NotFoundError(Error):
    """A year, vintage, parameter or proposal that does not exist (找不到)."""


class TooLargeError(Error):
    """Past one of the engine's limits (超出上限)."""


class InternalError(Error):
    """A bug in hkbudget, never the caller's fault (內部錯誤)."""


_BY_CODE = {
    "malformed": MalformedError,
    "invalid": InvalidError,
    "not_found": NotFoundError,
    "too_large": TooLargeError,
    "internal": InternalError,
}


def _raise(e: _native.NativeError):
    code, field, en, zh, allowed = e.args
    raise _BY_CODE.get(code, Error)(code, field, en, zh, allowed) from None


class Result(Mapping):
    """A response of the engine, read like a dict (``r["tax_payable"]``, ``r.keys()``).

    The response stays in the engine's form until a field is read, so a call costs little more
    than the engine's own work; ``to_dict()`` gives the whole of it as plain Python data and
    ``json()`` as JSON text (the same as the CLI's ``--format json`` and the API's body).
    """

    __slots__ = ("_doc", "_cache")

    def __init__(self, doc):
        self._doc = doc
        self._cache: dict[str, Any] = {}

    def __getitem__(self, key: str):
        try:
            return self._cache[key]
        except KeyError:
            value = _json.loads(self._doc.raw(key))
            self._cache[key] = value
            return value

    def __contains__(self, key) -> bool:
        return isinstance(key, str) and key in self._doc

    def __iter__(self):
        return iter(self._doc.keys())

    def __len__(self) -> int:
        return len(self._doc)

    def to_dict(self) -> dict:
        """The whole response as plain Python data (a fresh copy each time)."""
        return _json.loads(self._doc.json())

    def json(self) -> str:
        """The response as JSON text."""
        return self._doc.json()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(keys={list(self)!r})"


def _arrow_frame(ipc: bytes):
    """An Arrow IPC stream (built column by column in the engine) as a pandas DataFrame."""
    import pandas as pd
    import pyarrow as pa

    table = pa.ipc.open_stream(pa.py_buffer(ipc)).read_all()
    # A decile is an integer that is missing for the top 1%: pandas' nullable integer, not float.
    return table.to_pandas(types_mapper={pa.uint8(): pd.UInt8Dtype()}.get)


class RunResult(Result):
    """A society-wide run (the engine's response as a dict) with its tables as pandas DataFrames.

    Money is HK$ a year as the engine reports it; counts are weighted persons, businesses or deals.
    """

    __slots__ = ("_tables",)

    def __init__(self, doc, tables: Mapping[str, bytes] | None = None):
        super().__init__(doc)
        self._tables = dict(tables or {})

    def _table(self, name: str):
        if name not in self._tables:
            raise KeyError(f"this result has no {name} table")
        return _arrow_frame(self._tables[name])

    @property
    def revenue(self):
        """Revenue by tax (HK$ a year): baseline, reform, change, change with behaviour, affected, payers."""
        return self._table("revenue")

    @property
    def deciles(self):
        """Salaries tax by decile (the last row is the top 1%): of earners by employment income, or of
        households by equivalised household income when the run asked for ``deciles_by="household"``
        (``self["deciles_by"]`` says which; ``persons`` then counts households)."""
        return self._table("deciles")

    @property
    def winners_losers(self):
        """Shares of each decile's earners whose salaries tax falls (winners) or rises (losers)."""
        return self._table("winners_losers")

    @property
    def total_change(self) -> float:
        """The change in revenue, HK$ a year (without behaviour)."""
        return float(self["total_change"])

    @property
    def total_change_with_behaviour(self) -> float:
        """The change in revenue, HK$ a year, with the behavioural responses."""
        return float(self["total_change_with_behaviour"])


def _spec(reform: "Reform | Mapping | None"):
    if reform is None:
        return None
    if isinstance(reform, Reform):
        return reform.spec
    return dict(reform)


class Reform:
    """A reform of the law: parameter path → period → value (the same as a reform file).

    >>> Reform.from_dict({"salaries_tax.allowances.basic": {"2026/27..": 150000}})
    """

    def __init__(self, spec: Mapping):
        self.spec = dict(spec)

    @classmethod
    def from_dict(cls, changes: Mapping, name: str | Mapping | None = None, behaviour: Mapping | None = None) -> "Reform":
        spec: dict[str, Any] = {"changes": {k: dict(v) for k, v in changes.items()}}
        if name is not None:
            spec["name"] = name if isinstance(name, Mapping) else {"en": name, "zh": name}
        if behaviour is not None:
            spec["behaviour"] = dict(behaviour)
        return cls(spec)

    @classmethod
    def from_yaml(cls, path: str | os.PathLike) -> "Reform":
        """Reads a reform file (YAML or JSON)."""
        import json

        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            return cls(json.loads(text))
        except ValueError:
            pass
        try:
            import yaml  # PyYAML, if installed
        except ImportError as e:
            raise ImportError("reading YAML needs PyYAML (pip install pyyaml); JSON needs nothing") from e
        return cls(yaml.safe_load(text))

    def __repr__(self) -> str:
        return f"Reform({self.spec!r})"


class Lab:
    """The loaded world: the law, the proposals and costings, the fiscal data, the populations.
    已載入的法例、建議及其估算、財政數據與人口模型。

    ``Lab(params_dir=…)`` uses another parameter tree; ``cache_dir`` is where populations are
    kept (default: ``$HKBUDGET_CACHE``, else ``~/.cache/hkbudget``).
    """

    def __init__(self, params_dir: str | os.PathLike | None = None, cache_dir: str | os.PathLike | None = None):
        if cache_dir is None:
            cache_dir = os.environ.get("HKBUDGET_CACHE") or os.path.join(
                os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "hkbudget"
            )
        self.cache_dir = str(cache_dir)
        try:
            self._lab = _native.Lab(None if params_dir is None else str(params_dir), self.cache_dir)
        except _native.NativeError as e:
            _raise(e)

    def _call(self, op: str, request: Any, cls=Result):
        try:
            out = self._lab.call(op, request)
        except _native.NativeError as e:
            _raise(e)
        return cls(out)

    @property
    def law_fingerprint(self) -> str:
        return self._lab.law_fingerprint()

    @property
    def vintages(self) -> list[str]:
        return self._lab.vintages()

    # The calculators: the request is the CLI's situation file as a dict.
    def salaries(self, situation: Mapping, year: str | None = None, reform=None, vs_year: str | None = None) -> Result:
        """Salaries tax and personal assessment: every lawful option, the recommended one, the
        IRD-style trace, the tax bill; with ``reform`` or ``vs_year`` the before and the difference.
        薪俸稅及個人入息課稅：所有合法選項、建議選項、稅務局式計算及稅單。"""
        return self._call("salaries", _with(situation, year=year, reform=_spec(reform), vs_year=vs_year))

    def profits(self, business: Mapping, year: str | None = None, reform=None, vs_year: str | None = None) -> Result:
        return self._call("profits", _with(business, year=year, reform=_spec(reform), vs_year=vs_year))

    def property_tax(self, prop: Mapping, year: str | None = None, reform=None, vs_year: str | None = None) -> Result:
        return self._call("property_tax", _with(prop, year=year, reform=_spec(reform), vs_year=vs_year))

    def stamp_duty(self, deal: Mapping, reform=None, vs_date: str | None = None) -> Result:
        return self._call("stamp_duty", _with(deal, reform=_spec(reform), vs_date=vs_date))

    def stock_duty(self, deal: Mapping, reform=None, vs_date: str | None = None) -> Result:
        return self._call("stock_duty", _with(deal, reform=_spec(reform), vs_date=vs_date))

    def rates(self, tenement: Mapping, reform=None, vs_year: str | None = None) -> Result:
        return self._call("rates", _with(tenement, reform=_spec(reform), vs_year=vs_year))

    def check(self, reform) -> Reform:
        """Checks a reform against the law (raises :class:`Error` naming the path)."""
        return Reform(self._call("reform", _spec(reform)).to_dict())

    # The society-wide model.
    def population(self, year: str, persons: int = 1_000_000, businesses: int = 200_000, seed: int = 20240228,
                   deciles_by: str = "earner") -> RunResult:
        """The baseline of a year of assessment for the whole population (built once, then kept);
        ``deciles_by`` is ``"earner"`` or ``"household"``. 某課稅年度全港人口的基線。"""
        return self._society({"year": year, "population": _pop(persons, businesses, seed), "deciles_by": deciles_by})

    def reform_run(self, reform, year: str, behaviour: Mapping | None = None, persons: int = 1_000_000,
                   businesses: int = 200_000, seed: int = 20240228, deciles_by: str = "earner") -> RunResult:
        """A reform's society-wide effect: revenue by tax, behaviour, deciles (of earners, or of
        households with ``deciles_by="household"``), winners and losers.
        改革方案對全港的影響：各稅項收入、行為反應、十等分組（按受僱人士或住戶）、得益者與受損者。"""
        spec = dict(_spec(reform) or {})
        if behaviour is not None:
            spec["behaviour"] = dict(behaviour)
        return self._society({"year": year, "reform": spec, "population": _pop(persons, businesses, seed),
                              "deciles_by": deciles_by})

    def reform_runs(self, reforms: list, year: str, persons: int = 1_000_000, businesses: int = 200_000,
                    seed: int = 20240228) -> list[RunResult]:
        """Many reforms on one population, in parallel inside the engine."""
        reqs = [{"year": year, "reform": _spec(r), "population": _pop(persons, businesses, seed)} for r in reforms]
        try:
            out = self._lab.society_many(reqs)
        except _native.NativeError as e:
            _raise(e)
        return [RunResult(o, t) for o, t in out]

    def _society(self, request: dict) -> RunResult:
        try:
            out, tables = self._lab.society(request)
        except _native.NativeError as e:
            _raise(e)
        return RunResult(out, tables)

    # Proposals, packages, the projection.
    def proposal(self, proposal_id: str) -> Result:
        return self._call("proposal", proposal_id)

    def proposals(self, **filters) -> Result:
        return self._call("proposals", filters)

    def cost(self, proposal_id: str, vintage: str | None = None, **overrides: float) -> Result:
        """Costs one proposal at every setting; keyword arguments override its parameters.
        估算一項建議的成本；關鍵字參數可覆寫其參數。"""
        req: dict[str, Any] = {"id": proposal_id, "set": overrides}
        if vintage is not None:
            req["vintage"] = vintage
        return self._call("cost", req)

    def package(self, spec: Mapping, vintage: str | None = None, paths: int = 0, seed: int = 20240228) -> Result:
        """Runs a package: each item's contribution to the balance by year, totals, accounts.
        運算一套方案：每項措施對各年度收支平衡的貢獻、總計及賬目。"""
        req: dict[str, Any] = {"package": dict(spec)}
        if vintage is not None:
            req["vintage"] = vintage
        if paths:
            req["monte_carlo"] = {"paths": paths, "seed": seed}
        return self._call("package", req)

    def project(self, vintage: str | None = None, package: Mapping | None = None, paths: int = 0,
                seed: int = 20240228, months: float = 12.0, below: float | None = None) -> Result:
        """The fiscal projection of a vintage, with a package and Monte Carlo risk.
        中期財政預測，可連方案及蒙地卡羅風險分析。"""
        req: dict[str, Any] = {}
        if vintage is not None:
            req["vintage"] = vintage
        if package is not None:
            req["package"] = dict(package)
        if paths:
            mc: dict[str, Any] = {"paths": paths, "seed": seed, "months_threshold": months}
            if below is not None:
                mc["reserves_threshold_bn"] = below
            req["monte_carlo"] = mc
        return self._call("project", req)

    def param(self, path: str) -> Result:
        """One parameter of the law with its history, references and sources.
        法例參數連歷史、法律依據及資料來源。"""
        return self._call("param", path)

    def population_file(self, persons: int = 1_000_000, businesses: int = 200_000, seed: int = 20240228) -> str:
        """The population's file in the cache folder (built first if missing)."""
        try:
            return self._lab.population_file(persons, businesses, seed)
        except _native.NativeError as e:
            _raise(e)


def _pop(persons: int, businesses: int, seed: int) -> dict:
    return {"persons": persons, "businesses": businesses, "seed": seed}


def _with(base: Mapping, **extra) -> dict:
    out = dict(base)
    for k, v in extra.items():
        if v is not None:
            out[k] = v
    return out


from .sweep import sweep  # noqa: E402  (needs the classes above)
