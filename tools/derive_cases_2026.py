#!/usr/bin/env python3
"""Derive, by hand, the expected values of the 2026-27 Budget worked examples.

This script does NOT use the project's code or its params/ tree: every rate, band, allowance and
threshold is written below with the source it was taken from (shared/data/tax/parameters.yaml and
shared/data/budget2026/facts.csv), and the arithmetic follows the published rules and the rounding
recorded in docs/RULES.md (income tax truncated to the dollar, progressive and standard-rate tax
each truncated before they are compared; the reduction leaves floor(tax x (1 - rate)); profits tax
truncated; property stamp duty rounded up to the dollar; rates kept to the cent).

It writes two case files in the shape of tests/cases/*.yaml:

  tests/cases/budget2026.yaml           runs once the loader accepts `reviewed:` (YA 2025/26 income
                                        tax, stamp duty to 31 Mar 2027, rates 2026-27)
  tests/cases/budget2026_ya2026_27.yaml also needs YA 2026/27 supported and the new child field
                                        `born_on` (the additional child allowance's second year)

Usage: tools/derive_cases_2026.py [--check]   (--check: fail if the files on disk differ)
If shared/data/budget2026/facts.csv is present, the 2026 figures used here are checked against it.
"""

import argparse
import csv
import datetime as dt
import math
import pathlib
import sys
from fractions import Fraction as F

REPO = pathlib.Path(__file__).resolve().parent.parent
FACTS = pathlib.Path("/work/shared/data/budget2026/facts.csv")

# ---------------------------------------------------------------------------------------------
# Sources (URLs exactly as in shared/data)
# ---------------------------------------------------------------------------------------------
S_FAQ26 = "https://www.ird.gov.hk/eng/faq/budget2026_27.htm"  # allowances from YA 2026/27
S_PA25 = "https://www.ird.gov.hk/eng/tax/policyaddress2025.htm"  # newborn: 2 years
S_B55 = "https://www.budget.gov.hk/2026/eng/budget55.html"  # YA 2025/26 reductions, rates concession quarters
S_PF = "https://www.budget.gov.hk/2026/eng/pf.html"  # AVD 6.5% over HK$100m from 26 Feb 2026
S_HK01 = ("https://www.hk01.com/%E5%9C%B0%E7%94%A2%E6%A8%93%E5%B8%82/60324851/%E8%B2%A1%E6%94%BF%E9%A0%90"
          "%E7%AE%97%E6%A1%882026-%E8%B1%AA%E5%AE%85%E5%8A%A0%E7%A8%85-%E6%A8%93%E5%83%B9%E9%80%BE1%E5%84"
          "%84%E8%B1%AA%E5%AE%85%E7%A8%85%E7%8E%87%E6%9C%80%E9%AB%986-5-%E5%A4%A7%E5%8D%87%E4%BA%94%E6%88%90")
S_ST = ("https://www.stheadline.com/politics/3549650/%E8%B2%A1%E6%94%BF%E9%A0%90%E7%AE%97%E6%A1%882026%E5"
        "%B9%B4%E5%B7%AE%E9%A4%89%E8%B1%81%E5%85%8D%E4%BB%A4%E5%91%A8%E4%BA%94%E5%88%8A%E6%86%B2-%E5%AF%AC"
        "%E5%85%8D%E9%A6%96%E5%85%A9%E5%AD%A3%E5%B7%AE%E9%A4%89-%E4%B8%8A%E9%99%90500%E5%85%83")
