"""Timings of the Python binding (docs/PERFORMANCE.md): a household call, a society-wide reform
run on 1,000,000 earners (compare `hkbudget bench`'s society_reform_ms, the same reform and
population), and a 100-point sweep in process and on a local Ray (ray.init(num_cpus=2)).

    python crates/hkb-py/bench/bench.py [--persons 1000000] [--no-ray]
"""

import argparse
import statistics
import time

import hkbudget

ap = argparse.ArgumentParser()
ap.add_argument("--persons", type=int, default=1_000_000)
ap.add_argument("--no-ray", action="store_true")
a = ap.parse_args()

PWC = {"married": True, "children": 2,
       "taxpayer": {"employment_income": 700000, "mpf_mandatory": 18000, "charitable_donations": 3000}}


def best_per_call(f, n=5000, reps=5):
    f()
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(n):
            f()
        best = min(best, (time.perf_counter() - t) / n)
    return best * 1e6


lab = hkbudget.Lab()
print(f"household call (PwC 2024/25), best of 5 × 5,000:")
print(f"  lab.salaries(...)                     {best_per_call(lambda: lab.salaries(PWC, year='2024/25')):7.1f} µs")
print(f"  lab.salaries(...)['tax_payable']      {best_per_call(lambda: lab.salaries(PWC, year='2024/25')['tax_payable']):7.1f} µs")
print(f"  lab.salaries(...).to_dict()           {best_per_call(lambda: lab.salaries(PWC, year='2024/25').to_dict(), n=2000):7.1f} µs")

# The reference reform of `hkbudget bench` (reforms/bench-reference.yaml).
BENCH = {"changes": {"salaries_tax.allowances.basic": {"2024/25": 142000},
                     "salaries_tax.progressive.bands[4].rate": {"2024/25": 0.19}}}
pop = dict(persons=a.persons, businesses=1000)
lab.reform_run(BENCH, "2024/25", **pop)  # loads (or builds) the population
runs = []
for _ in range(15):
    t = time.perf_counter()
    r = lab.reform_run(BENCH, "2024/25", **pop)
    runs.append((time.perf_counter() - t) * 1000)
print(f"society-wide reform run, {a.persons:,} earners: median {statistics.median(runs):.2f} ms "
      f"(min {min(runs):.2f}) of 15")
t = time.perf_counter()
import pyarrow  # noqa: E402,F401  (its first import is slow; not part of a run)
t_import = time.perf_counter() - t
r.revenue
t = time.perf_counter()
r.revenue, r.deciles, r.winners_losers
print(f"  the three tables as DataFrames: +{(time.perf_counter() - t) * 1000:.2f} ms "
      f"(pyarrow's first import {t_import * 1000:.0f} ms, once a process)")

grid = {"salaries_tax.allowances.basic": [120000 + 2500 * i for i in range(10)],
        "salaries_tax.progressive.bands[4].rate": [0.15 + 0.005 * i for i in range(10)]}
big = dict(persons=a.persons, businesses=200_000)
hkbudget.sweep({"salaries_tax.allowances.basic": [132000]}, "2025/26", lab=lab, **big)  # load
t = time.perf_counter()
here = hkbudget.sweep(grid, "2025/26", lab=lab, **big)
t_here = time.perf_counter() - t
print(f"100-point sweep in process (rayon, 2 cores): {t_here:.2f} s ({t_here * 10:.0f} ms a point)")
if not a.no_ray:
    import ray

    t = time.perf_counter()
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    t_init = time.perf_counter() - t
    for chunks in (2, 100):
        t = time.perf_counter()
        there = hkbudget.sweep(grid, "2025/26", executor="ray", lab=lab, chunks=chunks, **big)
        t_ray = time.perf_counter() - t
        print(f"100-point sweep on local Ray (num_cpus=2, {chunks} tasks): {t_ray:.2f} s "
              f"(ray.init {t_init:.1f} s not included); same numbers as in process: {here.equals(there)}")
    ray.shutdown()
