"""The Python binding against the engine's own answers: the CLI's JSON for the same request
(the same engine, so every field must be equal), published figures (PwC's 2024/25 household:
8,200), bad input raising the right error with its field, and a sweep giving the same numbers
in process and on a local Ray."""

import json
import os
import subprocess
import sys

import pytest

import hkbudget

BIN = os.environ.get("HKBUDGET_BIN")
SMALL = dict(persons=20000, businesses=2000, seed=7)
PWC = {"married": True, "children": 2,
       "taxpayer": {"employment_income": 700000, "mpf_mandatory": 18000, "charitable_donations": 3000}}


@pytest.fixture(scope="session")
def cache(tmp_path_factory):
    return str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def lab(cache):
    return hkbudget.Lab(cache_dir=cache)


# In CI every test must run: nothing may be skipped quietly.
STRICT = os.environ.get("HKBUDGET_REQUIRE_ALL") == "1"


def skip(why):
    if STRICT:
        pytest.fail(f"would skip, but HKBUDGET_REQUIRE_ALL=1: {why}")
    pytest.skip(why)


def cli(args, cache):
    if not BIN:
        skip("HKBUDGET_BIN is not set: no command line to compare with")
    out = subprocess.run([BIN, *args], capture_output=True, text=True, env={**os.environ, "HKBUDGET_CACHE": cache}, check=True)
    return json.loads(out.stdout)


def test_the_readme_household_pays_what_pwc_publishes_and_what_the_cli_prints(lab, cache, tmp_path):
    r = lab.salaries(PWC, year="2024/25")
    assert r["tax_payable"] == 8200
    assert r["tax_before_reduction"] == 9700
    assert r["bill"]["provisional_tax"] == 9700
    f = tmp_path / "pwc.json"
    f.write_text(json.dumps({"year": "2024/25", **PWC}))
    assert cli(["calc", "salaries", "--input", str(f), "--format", "json"], cache) == r.to_dict()


def test_a_reform_run_gives_dataframes_whose_totals_are_the_cli_s(lab, cache, tmp_path):
    reform = hkbudget.Reform.from_dict({"salaries_tax.allowances.basic": {"2025/26": 145000}})
    r = lab.reform_run(reform, year="2025/26", **SMALL)
    assert r.total_change < 0  # a higher allowance costs revenue
    f = tmp_path / "reform.json"
    f.write_text(json.dumps(reform.spec))
    c = cli(["reform", str(f), "--year", "2025/26", "--format", "json", "--persons", "20000",
             "--businesses", "2000", "--seed", "7"], cache)
    # The same engine on the same population: equal to the last digit, not approximately.
    assert r.total_change == c["total_change"]
    rev = r.revenue.set_index("tax")
    assert sorted(rev.index) == sorted(c["taxes"])
    for tax, row in c["taxes"].items():
        for col in ("baseline", "reform", "change", "change_with_behaviour", "affected"):
            assert rev.loc[tax, col] == row[col], (tax, col)
    # Invariant: the revenue heads add up to the total the CLI prints.
    assert rev["change"].sum() == pytest.approx(c["total_change"], rel=1e-12, abs=1e-3)
    d = r.deciles
    assert len(d) == len(c["deciles"]) + 1  # the ten deciles and the top 1%
    assert list(d["persons"][:10]) == [x["persons"] for x in c["deciles"]]
    assert list(d["avg_change"][:10]) == [x["avg_change"] for x in c["deciles"]]
    assert d["decile"].isna().iloc[-1] and d["persons"].iloc[-1] == c["top1"]["persons"]
    wl = r.winners_losers
    assert list(wl["winners_share"][:10]) == [x["winners_share"] for x in c["deciles"]]
    # A higher allowance: nobody pays more.
    assert (wl["losers_share"] == 0).all()