S_SAL = "https://www.gov.hk/en/residents/taxes/taxfiling/taxrates/salariesrates.htm"  # bands, two-tier standard rate
S_DOCS = "https://docslib.org/doc/2629145/allowances-deductions-and-tax-rate-table-1"  # 2025/26 basic/married/MPF
S_CHILD23 = "https://www.info.gov.hk/gia/general/202304/19/P2023041900641p.htm"  # child allowance 130,000
S_PAR18 = "http://news.gov.hk/eng/2018/05/20180516/20180516_171158_406.html"  # parents 50,000 / 25,000
S_PWC_DED = "https://taxsummaries.pwc.com/hong-kong-sar/individual/deductions"  # donations 100 / 35%
S_2TR = "https://ird.gov.hk/eng/faq/2tr.htm"  # two-tier profits tax
S_SCALE2_25 = "https://www.info.gov.hk/gia/general/202502/26/P2025022600633.htm"  # Scale 2 from 26 Feb 2025
S_RVD = "http://rvd.gov.hk/en/progressive_rating_system.html"  # progressive domestic rates
S_RV5 = ("https://www.webnewswire.com/2023/03/17/hong-kong-2023-24-valuation-list-and-government-rent-roll-"
         "available-for-inspection-from-march-20/")  # 5% non-domestic

# ---------------------------------------------------------------------------------------------
# The law by year of assessment, written out by hand
# ---------------------------------------------------------------------------------------------
BANDS = [(50000, F(2, 100)), (50000, F(6, 100)), (50000, F(10, 100)), (50000, F(14, 100)), (None, F(17, 100))]
STANDARD = [(5000000, F(15, 100)), (None, F(16, 100))]  # from 2024/25, on net income
LAW = {
    "2025/26": dict(basic=132000, married=264000, single_parent=132000, child=130000, child_add=130000,
                    child_add_years=1, parent60=50000, parent55=25000, elderly_care=100000, mpf=18000,
                    donations_min=100, donations_cap=F(35, 100),
                    red_rate=F(1), red_cap=3000,  # proposed (2026-27 Budget)
                    pt_red_rate=F(1), pt_red_cap=3000),
    "2026/27": dict(basic=145000, married=290000, single_parent=145000, child=140000, child_add=140000,
                    child_add_years=2, parent60=55000, parent55=27500, elderly_care=110000, mpf=18000,
                    donations_min=100, donations_cap=F(35, 100),
                    red_rate=None, red_cap=None,  # no reduction announced for 2026/27
                    pt_red_rate=None, pt_red_cap=None),
}


def ya_of(date):
    """Year of assessment (start year) containing a date: 1 April to 31 March."""
    return date.year if (date.month, date.day) >= (4, 1) else date.year - 1


def pct(r):
    """A Fraction rate as a percentage: 33/400 -> '8.25%'."""
    s = f"{float(r * 100):.4f}".rstrip("0").rstrip(".")
    assert F(s) == r * 100, r
    return s + "%"


def money(x):
    return f"{x:,.2f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x):,}"


def progressive(nci):
    tax, left, steps = F(0), F(nci), []
    for width, rate in BANDS:
        part = left if width is None else min(left, width)
        if part <= 0:
            break
        tax += part * rate
        steps.append(f"{money(part)} x {pct(rate)}")
        left -= part
    return math.floor(tax), " + ".join(steps) or "0"


def standard(ni):
    tax, lower, steps = F(0), 0, []
    for upto, rate in STANDARD:
        top = ni if upto is None else min(ni, upto)
        if top > lower:
            tax += (top - lower) * rate
            steps.append(f"{money(top - lower)} x {pct(rate)}")
        if upto is None or ni <= upto:
            break
        lower = upto
    return math.floor(tax), " + ".join(steps)


