//! Every parameter is wired: changing any rate, band, allowance, cap or switch through a reform
//! changes the result of at least one designed case. A parameter that changes nothing is either
//! dead data or a rule that ignores the law.

use hkb_law::{Law, ParamValue, Reform, YearOfAssessment, YearParams, paths};
use hkb_rules::input::{Business, Entity, LetProperty, Situation};

const YEAR: &str = "2024/25";

const HOUSEHOLDS: &[&str] = &[
    // A: a married couple exercising every deduction, allowance, rental and business income.
    r#"{year: "2024/25", married: true,
        children: [{born_in_year: true}, {disabled: true}, {}, {}, {}, {}, {}, {}, {}, {}],
        dependent_parents: [{age: 70, resides_with: true}, {age: 57, resides_with: true}, {age: 56}, {age: 66}, {age: 50, disabled: true}],
        dependent_siblings: [{disabled: true}],
        taxpayer: {employment_income: 1200000, outgoings_expenses: 5000, self_education: 150000, mpf_mandatory: 30000,
                   charitable_donations: 1000000, home_loan_interest: 150000, home_loan_interest_years_claimed: 19,
                   lives_with_newborn: true, newborn_top_up_years_claimed: 18, elderly_residential_care: [120000],
                   vhis_premiums: [10000, 3000], tvc_qdap: 70000, assisted_reproductive_services: 120000,
                   rental_income: 300000, rates_paid_by_owner: 10000, disabled: true},
        spouse: {employment_income: 800000, domestic_rent: 150000, lives_with_newborn: true, business_profit: 3000000}}"#,
    // B: a single parent with a small donation and a small income (the one-off reduction binds below its cap),
    // whose child was born in the previous year of assessment (the newborn allowance's second year).
    r#"{year: "2024/25", single_parent: true, children: [{born_on: 2023-06-01}], taxpayer: {employment_income: 440000, charitable_donations: 5000}}"#,
    // C: a high earner on the two-tier standard rate.
    r#"{year: "2024/25", taxpayer: {employment_income: 8000000}}"#,
    // D: a couple whose joint net income exceeds the first standard-rate tier.
    r#"{year: "2024/25", married: true, taxpayer: {employment_income: 4000000}, spouse: {employment_income: 4000000}}"#,
    // E: a middle earner whose NCI reaches the top band.
    r#"{year: "2024/25", taxpayer: {employment_income: 600000}}"#,
];