def test_deciles_by_household_are_the_cli_s_and_add_up_to_the_earner_totals(lab, cache, tmp_path):
    reform = hkbudget.Reform.from_dict({"salaries_tax.allowances.basic": {"2025/26": 145000}})
    h = lab.reform_run(reform, year="2025/26", deciles_by="household", **SMALL)
    e = lab.reform_run(reform, year="2025/26", **SMALL)
    assert h["deciles_by"] == "household" and e["deciles_by"] == "earner"
    f = tmp_path / "reform.json"
    f.write_text(json.dumps(reform.spec))
    c = cli(["reform", str(f), "--year", "2025/26", "--by", "household", "--format", "json",
             "--persons", "20000", "--businesses", "2000", "--seed", "7"], cache)
    assert list(h.deciles["avg_change"][:10]) == [x["avg_change"] for x in c["deciles"]]
    # Invariant: the same earners, grouped differently, pay the same tax in all.
    for col in ("baseline_tax", "reform_tax"):
        assert h.deciles[col][:10].sum() == pytest.approx(e.deciles[col][:10].sum(), rel=1e-9)
    assert h.deciles["persons"][:10].sum() < e.deciles["persons"][:10].sum()  # couples share a household
    with pytest.raises(hkbudget.Error) as err:
        lab.reform_run(reform, year="2025/26", deciles_by="family", **SMALL)
    assert err.value.field == "/deciles_by"


def test_a_package_is_the_cli_s(lab, cache, tmp_path):
    pkg = {"proposals": [{"id": "2.1(4)", "set": {"take_up": 0.5}}, {"id": "3.2(1)"}]}
    r = lab.package(pkg)
    f = tmp_path / "pkg.json"
    f.write_text(json.dumps(pkg))
    c = cli(["package", "run", str(f), "--format", "json"], cache)
    assert c["totals"] == r["totals"]
    assert [x["effect_bn"] for x in c["contributions"]] == [x["effect_bn"] for x in r["contributions"]]


def test_bad_input_raises_the_error_that_names_the_field(lab):
    with pytest.raises(hkbudget.InvalidError) as e:
        lab.salaries({"taxpayer": {"employment_income": -1}}, year="2024/25")
    assert e.value.field == "/taxpayer/employment_income"
    assert "負數" in e.value.message_zh
    with pytest.raises(hkbudget.MalformedError) as e:
        lab.salaries({"taxpayer": {"income": 1}}, year="2024/25")
    assert e.value.field == "/taxpayer/income"
    with pytest.raises(hkbudget.InvalidError) as e:
        lab.salaries({"taxpayer": {"employment_income": 1}}, year="2040/41")
    assert "2026/27" in str(e.value)  # the years that are allowed
    assert e.value.field == "/year"
    with pytest.raises(hkbudget.NotFoundError):
        lab.check(hkbudget.Reform.from_dict({"salaries_tax.nope": {"2025/26": 1}}))
    with pytest.raises(hkbudget.InvalidError) as e:
        lab.cost("2.1(4)", take_up=2)
    assert e.value.field.endswith("take_up")


def test_the_projection_publishes_the_2026_27_budget(lab):
    p = lab.project(paths=500, below=600)
    # The 2026-27 Budget (budget54.html): revenue 765.2bn.
    assert p["baseline"]["revenue"]["values"][0] == 765.2
    assert p["monte_carlo"]["probabilities"]["reserves_below_bn"] is not None


def test_a_sweep_gives_the_same_numbers_in_process_and_on_ray(lab):
    grid = {"salaries_tax.allowances.basic": [132000, 145000],
            "salaries_tax.progressive.bands[4].rate": [0.17, 0.18]}
    here = hkbudget.sweep(grid, year="2025/26", lab=lab, **SMALL)
    assert len(here) == 4
    # Raising the allowance costs revenue; raising the top band's rate raises it.
    base = here[(here.iloc[:, 0] == 132000) & (here.iloc[:, 1] == 0.17)]["total_change_bn"].iloc[0]
    assert base == pytest.approx(0.0, abs=1e-12)
    try:
        import ray
    except ImportError:
        skip("ray is not installed")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        there = hkbudget.sweep(grid, year="2025/26", executor="ray", lab=lab, **SMALL)
    finally:
        ray.shutdown()
    assert here.equals(there)


def test_the_example_sweep_prints_the_same_table_in_process_and_on_ray(cache, tmp_path):
    try:
        import ray  # noqa: F401
    except ImportError:
        skip("ray is not installed")
    script = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "python", "sweep.py")
    env = {**os.environ, "HKBUDGET_CACHE": cache}
    tables = []
    for extra in ([], ["--ray"]):
        out = tmp_path / f"sweep{len(extra)}.csv"
        subprocess.run([sys.executable, script, "--persons", "20000", "--csv", str(out), *extra],
                       check=True, env=env, capture_output=True)
        tables.append(out.read_text())
    assert tables[0] == tables[1]
    lines = tables[0].splitlines()
    assert len(lines) == 1 + 5 * 4
    assert "True" in tables[0]  # a frontier exists