def salaries(year, income, mpf=0, donations=0, married=False, single_parent=False, children=(),
             parents=(), elderly_care=0):
    """One taxpayer (spouse, if married, has no income): returns expectations and a derivation.

    children: list of dicts {born_in_year: bool} or {born_on: date}; parents: list of (age, residing).
    """
    L = LAW[year]
    y = int(year[:4])
    d = []
    mpf_d = min(mpf, L["mpf"])
    care = min(elderly_care, L["elderly_care"])
    before_don = income - mpf_d - care
    don = 0
    if donations >= L["donations_min"]:
        don = min(F(donations), F(before_don) * L["donations_cap"])
        assert don == int(don)
        don = int(don)
    ni = before_don - don
    parts = [f"income {money(income)}"]
    if mpf_d:
        parts.append(f"MPF {money(mpf_d)} (cap {money(L['mpf'])})")
    if care:
        parts.append(f"elderly residential care {money(care)} (cap {money(L['elderly_care'])})")
    if don:
        parts.append(f"donations {money(don)} (>= {L['donations_min']}, within 35% of {money(before_don)})")
    d.append("net income = " + " - ".join(parts) + f" = {money(ni)}")

    allow, a = 0, []
    if married:
        allow += L["married"]
        a.append(f"married person's {money(L['married'])} (spouse has no income)")
    else:
        allow += L["basic"]
        a.append(f"basic {money(L['basic'])}")
    if single_parent:
        allow += L["single_parent"]
        a.append(f"single parent {money(L['single_parent'])}")
    for i, c in enumerate(children):
        allow += L["child"]
        a.append(f"child {money(L['child'])}")
        if c.get("born_in_year"):
            k = 0
        elif "born_on" in c:
            k = y - ya_of(c["born_on"])
            assert k >= 0
        else:
            k = None
        if k is not None:
            ok = k < L["child_add_years"]
            nth = {1: "2nd", 2: "3rd"}.get(k, f"{k + 1}th")
            which = "year of birth" if k == 0 else (
                f"{nth} year of assessment counting the year of birth; born {c['born_on']}, "
                f"YA {ya_of(c['born_on'])}/{(ya_of(c['born_on']) + 1) % 100:02d}")
            if ok:
                allow += L["child_add"]
                a.append(f"additional child allowance {money(L['child_add'])} ({which}; {L['child_add_years']} year(s) of assessment claimable in {year})")
            else:
                a.append(f"no additional child allowance ({which}: only {L['child_add_years']} year(s) claimable in {year})")
    for age, residing in parents:
        base = L["parent60"] if age >= 60 else L["parent55"]
        allow += base * (2 if residing else 1)
        a.append(f"dependent parent aged {age} {money(base)}" + (f" + {money(base)} residing" if residing else ""))
    nci = max(0, ni - allow)
    d.append("allowances = " + " + ".join(a) + f" = {money(allow)}")
    d.append(f"net chargeable income = {money(ni)} - {money(allow)} = {money(nci)}")
    prog, prog_s = progressive(nci)
    std, std_s = standard(ni)
    d.append(f"progressive = {prog_s} = {money(prog)}; standard rate on net income = {std_s} = {money(std)}")
    tax = min(prog, std)
    d.append(f"tax = lower = {money(tax)}")
    if L["red_rate"] is None:
        red = 0
        d.append(f"no one-off reduction for {year}")
    else:
        left = math.floor(tax * (1 - L["red_rate"]))
        red = min(tax - left, L["red_cap"])
        d.append(f"one-off reduction {pct(L['red_rate'])} capped at {money(L['red_cap'])} (proposed) = {money(red)}")
    pay = tax - red
    d.append(f"tax payable = {money(pay)}")
    expect = dict(tax_payable=pay, tax_before_reduction=tax, reduction=red, net_income=ni,
                  net_chargeable_income=nci, progressive_tax=prog, standard_rate_tax=std)
    return expect, "; ".join(d)


def profits(year, profit, entity):
    L = LAW[year]
    lower, full = (F(825, 10000), F(165, 1000)) if entity == "corporation" else (F(75, 1000), F(15, 100))
    first = min(profit, 2000000)
    tax_exact = first * lower + max(0, profit - 2000000) * full
    tax = math.floor(tax_exact)
    d = [f"two-tier: {money(first)} x {pct(lower)}" + (f" + {money(profit - 2000000)} x {pct(full)}" if profit > 2000000 else "") + f" = {money(tax)}"]
    if L["pt_red_rate"] is None:
        red = 0
        d.append(f"no one-off reduction for {year}")
    else:
        left = math.floor(tax * (1 - L["pt_red_rate"]))
        red = min(tax - left, L["pt_red_cap"])
        d.append(f"one-off reduction {pct(L['pt_red_rate'])} capped at {money(L['pt_red_cap'])} per business (proposed) = {money(red)}")
    d.append(f"tax payable = {money(tax - red)}")
    return dict(tax_before_reduction=tax, reduction=red, tax_payable=tax - red), "; ".join(d)


