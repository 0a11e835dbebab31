"""Sweeps: a grid of reforms run through the society-wide model, in process or on Ray.

``sweep({"salaries_tax.allowances.basic": [132000, 145000],
         "salaries_tax.progressive.bands[4].rate": [0.17, 0.18]}, year="2025/26")``
runs every combination and returns one row per point: the grid's values and the metric (by
default the revenue change in HK$bn, without and with behaviour). In process the engine runs the
points in parallel (rayon); with ``executor="ray"`` the points are Ray tasks, and the population
file goes into the object store once for all of them.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from typing import Any, Callable, Mapping, Sequence

def _bottom_half_change_bn(r) -> float:
    """The change in salaries tax paid by earners in deciles 1-5, HK$bn (positive = they pay
    more): the sum of the engine's per-decile totals (persons × average change)."""
    d = r.deciles
    low = d[d["decile"].between(1, 5)]
    return float((low["avg_change"] * low["persons"]).sum() / 1e9)


# HK$ → HK$bn and the sum of five decile rows: presentation of the engine's figures.
_METRICS: dict[str, Callable[[Any], float]] = {
    "total_change_bn": lambda r: r.total_change / 1e9,
    "total_change_with_behaviour_bn": lambda r: r.total_change_with_behaviour / 1e9,
    "bottom_half_change_bn": _bottom_half_change_bn,
}


def _points(grid) -> tuple[list[str], list[tuple]]:
    if isinstance(grid, Mapping):
        names = list(grid)
        return names, list(itertools.product(*(list(grid[n]) for n in names)))
    # A list of points, each a mapping path → value.
    rows = [dict(p) for p in grid]
    names = sorted({k for p in rows for k in p})
    return names, [tuple(p.get(n) for n in names) for p in rows]


def _reform(names: Sequence[str], values: Sequence, year: str) -> dict:
    return {"changes": {n: {year: v} for n, v in zip(names, values) if v is not None}}


def _measure(result, metric) -> dict[str, float]:
    if callable(metric):
        return {"metric": float(metric(result))}
    named = {metric: metric} if isinstance(metric, str) else (
        dict(metric) if isinstance(metric, Mapping) else {m: m for m in metric})
    out = {}
    for name, m in named.items():
        if callable(m):
            out[name] = float(m(result))
        elif m in _METRICS:
            out[name] = _METRICS[m](result)
        else:
            raise ValueError(f"unknown metric {m!r}: give one of {sorted(_METRICS)} or a function of a RunResult")
    return out


def sweep(grid, year: str, metric="total_change_bn", executor: str = "process", lab=None,
          persons: int = 1_000_000, businesses: int = 200_000, seed: int = 20240228,
          chunks: int | None = None):
    """Runs every point of ``grid`` (a mapping path → values, or a list of {path: value}) as a
    reform of ``year`` and returns a pandas DataFrame: one row per point, a column per path and
    per metric. ``metric``: a name (``total_change_bn``, ``total_change_with_behaviour_bn``,
    ``bottom_half_change_bn``), a list of names, a function of a :class:`hkbudget.RunResult`
    (column ``metric``), or a mapping column → name or function.

    Each point is a reform setting its parameter paths for ``year`` only (``{path: {year: value}}``).
    參數掃描：逐一運算參數組合的改革方案，可於本機或 Ray 叢集執行。"""
    import pandas as pd

    from . import Lab

    if executor not in ("process", "ray"):
        raise ValueError(f"executor {executor!r}: give 'process' or 'ray'")
    names, points = _points(grid)
    reforms = [_reform(names, p, year) for p in points]
    if executor == "process":
        lab = lab or Lab()
        results = lab.reform_runs(reforms, year, persons, businesses, seed)
        measured = [_measure(r, metric) for r in results]
    elif executor == "ray":
        measured = _on_ray(reforms, year, metric, lab, persons, businesses, seed, chunks)
    else:
        raise ValueError(f"executor {executor!r}: give 'process' or 'ray'")
    cols: dict[str, list] = {n: [p[i] for p in points] for i, n in enumerate(names)}
    for k in measured[0] if measured else []:
        cols[k] = [m[k] for m in measured]
    return pd.DataFrame(cols)


# One Lab per Ray worker process, loaded from the population bytes once.
_WORKER: dict[str, Any] = {}


def _worker_lab(name: str, population: bytes):
    from . import Lab

    lab = _WORKER.get(name)
    if lab is None:
        d = tempfile.mkdtemp(prefix="hkbudget-ray-")
        with open(os.path.join(d, name), "wb") as f:
            f.write(population)
        lab = Lab(cache_dir=d)
        _WORKER[name] = lab
    return lab


def _on_ray(reforms, year, metric, lab, persons, businesses, seed, chunks):
    import ray

    from . import Lab, _native

    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False)
    lab = lab or Lab()
    path = lab.population_file(persons, businesses, seed)
    name = _native.Lab.population_file_name(persons, businesses, seed)
    with open(path, "rb") as f:
        population = ray.put(f.read())  # once, for every task

    @ray.remote
    def run(population_bytes, batch):
        w = _worker_lab(name, population_bytes)
        return [_measure(r, metric) for r in w.reform_runs(batch, year, persons, businesses, seed)]

    n = chunks or max(1, int(ray.available_resources().get("CPU", 1)))
    size = max(1, -(-len(reforms) // n))
    batches = [reforms[i:i + size] for i in range(0, len(reforms), size)]
    out = ray.get([run.remote(population, b) for b in batches])
    return [m for part in out for m in part]