fn fingerprint(law: &Law, reform: Option<&Reform>) -> Vec<String> {
    let y = YearParams::resolve(
        law,
        YEAR.parse::<YearOfAssessment>()
            .unwrap_or(YearOfAssessment(2024)),
        reform,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for h in HOUSEHOLDS {
        let s: Situation = serde_yaml_ng::from_str(h).unwrap_or_else(|e| panic!("{e}"));
        let r = hkb_rules::assess_household(&s, &y, false).unwrap_or_else(|e| panic!("{e}"));
        for o in &r.options {
            out.push(format!(
                "{}:{}:{}:{}",
                o.method,
                o.tax_payable.cents(),
                o.tax_before_reduction.cents(),
                o.units
                    .iter()
                    .map(|u| u.net_chargeable_income.cents())
                    .sum::<i64>()
            ));
        }
    }
    // An employee's MPF contribution worked out from income (below the minimum level, between
    // the levels, above the maximum), and provisional tax split into instalments.
    for income in [60_000, 200_000, 500_000] {
        out.push(format!(
            "mpf:{}",
            hkb_rules::salaries::mpf_from_income(hkb_law::Money::from_dollars(income), &y.salaries)
                .cents()
        ));
    }
    out.push(format!(
        "instalments:{:?}",
        hkb_rules::salaries::provisional_instalments(
            hkb_law::Money::from_dollars(10_000),
            &y.salaries
        )
    ));
    // F: a household whose MPF is worked out from income.
    let s: Situation = serde_yaml_ng::from_str(
        r#"{year: "2024/25", taxpayer: {employment_income: 200000, mpf_from_income: true}}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let r = hkb_rules::assess_household(&s, &y, false).unwrap_or_else(|e| panic!("{e}"));
    out.push(format!("F:{}", r.tax_before_reduction.cents()));
    for (profits, entity, nominated) in [
        (5_000_000, "corporation", true),
        (5_000_000, "unincorporated", true),
        (10_000, "corporation", true),
    ] {
        let b: Business = serde_yaml_ng::from_str(&format!("{{year: \"{YEAR}\", assessable_profits: {profits}, entity: {entity}, nominated: {nominated}}}")).unwrap_or_else(|e| panic!("{e}"));
        let entity = if entity == "corporation" {
            Entity::Corporation
        } else {
            Entity::Unincorporated
        };
        let r = hkb_rules::profits_tax(
            b.assessable_profits.0,
            entity,
            b.nominated,
            &y.profits,
            &mut hkb_rules::Trace::off(),
        );
        out.push(format!("{r:?}"));
    }
    let p: LetProperty = serde_yaml_ng::from_str(&format!(
        "{{year: \"{YEAR}\", rental_income: 300000, rates_paid_by_owner: 10000}}"
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    out.push(format!(
        "{:?}",
        hkb_rules::property_tax(
            p.rental_income.0,
            p.rates_paid_by_owner.0,
            p.irrecoverable_rent.0,
            12,
            &y.property,
            &mut hkb_rules::Trace::off()
        )
    ));
    out
}

fn rate_text(r: hkb_law::Rate) -> String {
    let x = r.to_f64();
    let y = if x >= 0.5 { x - 0.05 } else { x + 0.01 };
    format!("{y:.6}")
}

/// Reform texts that each change one thing about a parameter.
fn mutations(path: &str, v: &ParamValue) -> Vec<String> {
    mutations_for(path, v, YEAR)
}

fn mutations_for(path: &str, v: &ParamValue, period: &str) -> Vec<String> {
    let one = |p: &str, val: String| format!("changes:\n  {p}:\n    \"{period}\": {val}\n");
    match v {
        ParamValue::Amount(m) => vec![one(path, format!("{}", m.cents() / 100 + 10_000))],
        ParamValue::NotInForce => vec![one(path, "10000".into())],
        ParamValue::Rate(r) => vec![one(path, rate_text(*r))],
        ParamValue::Count(n) => vec![one(path, format!("{}", if *n > 1 { n - 1 } else { n + 1 }))],
        ParamValue::Bool(b) => vec![one(path, format!("{}", !b))],
        ParamValue::Bands(bands) => bands
            .iter()
            .enumerate()
            .flat_map(|(i, b)| {
                let mut v = vec![one(&format!("{path}.bands[{i}].rate"), rate_text(b.rate))];
                if let Some(w) = b.width {
                    v.push(one(
                        &format!("{path}.bands[{i}].width"),
                        format!("{}", w.cents() / 100 + 10_000),
                    ));
                }
                v
            })
            .collect(),
        ParamValue::DutyBands(bands) => bands
            .iter()
            .enumerate()
            .flat_map(|(i, b)| {
                let row = format!("{path}.bands[{i}]");
                let mut v = match b.charge {
                    hkb_law::Charge::Fixed(m) => vec![one(
                        &format!("{row}.fixed"),
                        format!("{}", m.cents() / 100 + 1000),
                    )],
                    hkb_law::Charge::Flat(r) => vec![one(&format!("{row}.rate"), rate_text(r))],
                    hkb_law::Charge::Marginal { base, rate } => vec![
                        one(&format!("{row}.rate"), rate_text(rate)),
                        one(
                            &format!("{row}.base"),
                            format!("{}", base.cents() / 100 + 1000),
                        ),
                    ],
                };
                // Move the limit up by 1,000 where that keeps the limits rising.
                let next = bands
                    .get(i + 1)
                    .and_then(|n| n.upto)
                    .unwrap_or(hkb_law::Money(i64::MAX));
                if let Some(u) = b
                    .upto
                    .filter(|u| u.cents() / 100 + 1000 < next.cents() / 100)
                {
                    v.push(one(
                        &format!("{row}.upto"),
                        format!("{}", u.cents() / 100 + 1000),
                    ));
                }
                v
            })
            .collect(),
        ParamValue::HoldingSchedule(rows) => rows
            .iter()
            .enumerate()
            .map(|(i, (m, r))| {
                let mut rows2 = rows.clone();
                rows2[i].1 = if r.to_f64() >= 0.5 {
                    hkb_law::Rate(r.0 - 50_000)
                } else {
                    hkb_law::Rate(r.0 + 10_000)
                };
                let _ = m;
                let list: Vec<String> = rows2
                    .iter()
                    .map(|(m, r)| format!("{{months: {m}, rate: {:.6}}}", r.to_f64()))
                    .collect();
                one(path, format!("{{schedule: [{}]}}", list.join(", ")))
            })
            .collect(),
        ParamValue::Quarterly(q) => (0..4)
            .map(|i| {
                let mut q2 = *q;
                q2[i] = hkb_law::Money(q2[i].cents() + 100_000);
                one(
                    path,
                    format!(
                        "{{q1: {}, q2: {}, q3: {}, q4: {}}}",
                        q2[0].cents() / 100,
                        q2[1].cents() / 100,
                        q2[2].cents() / 100,
                        q2[3].cents() / 100
                    ),
                )
            })
            .collect(),
        ParamValue::Date(_) => vec![],
        ParamValue::Tiers(tiers) => tiers
            .iter()
            .enumerate()
            .flat_map(|(i, t)| {
                let mut v = vec![one(&format!("{path}.tiers[{i}].rate"), rate_text(t.rate))];
                if let Some(u) = t.upto {
                    v.push(one(
                        &format!("{path}.tiers[{i}].upto"),
                        format!("{}", u.cents() / 100 + 100_000),
                    ));
                }
                v
            })
            .collect(),
    }
}

#[test]
fn every_income_tax_parameter_changes_some_result() {
    let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
    let base = fingerprint(&law, None);
    let set = law
        .resolve_year(YEAR.parse().unwrap_or(YearOfAssessment(2024)), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut dead = Vec::new();
    let mut tried = 0;
    for path in paths::ALL_INCOME_TAX {
        let v = &set
            .get(path)
            .unwrap_or_else(|| panic!("{path} has no value in {YEAR}"))
            .value;
        for text in mutations(path, v) {
            let reform =
                Reform::parse(&law, "wired-test", &text).unwrap_or_else(|e| panic!("{text}: {e}"));
            tried += 1;
            if fingerprint(&law, Some(&reform)) == base {
                dead.push(text.replace('\n', " "));
            }
        }
    }
    assert!(tried > paths::ALL_INCOME_TAX.len());
    assert!(
        dead.is_empty(),
        "these changes altered no result:\n{}",
        dead.join("\n")
    );
}

#[test]
fn every_path_the_rules_use_exists_in_the_tree() {
    let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
    for p in paths::ALL_INCOME_TAX {
        assert!(law.node(p).is_some(), "{p} missing from params/");
    }
}

#[test]
fn every_year_resolves_every_parameter() {
    let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
    for y in YearOfAssessment::supported() {
        YearParams::resolve(&law, y, None).unwrap_or_else(|e| panic!("{y}: {e}"));
    }
}

mod transactions {
    use super::*;
    use chrono::{Months, NaiveDate, NaiveDateTime};
    use hkb_law::{Charge, DutyBand, Money, transaction_paths};
    use hkb_rules::input::{Deal, StockDeal, Tenement};

    fn prices(bands: &[DutyBand]) -> Vec<i64> {
        let mut out = vec![];
        let mut lower = 0i64;
        for b in bands {
            match b.upto {
                Some(u) => {
                    let u = u.cents() / 100;
                    out.push(lower + (u - lower) / 2);
                    out.push(u + 500);
                    lower = u;
                }
                None => out.push(lower + 1_000_000),
            }
        }
        out
    }

    /// Results of designed transactions at instant `t`.
    fn fingerprint(
        law: &Law,
        t: NaiveDateTime,
        extra_prices: &[i64],
        reform: Option<&Reform>,
    ) -> Vec<String> {
        let date = t.date();
        let (first, _) = hkb_law::transaction_history();
        let mut out = vec![];
        let mut price_list = vec![8_000_000i64];
        price_list.extend_from_slice(extra_prices);
        let buyers = [
            "{kind: hkpr}",
            "{kind: hkpr, owns_other_residential: true}",
            "{kind: non_hkpr}",
            "{kind: company}",
        ];
        for price in &price_list {
            for property in ["residential", "non_residential"] {
                for buyer in buyers {
                    for units in [1, 2] {
                        let mut acquired = vec![None];
                        if property == "residential" && *price == 8_000_000 {
                            for back in [5u32, 11, 23, 35] {
                                let a = date
                                    .checked_sub_months(Months::new(back))
                                    .and_then(|d| d.checked_sub_days(chrono::Days::new(15)));
                                if let Some(a) = a.filter(|a| *a >= first) {
                                    acquired.push(Some(a));
                                }
                            }
                        }
                        for acq in acquired {
                            let acq_text = acq
                                .map_or(String::new(), |a| format!(", seller_acquired: \"{a}\""));
                            let text = format!(
                                "{{instrument_date: \"{}\", consideration: {price}, property: {property}, buyers: [{buyer}], units: {units}{acq_text}}}",
                                t.format("%Y-%m-%dT%H:%M")
                            );
                            let d: Deal = serde_yaml_ng::from_str(&text)
                                .unwrap_or_else(|e| panic!("{text}: {e}"));
                            let r = hkb_rules::stamp::assess_deal(law, &d, reform, false)
                                .unwrap_or_else(|e| panic!("{e}"));
                            out.push(format!("{:?}", r.result));
                        }
                    }
                }
            }
        }
        for instrument in ["shares", "reit_units", "market_maker_hedging"] {
            let d: StockDeal = serde_yaml_ng::from_str(&format!(
                "{{date: \"{date}\", consideration: 1000000, instrument: {instrument}}}"
            ))
            .unwrap_or_else(|e| panic!("{e}"));
            out.push(format!(
                "{:?}",
                hkb_rules::stamp::assess_stock(law, &d, reform, false)
                    .unwrap_or_else(|e| panic!("{e}"))
                    .result
            ));
        }
        // The financial year containing `date`, if the rates law covers it.
        let fy = if date.month0() >= 3 {
            date.year()
        } else {
            date.year() - 1
        };
        if (2017..=2026).contains(&fy) {
            for domestic in [true, false] {
                let t: Tenement = serde_yaml_ng::from_str(&format!(
                    "{{year: \"{fy}-{:02}\", rateable_value: 1000000, domestic: {domestic}}}",
                    (fy + 1) % 100
                ))
                .unwrap_or_else(|e| panic!("{e}"));
                let r = hkb_rules::rates::assess_tenement(
                    law,
                    hkb_law::FinancialYear(fy as u16),
                    &t,
                    reform,
                    false,
                )
                .unwrap_or_else(|e| panic!("{e}"));
                out.push(format!("{:?}", r.result));
            }
        }
        out
    }

    use chrono::Datelike;

    #[test]
    fn every_transaction_tax_value_changes_some_result() {
        let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
        let (_, last) = hkb_law::transaction_history();
        let mut dead = vec![];
        let mut tried = 0;
        for path in transaction_paths::ALL {
            let node = law.node(path).unwrap_or_else(|| panic!("{path} missing"));
            for dv in &node.values {
                if dv.value == ParamValue::NotInForce {
                    continue;
                }
                let from = dv.interval.from;
                let until = dv.interval.until.unwrap_or(
                    last.succ_opt()
                        .unwrap_or(last)
                        .and_time(chrono::NaiveTime::MIN),
                );
                let mid = from + (until - from) / 2;
                let end = until - chrono::Duration::minutes(1);
                let mut samples: Vec<NaiveDateTime> = vec![from, mid, end];
                // A holding schedule is keyed by acquisition date: its longer bands are reached
                // only by disposals after the acquisition window.
                if matches!(dv.value, ParamValue::HoldingSchedule(_)) {
                    samples.extend(
                        [12u32, 24]
                            .iter()
                            .filter_map(|m| end.checked_add_months(Months::new(*m))),
                    );
                }
                samples.retain(|t| t.date() <= last);
                let period = match &dv.to {
                    Some(to) => format!("{}..{}", dv.from, to),
                    None => format!("{}..", dv.from),
                };
                let extra = match &dv.value {
                    ParamValue::DutyBands(b) => prices(b),
                    _ => vec![],
                };
                let bases: Vec<Vec<String>> = samples
                    .iter()
                    .map(|t| fingerprint(&law, *t, &extra, None))
                    .collect();
                for text in mutations_for(path, &dv.value, &period) {
                    let reform = Reform::parse(&law, "wired-test", &text)
                        .unwrap_or_else(|e| panic!("{text}: {e}"));
                    tried += 1;
                    let changed = samples
                        .iter()
                        .zip(&bases)
                        .any(|(t, base)| &fingerprint(&law, *t, &extra, Some(&reform)) != base);
                    if !changed {
                        dead.push(text.replace('\n', " "));
                    }
                }
            }
        }
        assert!(tried > 100, "only {tried} mutations");
        assert!(
            dead.is_empty(),
            "these changes altered no result:\n{}",
            dead.join("\n")
        );
    }

    #[test]
    fn charge_kinds_are_all_exercised() {
        // Guards the test above: each kind of duty band appears in the shipped tables.
        let law = Law::embedded().unwrap_or_else(|e| panic!("{e}"));
        let mut kinds = [false; 3];
        for path in transaction_paths::ALL {
            for dv in &law.node(path).map(|n| n.values.clone()).unwrap_or_default() {
                if let ParamValue::DutyBands(b) = &dv.value {
                    for band in b {
                        match band.charge {
                            Charge::Fixed(_) => kinds[0] = true,
                            Charge::Flat(_) => kinds[1] = true,
                            Charge::Marginal { .. } => kinds[2] = true,
                        }
                    }
                }
            }
        }
        assert_eq!(kinds, [true; 3]);
        let _ = (Money::ZERO, NaiveDate::MIN);
    }
}