# Stamp duty tables: (upto, kind, a, b) with kind fixed(a) | flat(rate a) | marginal(base a, rate b)
SCALE2_2025 = [  # from 26 Feb 2025 (info.gov.hk 2025-02-26 + transcriptions in shared/data/tax/parameters.yaml)
    (4000000, "fixed", 100, None), (4323780, "marginal", 100, F(20, 100)), (4500000, "flat", F(15, 1000), None),
    (4935480, "marginal", 67500, F(10, 100)), (6000000, "flat", F(225, 10000), None),
    (6642860, "marginal", 135000, F(10, 100)), (9000000, "flat", F(3, 100), None),
    (10080000, "marginal", 270000, F(10, 100)), (20000000, "flat", F(375, 10000), None),
    (21739120, "marginal", 750000, F(10, 100)), (None, "flat", F(425, 10000), None)]
RESIDENTIAL_2026 = SCALE2_2025[:-1] + [  # from 26 Feb 2026 (pf.html; HK01 for the band)
    (100000000, "flat", F(425, 10000), None), (109574470, "marginal", 4250000, F(30, 100)),
    (None, "flat", F(65, 1000), None)]


def avd(c, table):
    lower = 0
    for upto, kind, a, b in table:
        if upto is None or c <= upto:
            if kind == "fixed":
                exact, how = F(a), f"fixed {money(a)}"
            elif kind == "flat":
                exact, how = c * a, f"{pct(a)} x {money(c)}"
            else:
                exact, how = a + (c - lower) * b, f"{money(a)} + {pct(b)} x ({money(c)} - {money(lower)})"
            band = f"band ({money(lower)}, {'no limit' if upto is None else money(upto)}]"
            duty = math.ceil(exact)
            return duty, f"{band}: {how} = {money(float(exact))} -> rounded up {money(duty)}"
        lower = upto
    raise AssertionError


def rates(rv, domestic, concession_q):
    if domestic:
        tiers = [(550000, F(5, 100)), (800000, F(8, 100)), (None, F(12, 100))]
    else:
        tiers = [(None, F(5, 100))]
    annual, lower, steps = F(0), 0, []
    for upto, r in tiers:
        top = rv if upto is None else min(rv, upto)
        if top > lower:
            annual += (top - lower) * r
            steps.append(f"{money(top - lower)} x {pct(r)}")
        if upto is None or rv <= upto:
            break
        lower = upto
    quarter = annual / 4
    conc = sum(min(F(q), quarter) for q in concession_q)
    d = (f"annual rates = {' + '.join(steps)} = {money(float(annual))}; a quarter = {money(float(quarter))}; "
         f"concession = " + " + ".join(f"min({q}, {money(float(quarter))})" for q in concession_q)
         + f" = {money(float(conc))} (Q1-Q2 of 2026-27); payable = {money(float(annual - conc))}")
    for v in (annual, conc):
        assert v == int(v)
    return dict(rates_before_concession=int(annual), concession=int(conc), rates_payable=int(annual - conc)), d


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------
def household(year, married=False, single_parent=False, children=None, parents=None, **tp):
    inp = {"year": year}
    if married:
        inp["married"] = True
    if single_parent:
        inp["single_parent"] = True
    if children is not None:
        inp["children"] = children
    if parents:
        inp["dependent_parents"] = [dict(age=a, resides_with=r) for a, r in parents]
    inp["taxpayer"] = tp
    if married:
        inp["spouse"] = {"employment_income": 0}
    return inp


def child_list(children):
    out = []
    for c in children:
        out.append({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in c.items()})
    return out


A, B = [], []  # runnable once `reviewed:` loads / needs YA 2026/27 and `born_on`
SAL25 = f"{S_B55} ; {S_SAL} ; {S_DOCS} ; {S_CHILD23}"
SAL26 = f"{S_FAQ26} ; {S_SAL}"


