"""A 2-D sweep: the basic allowance × the top band's rate for YA 2025/26, each point's revenue
change and the change in tax for the bottom half of earners (deciles 1-5), and the frontier
(the points no other point beats on both: more revenue for no more tax on the bottom half).
Runs in process, or as Ray tasks with --ray; the numbers are the same.

    python examples/python/sweep.py [--ray] [--persons 1000000] [--csv out.csv] [--chart out.png]
"""

import argparse

import hkbudget

ap = argparse.ArgumentParser()
ap.add_argument("--ray", action="store_true", help="run the points as Ray tasks (ray.init(num_cpus=2))")
ap.add_argument("--persons", type=int, default=1_000_000)
ap.add_argument("--csv", default=None, help="write the table here")
ap.add_argument("--chart", default=None, help="write a chart here (needs matplotlib)")
a = ap.parse_args()

YEAR = "2025/26"
grid = {
    # HK$132,000 is the law's basic allowance for 2025/26; 17% the top band's rate.
    "salaries_tax.allowances.basic": [120000, 126000, 132000, 138000, 145000],
    "salaries_tax.progressive.bands[4].rate": [0.16, 0.17, 0.18, 0.19],
}

if a.ray:
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)

table = hkbudget.sweep(
    grid, YEAR,
    metric={"revenue_change_bn": "total_change_bn", "bottom_half_change_bn": "bottom_half_change_bn"},
    executor="ray" if a.ray else "process",
    persons=a.persons, businesses=max(2000, a.persons // 5),
)
rev, low = table["revenue_change_bn"], table["bottom_half_change_bn"]
table["on_frontier"] = [
    not (((rev >= r) & (low <= l)) & ((rev > r) | (low < l))).any() for r, l in zip(rev, low)
]
print(table.to_string(index=False))
if a.csv:
    table.to_csv(a.csv, index=False)
if a.chart:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # Chinese labels need a CJK font (Debian: fonts-noto-cjk); matplotlib falls back glyph by glyph.
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK TC", "Noto Sans CJK JP"]

    fig, ax = plt.subplots(figsize=(7, 5))
    off = table[~table["on_frontier"]]
    on = table[table["on_frontier"]].sort_values("bottom_half_change_bn")
    ax.scatter(off["bottom_half_change_bn"], off["revenue_change_bn"], color="#999", label="other points 其他組合")
    ax.plot(on["bottom_half_change_bn"], on["revenue_change_bn"], "o-", color="#c0392b", label="frontier 前沿")
    ax.axhline(0, color="#333", lw=0.5)
    ax.axvline(0, color="#333", lw=0.5)
    ax.set_xlabel("Change in salaries tax of the bottom half of earners, HK$bn a year\n收入較低一半受僱人士的薪俸稅變化（十億港元／年）")
    ax.set_ylabel("Change in revenue, HK$bn a year\n稅收變化（十億港元／年）")
    ax.set_title(f"Basic allowance × top band rate, YA {YEAR}\n基本免稅額 × 最高稅階稅率，{YEAR} 課稅年度")
    ax.legend()
    fig.savefig(a.chart, bbox_inches="tight", dpi=120)
if a.ray:
    ray.shutdown()