def sal_case(target, name, year, src, extra_note="", married=False, single_parent=False, children=(), parents=(),
             income=0, mpf=0, donations=0, elderly_care=0, keys=None):
    exp, der = salaries(year, income, mpf, donations, married, single_parent, list(children), list(parents),
                        elderly_care)
    tp = {"employment_income": income}
    if mpf:
        tp["mpf_mandatory"] = mpf
    if donations:
        tp["charitable_donations"] = donations
    if elderly_care:
        tp["elderly_residential_care"] = elderly_care
    ch = child_list(children) if any(c for c in children) else (len(children) if children else None)
    inp = household(year, married, single_parent, ch, list(parents), **tp)
    keys = keys or list(exp)
    target.append(dict(name=name, calc="salaries", status="derived", source=src,
                       note=f"DERIVED by tools/derive_cases_2026.py from the published rules{extra_note}: {der}",
                       input=inp, expect={k: exp[k] for k in keys}))


readme = dict(married=True, children=[{}, {}], income=700000, mpf=18000, donations=3000)
sal_case(A, "README household 2025/26: 700,000, MPF 18,000, donations 3,000, married, spouse no income, 2 children, with the proposed 2025/26 reduction",
         "2025/26", SAL25, " (2025/26 allowances; reduction 100% capped at 3,000, proposed in the 2026-27 Budget)", **readme)
sal_case(B, "README household 2026/27: the same household under the 2026/27 allowances (married 290,000, child 140,000), no reduction announced",
         "2026/27", SAL26, " (2026/27 allowances, proposed)", **readme)
sal_case(A, "Single person 2025/26: 400,000, MPF 18,000, with the proposed 2025/26 reduction",
         "2025/26", SAL25, "", income=400000, mpf=18000)
sal_case(B, "Single person 2026/27: 400,000, MPF 18,000 (basic allowance 145,000)",
         "2026/27", SAL26, " (2026/27 basic allowance, proposed)", income=400000, mpf=18000)
sal_case(A, "Newborn 2025/26: child born in the year (year-of-birth additional allowance 130,000), married, spouse no income, 700,000, MPF 18,000",
         "2025/26", SAL25, "", married=True, children=[{"born_in_year": True}], income=700000, mpf=18000)
sal_case(B, "Newborn 2026/27: child born in the year, child allowance 140,000 + additional 140,000, married, spouse no income, 700,000, MPF 18,000",
         "2026/27", f"{S_FAQ26} ; {S_PA25} ; {S_SAL}", " (2026/27 allowances, proposed)", married=True,
         children=[{"born_in_year": True}], income=700000, mpf=18000)
sal_case(B, "Newborn allowance, second year (new from 2026/27): child born 1 Jun 2025 claimed in 2026/27 gets the additional 140,000 again",
         "2026/27", f"{S_PA25} ; {S_FAQ26} ; {S_SAL}", " (2025 Policy Address: additional child allowance claimable in the first two years for children born on or after 1 Apr 2025; proposed)",
         married=True, children=[{"born_on": dt.date(2025, 6, 1)}], income=700000, mpf=18000)
sal_case(B, "Newborn allowance not extended to a child born before 1 Apr 2025: born 15 Mar 2025, claimed in 2026/27 (third year of assessment)",
         "2026/27", f"{S_PA25} ; {S_FAQ26} ; {S_SAL}", " (the two-year claim covers children born on or after 1 Apr 2025)",
         married=True, children=[{"born_on": dt.date(2025, 3, 15)}], income=700000, mpf=18000)
sal_case(B, "No second-year newborn allowance in 2025/26: child born 1 Oct 2024 claimed in 2025/26 (one year only before 2026/27)",
         "2025/26", f"{S_PA25} ; {S_B55} ; {S_SAL}", " (additional child allowance for the year of birth only before 2026/27)",
         married=True, children=[{"born_on": dt.date(2024, 10, 1)}], income=700000, mpf=18000)
sal_case(A, "High earner 2025/26 under the two-tier standard rate: single, 8,000,000, MPF 18,000, with the proposed reduction",
         "2025/26", SAL25, " (standard rate 15% on the first 5,000,000 of net income, 16% on the rest)", income=8000000, mpf=18000)
sal_case(B, "High earner 2026/27 under the two-tier standard rate: single, 8,000,000, MPF 18,000",
         "2026/27", SAL26, " (standard rate 15% on the first 5,000,000 of net income, 16% on the rest; no change announced)", income=8000000, mpf=18000)
sal_case(B, "Dependent parent and elderly residential care 2026/27: single, 600,000, MPF 18,000, parent aged 57 residing, another parent in care (120,000 paid)",
         "2026/27", SAL26, " (2026/27 dependent parent 55-59 allowance 27,500 + 27,500 residing; care ceiling 110,000; proposed)",
         parents=[(57, True)], income=600000, mpf=18000, elderly_care=120000)
sal_case(B, "Dependent parent aged 72 residing 2026/27: single, 500,000, MPF 18,000",
         "2026/27", SAL26, " (2026/27 dependent parent 60+ allowance 55,000 + 55,000 residing; proposed)",
         parents=[(72, True)], income=500000, mpf=18000)
sal_case(B, "Single parent 2026/27: one child, 500,000, MPF 18,000",
         "2026/27", SAL26, " (2026/27 basic, single parent and child allowances; proposed)",
         single_parent=True, children=[{}], income=500000, mpf=18000)


def pt_case(target, name, year, profit, entity, src):
    exp, der = profits(year, profit, entity)
    target.append(dict(name=name, calc="profits", status="derived", source=src,
                       note=f"DERIVED by tools/derive_cases_2026.py from the published rules: {der}",
                       input={"year": year, "assessable_profits": profit, "entity": entity}, expect=exp))


pt_case(A, "Profits tax 2025/26: corporation, 1,000,000, with the proposed reduction (100%, cap 3,000)", "2025/26", 1000000, "corporation", f"{S_B55} ; {S_2TR}")
pt_case(A, "Profits tax 2025/26: corporation, 5,000,000, with the proposed reduction", "2025/26", 5000000, "corporation", f"{S_B55} ; {S_2TR}")
pt_case(A, "Profits tax 2025/26: unincorporated, 30,000: the 100% reduction wipes out tax below the cap", "2025/26", 30000, "unincorporated", f"{S_B55} ; {S_2TR}")
pt_case(B, "Profits tax 2026/27: corporation, 1,000,000, no reduction announced", "2026/27", 1000000, "corporation", f"{S_2TR} ; {S_B55}")


def sd_case(target, name, date, c, prop, buyer, table, src, why):
    duty, der = avd(c, table)
    target.append(dict(name=name, calc="stamp_duty", status="derived", source=src,
                       note=f"DERIVED by tools/derive_cases_2026.py: {why}; C = {money(c)}, {der}",
                       input={"instrument_date": date, "consideration": c, "property": prop, "buyers": [buyer]},
                       expect=dict(avd=duty, nrsd=0, bsd=0, ssd=0, total_duty=duty)))


OTHER = {"kind": "hkpr", "owns_other_residential": True}
RES_SRC = f"{S_PF} ; {S_HK01}"
RES_WHY = "residential table from 26 Feb 2026 (any buyer: Part 1, BSD and SSD abolished from 28 Feb 2024)"
sd_case(A, "AVD from 26 Feb 2026: HK$120m flat bought 1 Mar 2026 by an HKPR who owns another home pays 6.5%", "2026-03-01", 120000000, "residential", OTHER, RESIDENTIAL_2026, S_PF, RES_WHY)
sd_case(A, "AVD from 26 Feb 2026: HK$105m, inside the marginal band (4,250,000 + 30% of the excess over HK$100m)", "2026-03-01", 105000000, "residential", OTHER, RESIDENTIAL_2026, RES_SRC, RES_WHY)
sd_case(A, "AVD from 26 Feb 2026: exactly HK$100m stays at 4.25%", "2026-03-01", 100000000, "residential", OTHER, RESIDENTIAL_2026, RES_SRC, RES_WHY + "; the band is (lower, upto], so 100,000,000 is in the 4.25% band")
sd_case(A, "AVD from 26 Feb 2026: 109,574,470, the top of the marginal band", "2026-03-01", 109574470, "residential", OTHER, RESIDENTIAL_2026, RES_SRC, RES_WHY + "; 6.5% x C would be 7,122,340.55, also 7,122,341 rounded up (crossover 25,750,000 / 0.235 = 109,574,468.09)")
sd_case(A, "AVD from 26 Feb 2026: 109,574,471, the first dollar at 6.5%", "2026-03-01", 109574471, "residential", OTHER, RESIDENTIAL_2026, RES_SRC, RES_WHY)
sd_case(A, "AVD on 31 Mar 2027 (end of the reviewed period): HK$120m residential, 6.5%", "2027-03-31", 120000000, "residential", {"kind": "hkpr"}, RESIDENTIAL_2026, S_PF, RES_WHY + "; the table is open-ended")
sd_case(A, "AVD the day before, 25 Feb 2026: HK$120m residential still at 4.25% (Scale 2)", "2026-02-25", 120000000, "residential", OTHER, SCALE2_2025, f"{S_PF} ; {S_SCALE2_25}", "instrument dated before the residential table starts (26 Feb 2026), so Scale 2 (from 26 Feb 2025) applies")
sd_case(A, "AVD from 26 Feb 2026: HK$120m non-residential stays on Scale 2 (4.25%)", "2026-03-01", 120000000, "non_residential", {"kind": "company"}, SCALE2_2025, f"{S_PF} ; {S_SCALE2_25}", "the 6.5% rate is for residential property only; non-residential keeps Scale 2")


def rates_case(name, rv, domestic):
    exp, der = rates(rv, domestic, [500, 500])
    A.append(dict(name=name, calc="rates", status="derived",
                  source=f"{S_ST} ; {S_B55} ; {S_RVD if domestic else S_RV5}",
                  note=f"DERIVED by tools/derive_cases_2026.py: rating exemption order gazetted 6 Mar 2026, HK$500 per quarter for the first two quarters of 2026-27 (the order's reading; the speech's \"$500 for each rateable property\" conflicts); {der}",
                  input={"year": "2026-27", "rateable_value": rv, "domestic": domestic}, expect=exp))


rates_case("Rates 2026-27 with the concession: domestic, rateable value 1,000,000 (progressive 5/8/12%)", 1000000, True)
rates_case("Rates 2026-27 with the concession: domestic, rateable value 8,000 (concession capped at each quarter's rates)", 8000, True)
rates_case("Rates 2026-27 with the concession: non-domestic, rateable value 500,000", 500000, False)


# ---------------------------------------------------------------------------------------------
# Output in the shape of tests/cases/*.yaml
# ---------------------------------------------------------------------------------------------
BARE = {"residential", "non_residential", "hkpr", "company", "non_hkpr"}


def flow(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return v if v in BARE else '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(flow(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {flow(x)}" for k, x in v.items()) + "}"
    raise TypeError(v)


def render(cases, header):
    out = [header, "cases:"]
    for c in cases:
        out.append(f"  - name: {flow(c['name'])}")
        for k in ("calc", "status"):
            out.append(f"    {k}: {c[k]}")
        out.append(f"    source: {flow(c['source'])}")
        out.append(f"    note: {flow(c['note'])}")
        out.append(f"    input: {flow(c['input'])}")
        out.append(f"    expect: {flow(c['expect'])}")
    return "\n".join(out) + "\n"


HEAD_A = """# Derived cases for the 2026-27 Budget (25 Feb 2026): YA 2025/26 income tax with the proposed one-off
# reductions, the residential stamp duty table from 26 Feb 2026, and the 2026-27 rates concession.
# GENERATED by tools/derive_cases_2026.py (expected values worked by hand from the published rules,
# never from this project's code); edit the script, not this file.
# status: published (figure appears in the source) | derived (worked from published rules/inputs) | secondary"""
HEAD_B = """# Derived cases for YA 2026/27 (2026-27 Budget allowances, the newborn additional child allowance's second
# year) and one YA 2025/26 contrast case; children may carry `born_on` (docs/INPUTS.md).
# GENERATED by tools/derive_cases_2026.py (expected values worked by hand from the published rules,
# never from this project's code); edit the script, not this file.
# status: published (figure appears in the source) | derived (worked from published rules/inputs) | secondary"""


def check_facts():
    """Where facts.csv is available, check the 2026 figures used above against it."""
    if not FACTS.exists():
        print(f"note: {FACTS} not found; figures not re-checked against it")
        return
    rows = {(r["section"], r["item"]): r for r in csv.DictReader(FACTS.open(encoding="utf-8"))}
    want = {
        ("measure_allowances_from_YA_2026_27", "basic_allowance"): "132000 -> 145000",
        ("measure_allowances_from_YA_2026_27", "single_parent_allowance"): "132000 -> 145000",
        ("measure_allowances_from_YA_2026_27", "married_persons_allowance"): "264000 -> 290000",
        ("measure_allowances_from_YA_2026_27", "child_allowance_each_1st_to_9th"): "130000 -> 140000",
        ("measure_allowances_from_YA_2026_27", "additional_child_allowance_each"): "130000 -> 140000",
        ("measure_allowances_from_YA_2026_27", "dependent_parent_grandparent_allowance_aged_60_plus_or_DA"): "50000 -> 55000",
        ("measure_allowances_from_YA_2026_27", "dependent_parent_grandparent_allowance_aged_55_59"): "25000 -> 27500",
        ("measure_allowances_from_YA_2026_27", "elderly_residential_care_expenses_deduction_ceiling"): "100000 -> 110000",
        ("measure_salaries_tax_reduction", "ceiling"): "3000",
        ("measure_salaries_tax_reduction", "reduction_rate"): "100",
        ("measure_profits_tax_reduction", "ceiling"): "3000",
        ("measure_profits_tax_reduction", "reduction_rate"): "100",
        ("measure_rates_concession", "domestic_rates_concession_ceiling"): "500",
        ("measure_rates_concession", "non_domestic_rates_concession_ceiling"): "500",
        ("measure_stamp_duty", "avd_rate_residential_over_100m"): "4.25% -> 6.5%",
        ("measure_stamp_duty", "avd_marginal_band_100m_to_109574470"): "HK$4.25m + 30% of excess over HK$100m",
    }
    bad = [f"{k}: facts.csv has {rows.get(k, {}).get('value')!r}, script uses {v!r}"
           for k, v in want.items() if rows.get(k, {}).get("value") != v]
    if "2 years" not in rows[("measure_allowances_from_YA_2026_27", "additional_child_allowance_newborn_claim_period")]["value"]:
        bad.append("newborn claim period")
    if bad:
        sys.exit("figures differ from facts.csv:\n" + "\n".join(bad))
    print(f"checked {len(want) + 1} figures against {FACTS}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    check_facts()
    # The crossover of the 2026 marginal band, shown in the stamp duty cases and params note.
    x = (F(30, 100) * 100000000 - 4250000) / (F(30, 100) - F(65, 1000))
    print(f"crossover of 4,250,000 + 30% (C - 100,000,000) with 6.5% C: {float(x):,.2f} (published 109,574,470)")
    files = {REPO / "tests/cases/budget2026.yaml": render(A, HEAD_A),
             REPO / "tests/cases/budget2026_ya2026_27.yaml": render(B, HEAD_B)}
    stale = []
    for path, text in files.items():
        if a.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO)}")
    print(f"{len(A)} + {len(B)} cases")
    if stale:
        sys.exit("out of date: " + ", ".join(stale))


if __name__ == "__main__":
    main()
