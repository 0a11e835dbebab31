//! Salaries tax and personal assessment, exact, with every lawful option for a household.
//!
//! The computation follows IRD's layout: income, less deductions = net income; less allowances =
//! net chargeable income; tax = the lower of progressive tax on net chargeable income and
//! standard-rate tax on net income; less the year's one-off reduction.
//!
//! Rounding (each from the source named):
//! - progressive and standard-rate tax are each truncated to the dollar before they are compared
//!   (IRD's tax estimator as reported by third-party calculators and the secondary SDD in
//!   shared/data/tax/RULES_NOTES.md; hk.talent.com shows 33,001.36 reported as 33,001);
//! - the one-off reduction leaves floor(tax × (1 − rate)) (DIPN 18 Example 2: 3,770 → 942 at 75%).

use crate::input::{Assessment, Child, Parent, Person, Sibling, Situation};
use crate::profits::{ProfitsResult, one_off_reduction, profits_tax};
use crate::property::{PropertyResult, net_assessable_value, property_tax};
use crate::trace::{Step, StepKind::*, Text, Trace, text};
use hkb_law::{
    Band, Money, Precise, SalariesTaxParams, Tier, YearOfAssessment, YearParams, paths as P,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Progressive tax on net chargeable income, exact.
#[inline]
pub fn progressive_tax(nci: Money, bands: &[Band]) -> Precise {
    crate::schedule::bands_amount(nci, bands)
}

/// An employee's mandatory MPF contribution worked out from a year's employment income, spread
/// evenly over twelve months: the rate on relevant income up to the maximum level, nothing when
/// the monthly income is below the minimum level (MPF Schemes Ordinance, Schedules 2 and 3).
pub fn mpf_from_income(income: Money, prm: &SalariesTaxParams) -> Money {
    let min_year = prm.mpf_min_monthly.times_count(12);
    let max_year = prm.mpf_max_monthly.times_count(12);
    if income < min_year {
        return Money::ZERO;
    }
    income.min(max_year).times(prm.mpf_rate).floor_cents()
}

/// Provisional tax in its two instalments: the first share (to the dollar, rounded down) with
/// the final tax, the rest three months later; the two add up to the provisional tax.
pub fn provisional_instalments(provisional: Money, prm: &SalariesTaxParams) -> [Money; 2] {
    let first = provisional
        .times(prm.provisional_first_share)
        .floor_dollars()
        .min(provisional);
    [first, provisional - first]
}

/// Standard-rate tax on net income, exact. `multiple` scales the tier limits (a jointly
/// assessed couple; see `salaries_tax.standard_rate_couple_threshold_multiple`).
#[inline]
pub fn standard_tax(net_income: Money, tiers: &[Tier], multiple: u32) -> Precise {
    crate::schedule::tiers_amount(net_income, tiers, multiple)
}

fn progressive_traced(nci: Money, bands: &[Band], tr: &mut Trace) -> Money {
    if tr.enabled() {
        let mut left = nci.clamp_non_negative();
        let mut first = true;
        for b in bands {
            if left.is_zero() {
                break;
            }
            let slice = match b.width {
                Some(w) => left.min(w),
                None => left,
            };
            let label = match (first, b.width) {
                (true, _) => text("On the first", "首"),
                (false, Some(_)) => text("On the next", "其次"),
                (false, None) => text("On the remainder", "餘額"),
            };
            tr.push(|| {
                Step::new(Item, "progressive.band", label)
                    .amount(slice.times(b.rate).floor_cents())
                    .detail(format!("{slice} @ {}", b.rate))
            });
            left -= slice;
            first = false;
        }
    }
    progressive_tax(nci, bands).floor_dollars()
}

/// "679,000 @ 15%" or "6,000,000 @ 15% to 5,000,000, 16% above".
fn describe_standard(ni: Money, tiers: &[Tier], multiple: u32, lang: hkb_law::Lang) -> String {
    match tiers {
        [only] => format!("{ni} @ {}", only.rate),
        _ => {
            let parts: Vec<String> = tiers
                .iter()
                .map(|t| match (t.upto, lang) {
                    (Some(u), hkb_law::Lang::En) => {
                        format!("{} to {}", t.rate, u.times_count(multiple))
                    }
                    (Some(u), hkb_law::Lang::Zh) => {
                        format!("首 {} 按 {}", u.times_count(multiple), t.rate)
                    }
                    (None, hkb_law::Lang::En) => format!("{} above", t.rate),
                    (None, hkb_law::Lang::Zh) => format!("其後按 {}", t.rate),
                })
                .collect();
            let sep = if lang.is_zh() { "，" } else { ", " };
            format!("{ni} @ {}", parts.join(sep))
        }
    }
}

/// Which person of a couple.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Taxpayer,
    Spouse,
}

impl Role {
    fn text(self) -> Text {
        match self {
            Role::Taxpayer => text("Taxpayer", "納稅人"),
            Role::Spouse => text("Spouse", "配偶"),
        }
    }
}

/// Salaries tax (employment income only) or personal assessment (all income).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Regime {
    Salaries,
    Personal,
}

/// Deductions allowed to one person, after caps.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct Deductions {
    pub outgoings_expenses: Money,
    pub self_education: Money,
    pub elderly_residential_care: Money,
    pub home_loan_interest_and_rent: Money,
    pub mpf_and_retirement_schemes: Money,
    pub vhis: Money,
    pub tvc_qdap: Money,
    pub assisted_reproductive_services: Money,
    pub charitable_donations: Money,
}

impl Deductions {
    pub fn total(&self) -> Money {
        self.before_donations() + self.charitable_donations
    }
    fn before_donations(&self) -> Money {
        self.outgoings_expenses
            + self.self_education
            + self.elderly_residential_care
            + self.home_loan_interest_and_rent
            + self.mpf_and_retirement_schemes
            + self.vhis
            + self.tvc_qdap
            + self.assisted_reproductive_services
    }
}

fn capped(claim: Money, cap: Option<Money>) -> Money {
    match cap {
        Some(c) => claim.min(c),
        None => Money::ZERO,
    }
}

/// A deduction line: claimed amount, allowed amount and the parameter that capped it.
fn deduction_step(
    tr: &mut Trace,
    key: &'static str,
    label: Text,
    claimed: Money,
    allowed: Money,
    cap: Option<(&'static str, String)>,
) {
    if claimed.is_zero() {
        return;
    }
    tr.push(|| {
        let mut s = Step::new(Item, key, label).amount(allowed);
        let no_cap = cap.is_none();
        if let Some((path, value)) = cap {
            if allowed < claimed {
                s = s.detail_text(
                    format!("claimed {claimed}, limited to {allowed}"),
                    format!("申索 {claimed}，上限 {allowed}"),
                );
            }
            s = s.param(path, value);
        } else if allowed < claimed {
            s = s.detail_text(
                format!("claimed {claimed}, allowed {allowed}"),
                format!("申索 {claimed}，准予扣除 {allowed}"),
            );
        }
        if allowed.is_zero() && no_cap {
            s = s.detail_text(
                format!("claimed {claimed}: not available in this year"),
                format!("申索 {claimed}：本年度不適用"),
            );
        }
        s
    });
}

/// One person's deductions. `income` is the base the deductions come off (employment income
/// under salaries tax, total income under personal assessment); the donations cap is
/// `donations_cap_rate` × (income − other deductions) (PwC; the order is not verified, see
/// RULES_NOTES §5).
fn person_deductions(
    p: &Person,
    prm: &SalariesTaxParams,
    income: Money,
    tr: &mut Trace,
) -> Deductions {
    let mut d = Deductions {
        outgoings_expenses: p.outgoings_expenses.0,
        self_education: p.self_education.0.min(prm.self_education),
        ..Deductions::default()
    };
    deduction_step(
        tr,
        "deduction.outgoings",
        text("Outgoings and expenses", "支出及開支"),
        p.outgoings_expenses.0,
        d.outgoings_expenses,
        None,
    );
    deduction_step(
        tr,
        "deduction.self_education",
        text("Self-education expenses", "個人進修開支"),
        p.self_education.0,
        d.self_education,
        Some((P::SELF_EDUCATION, prm.self_education.to_string())),
    );

    d.elderly_residential_care = p
        .elderly_residential_care
        .0
        .iter()
        .map(|&e| e.min(prm.elderly_care))
        .sum();
    deduction_step(
        tr,
        "deduction.elderly_residential_care",
        text("Elderly residential care expenses", "長者住宿照顧開支"),
        p.elderly_residential_care.total(),
        d.elderly_residential_care,
        Some((P::ELDERLY_CARE, format!("{} per parent", prm.elderly_care))),
    );

    // Home loan interest and domestic rent share one ceiling; the newborn top-up (from 2024/25)
    // raises it for either.
    let top_up = match (prm.newborn_top_up, prm.newborn_max_years) {
        (Some(t), Some(max)) if p.lives_with_newborn && p.newborn_top_up_years_claimed < max => t,
        _ => Money::ZERO,
    };
    // A dwelling owned jointly or in common: the interest on the whole loan and the ceiling are
    // both apportioned by the owner's share (IRD's rule for joint tenants and tenants in common;
    // the rule is applied as an assumption: its IRD page is not in hkbudget's sources).
    let share = p.home_ownership_share;
    let apportion = |m: Money| match share {
        Some(sh) => m.times(sh).floor_dollars(),
        None => m,
    };
    let hli_cap = if p.home_loan_interest_years_claimed < prm.hli_max_years {
        Some(apportion(prm.hli + top_up))
    } else {
        None
    };
    let rent_cap = prm.domestic_rent.map(|r| r + top_up);
    let interest = apportion(p.home_loan_interest.0);
    if let Some(sh) = share
        && !p.home_loan_interest.0.is_zero()
    {
        tr.push(|| {
            Step::new(
                Note,
                "deduction.home_loan_share",
                text(
                    "Home loan interest of a jointly owned dwelling: the interest and the ceiling apportioned by the ownership share (an assumption on IRD's rule)",
                    "聯權共有或分權共有物業的居所貸款利息：利息及扣除上限均按業權份額分攤（按稅務局規則的假設）",
                ),
            )
            .detail_text(
                format!("share {sh}: interest {} of {}", interest, p.home_loan_interest.0),
                format!("份額 {sh}：利息 {}（全數 {}）", interest, p.home_loan_interest.0),
            )
        });
    }
    let hli = capped(interest, hli_cap);
    let rent = capped(p.domestic_rent.0, rent_cap);
    let shared_cap = hli_cap
        .unwrap_or(Money::ZERO)
        .max(rent_cap.unwrap_or(Money::ZERO));
    d.home_loan_interest_and_rent = (hli + rent).min(shared_cap);
    if !p.home_loan_interest.0.is_zero() {
        if hli_cap.is_none() {
            tr.push(|| {
                Step::new(
                    Note,
                    "deduction.home_loan_interest",
                    text(
                        "Home loan interest: the maximum number of years has been claimed",
                        "居所貸款利息：已用盡可扣除年數",
                    ),
                )
                .detail_text(
                    format!("{} years claimed", p.home_loan_interest_years_claimed),
                    format!("已申索 {} 個課稅年度", p.home_loan_interest_years_claimed),
                )
                .param(P::HLI_MAX_YEARS, prm.hli_max_years)
            });
        } else {
            deduction_step(
                tr,
                "deduction.home_loan_interest",
                text("Home loan interest", "居所貸款利息"),
                interest,
                hli,
                Some((P::HLI, prm.hli.to_string())),
            );
        }
    }
    deduction_step(
        tr,
        "deduction.domestic_rent",
        text("Domestic rent", "住宅租金"),
        p.domestic_rent.0,
        rent,
        prm.domestic_rent.map(|r| (P::DOMESTIC_RENT, r.to_string())),
    );
    if !top_up.is_zero() && (hli + rent) > Money::ZERO {
        tr.push(|| {
            Step::new(
                Note,
                "deduction.newborn_top_up",
                text(
                    "Ceiling raised for living with a newborn",
                    "與初生子女同住，上限提高",
                ),
            )
            .detail(format!("+{top_up}"))
            .param(P::NEWBORN_TOP_UP, top_up)
        });
    }
    if hli > Money::ZERO && rent > Money::ZERO && d.home_loan_interest_and_rent < hli + rent {
        tr.push(|| {
            Step::new(
                Note,
                "deduction.home_shared_cap",
                text(
                    "Home loan interest and domestic rent share one ceiling",
                    "居所貸款利息與住宅租金共用上限",
                ),
            )
            .detail_text(
                format!("{} allowed in total", d.home_loan_interest_and_rent),
                format!("合共准予扣除 {}", d.home_loan_interest_and_rent),
            )
        });
    }

    let mpf_given = if p.mpf_from_income {
        let c = mpf_from_income(p.employment_income.0, prm);
        tr.push(|| {
            Step::new(
                Note,
                "deduction.mpf_from_income",
                text(
                    "MPF mandatory contribution worked out from income (an assumption: give the actual figure if known)",
                    "強積金強制性供款按入息推算（屬假設：如知道實際數字請輸入）",
                ),
            )
            .detail_text(
                format!(
                    "{} × min(income, 12 × {}) = {c}; none if income is below 12 × {}",
                    prm.mpf_rate, prm.mpf_max_monthly, prm.mpf_min_monthly
                ),
                format!(
                    "{} × min(入息, 12 × {}) = {c}；入息低於 12 × {} 則無須供款",
                    prm.mpf_rate, prm.mpf_max_monthly, prm.mpf_min_monthly
                ),
            )
            .param(P::MPF_RATE, prm.mpf_rate)
            .param(P::MPF_MIN_INCOME, prm.mpf_min_monthly)
            .param(P::MPF_MAX_INCOME, prm.mpf_max_monthly)
        });
        c
    } else {
        p.mpf_mandatory.0
    };
    let mpf_claim = mpf_given + p.recognised_retirement_scheme.0;
    d.mpf_and_retirement_schemes = mpf_claim.min(prm.mpf);
    deduction_step(
        tr,
        "deduction.mpf",
        text(
            "Mandatory contributions to MPF / recognised retirement schemes",
            "強積金／認可退休計劃強制性供款",
        ),
        mpf_claim,
        d.mpf_and_retirement_schemes,
        Some((P::MPF, prm.mpf.to_string())),
    );

    d.vhis = match prm.vhis {
        Some(cap) => p.vhis_premiums.0.iter().map(|&v| v.min(cap)).sum(),
        None => Money::ZERO,
    };
    deduction_step(
        tr,
        "deduction.vhis",
        text("Qualifying VHIS premiums", "合資格自願醫保保費"),
        p.vhis_premiums.total(),
        d.vhis,
        prm.vhis
            .map(|c| (P::VHIS, format!("{c} per insured person"))),
    );
    d.tvc_qdap = capped(p.tvc_qdap.0, prm.tvc_qdap);
    deduction_step(
        tr,
        "deduction.tvc_qdap",
        text(
            "Qualifying annuity premiums and MPF voluntary contributions",
            "合資格年金保費及強積金可扣稅自願性供款",
        ),
        p.tvc_qdap.0,
        d.tvc_qdap,
        prm.tvc_qdap.map(|c| (P::TVC_QDAP, c.to_string())),
    );
    d.assisted_reproductive_services = capped(p.assisted_reproductive_services.0, prm.ars);
    deduction_step(
        tr,
        "deduction.ars",
        text("Assisted reproductive services", "輔助生育服務開支"),
        p.assisted_reproductive_services.0,
        d.assisted_reproductive_services,
        prm.ars.map(|c| (P::ARS, c.to_string())),
    );

    let donations = p.charitable_donations.0;
    if !donations.is_zero() {
        if donations < prm.donations_min {
            tr.push(|| {
                Step::new(
                    Note,
                    "deduction.donations",
                    text(
                        "Charitable donations below the minimum aggregate: not deductible",
                        "慈善捐款總額低於下限：不可扣除",
                    ),
                )
                .detail(format!("{donations} < {}", prm.donations_min))
                .param(P::DONATIONS_MIN, prm.donations_min)
            });
        } else {
            let base = (income - d.before_donations()).clamp_non_negative();
            let cap = base.times_floor_cent(prm.donations_cap_rate);
            d.charitable_donations = donations.min(cap);
            let allowed = d.charitable_donations;
            tr.push(|| {
                let mut s = Step::new(
                    Item,
                    "deduction.donations",
                    text("Approved charitable donations", "認可慈善捐款"),
                )
                .amount(allowed)
                .param(P::DONATIONS_MIN, prm.donations_min)
                .param(P::DONATIONS_CAP_RATE, prm.donations_cap_rate);
                if allowed < donations {
                    s = s.detail_text(
                        format!(
                            "claimed {donations}, limited to {} of {base}",
                            prm.donations_cap_rate
                        ),
                        format!(
                            "申索 {donations}，上限為 {base} 的 {}",
                            prm.donations_cap_rate
                        ),
                    );
                }
                s
            });
        }
    }
    d
}

/// A dependant whose allowance one spouse claims.
#[derive(Clone, Copy, Debug)]
enum Dependant<'a> {
    Child(&'a Child),
    Parent(&'a Parent),
    Sibling(&'a Sibling),
}

/// What a unit (a person, or a jointly assessed couple) claims in allowances.
#[derive(Clone, Debug, Default)]
struct AllowanceClaim<'a> {
    /// Married person's allowance instead of the basic allowance.
    married: bool,
    single_parent: bool,
    /// Persons in the unit eligible for the personal disability allowance.
    disabled_persons: u32,
    /// The spouse is a disabled dependant of this unit (a spouse with no income, separately).
    disabled_spouse: bool,
    dependants: Vec<Dependant<'a>>,
}

/// How many years of assessment after its year of birth a child is in the year `y` (0 = born in
/// `y`); none when neither a date nor `born_in_year` says.
fn birth_age(c: &Child, y: YearOfAssessment) -> Option<i32> {
    if c.born_in_year {
        return Some(0);
    }
    use chrono::Datelike;
    let d = c.born_on?;
    // A year of assessment runs from 1 April: a child born in January belongs to the one before.
    let born_ya = if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    };
    Some(i32::from(y.0) - born_ya)
}

fn allowances(claim: &AllowanceClaim<'_>, prm: &SalariesTaxParams, tr: &mut Trace) -> Money {
    let mut total = Money::ZERO;
    let mut add = |tr: &mut Trace, m: Money, make: &dyn Fn() -> Step| {
        total += m;
        tr.push(make);
    };
    if claim.married {
        add(tr, prm.married, &|| {
            Step::new(
                Item,
                "allowance.married",
                text("Married person's allowance", "已婚人士免稅額"),
            )
            .amount(prm.married)
            .param(P::MARRIED, prm.married)
        });
    } else {
        add(tr, prm.basic, &|| {
            Step::new(
                Item,
                "allowance.basic",
                text("Basic allowance", "基本免稅額"),
            )
            .amount(prm.basic)
            .param(P::BASIC, prm.basic)
        });
    }
    if claim.single_parent {
        add(tr, prm.single_parent, &|| {
            Step::new(
                Item,
                "allowance.single_parent",
                text("Single parent allowance", "單親免稅額"),
            )
            .amount(prm.single_parent)
            .param(P::SINGLE_PARENT, prm.single_parent)
        });
    }
    if claim.disabled_persons > 0 {
        match prm.personal_disability {
            Some(a) => {
                let m = a.times_count(claim.disabled_persons);
                add(tr, m, &|| {
                    Step::new(
                        Item,
                        "allowance.personal_disability",
                        text("Personal disability allowance", "個人傷殘免稅額"),
                    )
                    .amount(m)
                    .detail(format!("{} × {a}", claim.disabled_persons))
                    .param(P::PERSONAL_DISABILITY, a)
                });
            }
            None => tr.push(|| {
                Step::new(
                    Note,
                    "allowance.personal_disability",
                    text(
                        "Personal disability allowance: not available in this year",
                        "個人傷殘免稅額：該年度不適用",
                    ),
                )
            }),
        }
    }
    let children: Vec<&Child> = claim
        .dependants
        .iter()
        .filter_map(|d| {
            if let Dependant::Child(c) = d {
                Some(*c)
            } else {
                None
            }
        })
        .collect();
    if !children.is_empty() {
        let n = children.len() as u32;
        let ages: Vec<Option<i32>> = children.iter().map(|c| birth_age(c, prm.year)).collect();
        // The additional child allowance: in the year of birth and, where the law allows more
        // years, the following ones (keyed by the year of the claim).
        let born = ages
            .iter()
            .filter(|k| k.is_some_and(|k| k >= 0 && k < prm.child_birth_year_max_years as i32))
            .count() as u32;
        let later_year = ages.iter().any(|k| k.is_some_and(|k| k >= 1));
        let (why_en, why_zh) = if prm.child_birth_year_max_years >= 2 {
            ("year of birth or the one after", "出生年度或其後一年")
        } else {
            ("born in the year", "於該年度出生")
        };
        let m = prm.child.times_count(n) + prm.child_birth_year.times_count(born);
        add(tr, m, &|| {
            let mut s = Step::new(
                Item,
                "allowance.child",
                text("Child allowance", "子女免稅額"),
            )
            .amount(m)
            .detail_text(
                if born > 0 {
                    format!(
                        "{n} × {} + {born} × {} ({why_en})",
                        prm.child, prm.child_birth_year
                    )
                } else {
                    format!("{n} × {}", prm.child)
                },
                if born > 0 {
                    format!(
                        "{n} × {} + {born} × {}（{why_zh}）",
                        prm.child, prm.child_birth_year
                    )
                } else {
                    format!("{n} × {}", prm.child)
                },
            )
            .param(P::CHILD, prm.child)
            .param(P::CHILD_MAX, prm.child_max);
            if born > 0 {
                s = s.param(P::CHILD_BIRTH_YEAR, prm.child_birth_year);
            }
            if later_year {
                s = s.param(
                    P::CHILD_BIRTH_YEAR_MAX_YEARS,
                    prm.child_birth_year_max_years,
                );
            }
            s
        });
    }
    for d in &claim.dependants {
        if let Dependant::Parent(p) = d {
            let (base, extra, bp, ep) = if p.age >= 60 || p.disabled {
                (
                    prm.parent_60,
                    prm.parent_60_residing,
                    P::PARENT_60,
                    P::PARENT_60_RESIDING,
                )
            } else if p.age >= 55 {
                (
                    prm.parent_55,
                    prm.parent_55_residing,
                    P::PARENT_55,
                    P::PARENT_55_RESIDING,
                )
            } else {
                tr.push(|| {
                    Step::new(
                        Note,
                        "allowance.dependent_parent",
                        text(
                            "Dependent parent under 55 and not disabled: no allowance",
                            "受供養父母未滿55歲且非傷殘：不獲免稅額",
                        ),
                    )
                    .detail(format!("age {}", p.age))
                });
                continue;
            };
            let m = base + if p.resides_with { extra } else { Money::ZERO };
            add(tr, m, &|| {
                let mut s = Step::new(
                    Item,
                    "allowance.dependent_parent",
                    text(
                        "Dependent parent/grandparent allowance",
                        "供養父母／祖父母免稅額",
                    ),
                )
                .amount(m)
                .detail_text(
                    format!(
                        "age {}{}",
                        p.age,
                        if p.resides_with { ", residing" } else { "" }
                    ),
                    format!("{} 歲{}", p.age, if p.resides_with { "，同住" } else { "" }),
                )
                .param(bp, base);
                if p.resides_with {
                    s = s.param(ep, extra);
                }
                s
            });
        }
    }
    let siblings = claim
        .dependants
        .iter()
        .filter(|d| matches!(d, Dependant::Sibling(_)))
        .count() as u32;
    if siblings > 0 {
        let m = prm.sibling.times_count(siblings);
        add(tr, m, &|| {
            Step::new(
                Item,
                "allowance.dependent_sibling",
                text("Dependent brother/sister allowance", "供養兄弟／姊妹免稅額"),
            )
            .amount(m)
            .detail(format!("{siblings} × {}", prm.sibling))
            .param(P::SIBLING, prm.sibling)
        });
    }
    let disabled_dependants = claim
        .dependants
        .iter()
        .filter(|d| match d {
            Dependant::Child(c) => c.disabled,
            Dependant::Parent(p) => p.disabled,
            Dependant::Sibling(s) => s.disabled,
        })
        .count() as u32
        + u32::from(claim.disabled_spouse);
    if disabled_dependants > 0 {
        let m = prm.disabled_dependant.times_count(disabled_dependants);
        add(tr, m, &|| {
            Step::new(
                Item,
                "allowance.disabled_dependant",
                text("Disabled dependant allowance", "傷殘受養人免稅額"),
            )
            .amount(m)
            .detail(format!(
                "{disabled_dependants} × {}",
                prm.disabled_dependant
            ))
            .param(P::DISABLED_DEPENDANT, prm.disabled_dependant)
        });
    }
    total
}

/// Figures for one person inside an option.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct PersonFigures {
    pub role: Role,
    /// Employment income (salaries tax) or total income (personal assessment).
    pub income: Money,
    pub deductions: Money,
    pub net_income: Money,
    /// Allowances claimed by this person (under joint assessment: the couple's, on the taxpayer).
    pub allowances: Money,
    pub net_chargeable_income: Money,
    /// This person's share of the unit's tax after reduction (joint tax apportioned by net income).
    pub tax: Money,
}

/// The result of one assessment unit (one person, or a jointly assessed couple).
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct UnitResult {
    pub income: Money,
    pub deductions: Money,
    pub net_income: Money,
    pub allowances: Money,
    pub net_chargeable_income: Money,
    pub progressive_tax: Money,
    pub standard_rate_tax: Money,
    pub tax_before_reduction: Money,
    pub reduction: Money,
    pub tax_payable: Money,
    #[serde(skip)]
    per_person_net_income: Vec<Money>,
    #[serde(skip)]
    per_person_income: Vec<Money>,
    #[serde(skip)]
    per_person_deductions: Vec<Money>,
}

/// Income a person brings into a unit: employment income under salaries tax; under personal
/// assessment also the let property's NAV (less its loan interest, up to the NAV) and business
/// profit or loss.
fn unit_income(p: &Person, regime: Regime, y: &YearParams, role: Role, tr: &mut Trace) -> Money {
    let emp = p.employment_income.0;
    if regime == Regime::Salaries {
        tr.push(|| {
            Step::new(
                Item,
                "income.employment",
                text("Income from employment", "受僱入息"),
            )
            .amount(emp)
            .detail_text(role.text().en, role.text().zh)
        });
        return emp;
    }
    let (_, _, nav) = net_assessable_value(
        p.rental_income.0,
        p.rates_paid_by_owner.0,
        p.irrecoverable_rent.0,
        &y.property,
    );
    let interest = p.rental_loan_interest.0.min(nav);
    let profit = p.business_profit.0;
    tr.push(|| {
        Step::new(
            Item,
            "income.employment",
            text("Income from employment", "受僱入息"),
        )
        .amount(emp)
        .detail_text(role.text().en, role.text().zh)
    });
    if !p.rental_income.0.is_zero() {
        tr.push(|| {
            Step::new(
                Item,
                "income.property_nav",
                text("Net assessable value of let property", "出租物業應評稅淨值"),
            )
            .amount(nav)
            .detail_text(
                format!(
                    "rent {} less irrecoverable rent and rates, less {}",
                    p.rental_income.0, y.property.statutory_allowance
                ),
                format!(
                    "租金 {} 減不能追回的租金及差餉，再減 {}",
                    p.rental_income.0, y.property.statutory_allowance
                ),
            )
            .param(P::PROPERTY_ALLOWANCE, y.property.statutory_allowance)
        });
    }
    if !interest.is_zero() {
        tr.push(|| {
            Step::new(
                Item,
                "income.rental_loan_interest",
                text(
                    "Less: interest on loan for the let property (up to its NAV)",
                    "減：出租物業貸款利息（以應評稅淨值為限）",
                ),
            )
            .amount(-interest)
        });
    }
    if !profit.is_zero() {
        tr.push(|| {
            Step::new(
                Item,
                "income.business",
                text("Business profits (loss)", "業務利潤（虧損）"),
            )
            .amount(profit)
        });
    }
    emp + nav - interest + profit
}

/// Assesses one unit. `joint` sets the couple's standard-rate threshold and lets one spouse's
/// personal-assessment loss reduce the other's income.
fn assess_unit(
    people: &[(Role, &Person)],
    claim: &AllowanceClaim<'_>,
    regime: Regime,
    joint: bool,
    y: &YearParams,
    tr: &mut Trace,
) -> UnitResult {
    let prm = &y.salaries;
    let mut r = UnitResult::default();
    tr.push(|| Step::new(Heading, "income", text("Income", "入息")));
    let mut incomes = Vec::with_capacity(people.len());
    for (role, p) in people {
        incomes.push(unit_income(p, regime, y, *role, tr));
    }
    tr.push(|| Step::new(Heading, "deductions", text("Less: Deductions", "減：扣除")));
    let mut nets = Vec::with_capacity(people.len());
    for ((_, p), &inc) in people.iter().zip(&incomes) {
        let d = person_deductions(p, prm, inc.clamp_non_negative(), tr);
        r.per_person_deductions.push(d.total());
        r.deductions += d.total();
        let net = inc - d.total();
        // A person's deductions cannot make a loss; a business loss under joint personal
        // assessment can reduce the spouse's income (DIPN 18 Appendix 2).
        let floor_each = regime == Regime::Salaries || !joint;
        nets.push(if floor_each {
            net.clamp_non_negative()
        } else {
            net.min(inc.clamp_non_negative().max(net))
        });
    }
    r.income = incomes.iter().copied().sum();
    r.per_person_income = incomes;
    r.net_income = nets.iter().copied().sum::<Money>().clamp_non_negative();
    r.per_person_net_income = nets.iter().map(|n| n.clamp_non_negative()).collect();
    let ni = r.net_income;
    let label = if regime == Regime::Personal {
        text("Reduced total income", "入息實額（個人入息課稅）")
    } else {
        text("Net income", "入息淨額")
    };
    tr.push(|| Step::new(Subtotal, "net_income", label).amount(ni));
    tr.push(|| {
        Step::new(
            Heading,
            "allowances",
            text("Less: Allowances", "減：免稅額"),
        )
    });
    r.allowances = allowances(claim, prm, tr);
    r.net_chargeable_income = (r.net_income - r.allowances).clamp_non_negative();
    let nci = r.net_chargeable_income;
    tr.push(|| {
        Step::new(
            Subtotal,
            "net_chargeable_income",
            text("Net chargeable income", "應課稅入息實額"),
        )
        .amount(nci)
    });

    tr.push(|| {
        Step::new(
            Heading,
            "progressive",
            text(
                "Tax at progressive rates on net chargeable income",
                "按累進稅率計算的稅款",
            ),
        )
        .param(
            P::PROGRESSIVE,
            hkb_law::ParamValue::Bands(prm.progressive.clone()),
        )
    });
    r.progressive_tax = progressive_traced(nci, &prm.progressive, tr);
    let prog = r.progressive_tax;
    tr.push(|| {
        Step::new(
            Subtotal,
            "progressive_tax",
            text("Tax at progressive rates", "累進稅款"),
        )
        .amount(prog)
    });
    let multiple = if joint {
        prm.couple_threshold_multiple
    } else {
        1
    };
    r.standard_rate_tax = standard_tax(ni, &prm.standard, multiple).floor_dollars();
    let std = r.standard_rate_tax;
    tr.push(|| {
        let mut s = Step::new(
            Subtotal,
            "standard_rate_tax",
            text("Tax at standard rate on net income", "按標準稅率計算的稅款"),
        )
        .amount(std)
        .detail_text(
            describe_standard(ni, &prm.standard, multiple, hkb_law::Lang::En),
            describe_standard(ni, &prm.standard, multiple, hkb_law::Lang::Zh),
        )
        .param(
            P::STANDARD_RATE,
            hkb_law::ParamValue::Tiers(prm.standard.clone()),
        );
        let first_limit = prm
            .standard
            .first()
            .and_then(|t| t.upto)
            .unwrap_or(Money(i64::MAX));
        if joint && prm.standard.len() > 1 && ni > first_limit {
            s = s.param(P::COUPLE_THRESHOLD_MULTIPLE, multiple);
        }
        s
    });
    r.tax_before_reduction = prog.min(std);
    let before = r.tax_before_reduction;
    tr.push(|| {
        Step::new(
            Subtotal,
            "tax_before_reduction",
            text(
                "Tax payable (the lower of the two)",
                "應繳稅款（兩者中較低者）",
            ),
        )
        .amount(before)
    });
    r.reduction = one_off_reduction(before, prm.reduction_rate, prm.reduction_cap);
    if prm.reduction_rate != hkb_law::Rate::ZERO {
        let red = r.reduction;
        tr.push(|| {
            Step::new(
                Item,
                "reduction",
                text("Less: one-off reduction", "減：一次性寬減"),
            )
            .amount(-red)
            .detail_text(
                format!(
                    "{} of tax, maximum {}{}",
                    prm.reduction_rate,
                    prm.reduction_cap,
                    if people.len() > 1 { " per couple" } else { "" }
                ),
                format!(
                    "稅款的 {}，{}上限 {}",
                    prm.reduction_rate,
                    if people.len() > 1 { "每對夫婦" } else { "" },
                    prm.reduction_cap
                ),
            )
            .param(P::REDUCTION_RATE, prm.reduction_rate)
            .param(P::REDUCTION_CAP, prm.reduction_cap)
        });
    }
    r.tax_payable = before - r.reduction;
    let tax = r.tax_payable;
    tr.push(|| {
        Step::new(
            Subtotal,
            "tax_payable",
            text("Tax payable after reduction", "寬減後應繳稅款"),
        )
        .amount(tax)
    });
    r
}

/// The ways a household can be assessed.
#[derive(
    Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Separate,
    Joint,
    /// A single person's personal assessment, or each spouse electing separately.
    PersonalSeparate,
    PersonalJoint,
}

/// The name of an option as a household sees it: a single person's personal assessment is
/// `personal`; for a couple it is `personal_separate` or `personal_joint`.
#[derive(
    Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[serde(rename_all = "snake_case")]
pub enum OptionId {
    Separate,
    Joint,
    Personal,
    PersonalSeparate,
    PersonalJoint,
}

impl OptionId {
    pub fn as_str(self) -> &'static str {
        match self {
            OptionId::Separate => "separate",
            OptionId::Joint => "joint",
            OptionId::Personal => "personal",
            OptionId::PersonalSeparate => "personal_separate",
            OptionId::PersonalJoint => "personal_joint",
        }
    }
}

impl std::fmt::Display for OptionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl PartialEq<&str> for OptionId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Method {
    pub fn id(self, married: bool) -> OptionId {
        match (self, married) {
            (Method::Separate, _) => OptionId::Separate,
            (Method::Joint, _) => OptionId::Joint,
            (Method::PersonalSeparate, false) => OptionId::Personal,
            (Method::PersonalSeparate, true) => OptionId::PersonalSeparate,
            (Method::PersonalJoint, _) => OptionId::PersonalJoint,
        }
    }
    pub fn label(self, married: bool) -> Text {
        match (self, married) {
            (Method::Separate, false) => text(
                "Salaries tax (with property and profits tax charged separately)",
                "薪俸稅（物業稅及利得稅分開徵收）",
            ),
            (Method::Separate, true) => text("Separate assessment", "分開評稅"),
            (Method::Joint, _) => text("Joint assessment", "合併評稅"),
            (Method::PersonalSeparate, false) => text("Personal assessment", "個人入息課稅"),
            (Method::PersonalSeparate, true) => text(
                "Personal assessment, each spouse separately",
                "個人入息課稅（夫婦分開選擇）",
            ),
            (Method::PersonalJoint, _) => text(
                "Personal assessment, jointly",
                "個人入息課稅（夫婦共同選擇）",
            ),
        }
    }
}

/// One lawful way to assess the household, fully computed.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct OptionResult {
    pub method: OptionId,
    pub label: Text,
    /// The household's total tax under this option, after one-off reductions.
    pub tax_payable: Money,
    pub tax_before_reduction: Money,
    pub reduction: Money,
    pub salaries_tax: Money,
    pub property_tax: Money,
    pub profits_tax: Money,
    /// Tax under personal assessment (replaces the three above where elected).
    pub personal_assessment_tax: Money,
    pub persons: Vec<PersonFigures>,
    /// Each assessment unit (a person, or the jointly assessed couple) under salaries tax or
    /// personal assessment.
    pub units: Vec<UnitResult>,
    pub trace: Vec<crate::trace::Step>,
}

/// The household's result: every option, the recommended one and the tax payable.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct HouseholdResult {
    pub year: YearOfAssessment,
    /// The method whose tax is reported (`recommended` unless the situation forces one).
    pub method: OptionId,
    pub recommended: OptionId,
    /// The household's final tax under `method`, after the one-off reduction.
    pub tax_payable: Money,
    pub tax_before_reduction: Money,
    pub options: Vec<OptionResult>,
    /// The trace of `method`.
    pub trace: Vec<crate::trace::Step>,
    pub notes: Vec<Text>,
}

/// Errors from a situation the law does not allow (e.g. forcing joint assessment for a single
/// person is caught earlier, by `input::check_situation`).
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The forced `assessment` is not a lawful option for this household: the option, and why
    /// in English and Chinese.
    #[error("assessment: '{0}' is not available for this household ({1})")]
    Unavailable(&'static str, &'static str, &'static str),
}

/// Enumerates who claims each dependant (`true` = the spouse) and keeps the cheapest; beyond
/// 12 dependants the search assigns all children, all parents and all siblings as three groups.
/// The allocation of dependants between spouses with the lowest tax payable; among allocations
/// with the same tax payable, the one with the lowest tax before the one-off reduction (the
/// reduction then reported is the smallest needed, rather than whichever tie was found first;
/// IRD allocates claims as the spouses nominate, and the nomination with the same bill and the
/// least reduction is what a costing that sums reductions must count).
fn best_assignment(
    deps: &[Dependant<'_>],
    eval: &mut dyn FnMut(&[bool]) -> (Money, Money),
) -> Vec<bool> {
    let group = |d: &Dependant<'_>| match d {
        Dependant::Child(_) => 0,
        Dependant::Parent(_) => 1,
        Dependant::Sibling(_) => 2,
    };
    let by_group = deps.len() > 12;
    let bits = if by_group { 3 } else { deps.len() };
    let assignment = |mask: usize| -> Vec<bool> {
        deps.iter()
            .enumerate()
            .map(|(i, d)| mask >> (if by_group { group(d) } else { i }) & 1 == 1)
            .collect()
    };
    let mut best = ((Money(i64::MAX), Money(i64::MAX)), Vec::new());
    for mask in 0..(1usize << bits) {
        let a = assignment(mask);
        let total = eval(&a);
        if total < best.0 {
            best = (total, a);
        }
    }
    best.1
}

fn dependants<'a>(s: &'a Situation, prm: &SalariesTaxParams) -> Vec<Dependant<'a>> {
    let mut v: Vec<Dependant<'_>> = s
        .children
        .0
        .iter()
        .take(prm.child_max as usize)
        .map(Dependant::Child)
        .collect();
    v.extend(s.dependent_parents.iter().map(Dependant::Parent));
    v.extend(s.dependent_siblings.iter().map(Dependant::Sibling));
    v
}

fn split<'a>(
    deps: &[Dependant<'a>],
    to_spouse: &[bool],
) -> (Vec<Dependant<'a>>, Vec<Dependant<'a>>) {
    let mut a = Vec::new();
    let mut b = Vec::new();
    for (d, &spouse) in deps.iter().zip(to_spouse) {
        if spouse { b.push(*d) } else { a.push(*d) }
    }
    (a, b)
}

/// Property tax and profits tax charged outside personal assessment, per person.
fn other_taxes(
    people: &[(Role, &Person)],
    y: &YearParams,
    tr: &mut Trace,
) -> (Money, Money, Money, Money) {
    let (mut property, mut profits_before, mut profits_reduction, mut profits) =
        (Money::ZERO, Money::ZERO, Money::ZERO, Money::ZERO);
    for (role, p) in people {
        if !p.rental_income.0.is_zero() {
            tr.push(|| {
                Step::new(Heading, "property_tax", text("Property tax", "物業稅"))
                    .detail_text(role.text().en, role.text().zh)
            });
            let r: PropertyResult = property_tax(
                p.rental_income.0,
                p.rates_paid_by_owner.0,
                p.irrecoverable_rent.0,
                12,
                &y.property,
                tr,
            );
            property += r.tax_payable;
        }
        if !p.business_profit.0.is_zero() {
            tr.push(|| {
                Step::new(
                    Heading,
                    "profits_tax",
                    text("Profits tax (sole proprietorship)", "利得稅（獨資業務）"),
                )
                .detail_text(role.text().en, role.text().zh)
            });
            let r: ProfitsResult = profits_tax(
                p.business_profit.0,
                crate::input::Entity::Unincorporated,
                true,
                &y.profits,
                tr,
            );
            profits_before += r.tax_before_reduction;
            profits_reduction += r.reduction;
            profits += r.tax_payable;
        }
    }
    (property, profits_before, profits_reduction, profits)
}

fn figures(
    role: Role,
    u: &UnitResult,
    idx: usize,
    allowances: Money,
    share_of_tax: Money,
) -> PersonFigures {
    let income = u.per_person_income.get(idx).copied().unwrap_or_default();
    let deductions = u
        .per_person_deductions
        .get(idx)
        .copied()
        .unwrap_or_default();
    let net = u
        .per_person_net_income
        .get(idx)
        .copied()
        .unwrap_or_default();
    PersonFigures {
        role,
        income,
        deductions,
        net_income: net,
        allowances,
        net_chargeable_income: (net - allowances).clamp_non_negative(),
        tax: share_of_tax,
    }
}

/// Splits a joint tax in proportion to each spouse's net income (as IRD apportions it).
fn apportion(tax: Money, nets: &[Money]) -> Vec<Money> {
    let total: i64 = nets.iter().map(|m| m.0).sum();
    if total <= 0 {
        return nets
            .iter()
            .enumerate()
            .map(|(i, _)| if i == 0 { tax } else { Money::ZERO })
            .collect();
    }
    let first = Money((tax.0 as i128 * nets[0].0 as i128 / total as i128) as i64);
    let mut v = vec![first];
    v.extend(nets.iter().skip(1).map(|_| tax - first));
    v
}

/// What a set of units (one per person, or the couple) came to under one regime.
#[derive(Default)]
struct Assessed {
    tax: Money,
    before_reduction: Money,
    reduction: Money,
    persons: Vec<PersonFigures>,
    units: Vec<UnitResult>,
}

fn assess_regime(
    people: &[(Role, &Person)],
    s: &Situation,
    regime: Regime,
    joint: bool,
    y: &YearParams,
    tr: &mut Trace,
) -> Assessed {
    if !joint {
        return assess_separately(people, s, regime, y, tr);
    }
    let (u, persons) = assess_jointly(people, s, regime, y, tr);
    Assessed {
        tax: u.tax_payable,
        before_reduction: u.tax_before_reduction,
        reduction: u.reduction,
        persons,
        units: vec![u],
    }
}

/// Assesses each person of `people` separately under `regime`, assigning dependants to
/// minimise the total; returns (total tax, total before reduction, total reduction, figures).
fn assess_separately(
    people: &[(Role, &Person)],
    s: &Situation,
    regime: Regime,
    y: &YearParams,
    tr: &mut Trace,
) -> Assessed {
    let prm = &y.salaries;
    let assessed: Vec<(Role, &Person)> = people
        .iter()
        .copied()
        .filter(|(_, p)| match regime {
            Regime::Salaries => p.has_salaries_income(),
            Regime::Personal => p.has_any_income(),
        })
        .collect();
    let deps = dependants(s, prm);
    if s.children.0.len() > prm.child_max as usize {
        tr.push(|| {
            Step::new(
                Note,
                "allowance.child_max",
                text(
                    "Child allowance is limited to the maximum number of children",
                    "子女免稅額設有子女數目上限",
                ),
            )
            .param(P::CHILD_MAX, prm.child_max)
        });
    }
    let married_alone = s.married && assessed.len() == 1;
    let single_parent = s.single_parent && !s.married;
    // A spouse with no income chargeable, who is eligible under the Government's Disability
    // Allowance Scheme, is a disabled dependant of the spouse who is assessed (IRO s.31A), also
    // under separate assessment.
    let disabled_spouse = married_alone
        && match assessed.first() {
            Some((Role::Taxpayer, _)) => s.spouse.as_ref().is_some_and(|sp| sp.disabled),
            Some((Role::Spouse, _)) => s.taxpayer.disabled,
            None => false,
        };
    fn claim_for<'a>(
        p: &Person,
        ds: Vec<Dependant<'a>>,
        married: bool,
        disabled_spouse: bool,
        single_parent: bool,
    ) -> AllowanceClaim<'a> {
        AllowanceClaim {
            married,
            single_parent,
            disabled_persons: u32::from(p.disabled),
            disabled_spouse,
            dependants: ds,
        }
    }
    if assessed.is_empty() {
        return Assessed::default();
    }
    // Who claims each dependant: everything to a lone earner, otherwise the cheapest allocation.
    let to_spouse = if assessed.len() == 1 {
        vec![false; deps.len()]
    } else {
        let mut off = Trace::off();
        best_assignment(&deps, &mut |to_spouse| {
            let (da, db) = split(&deps, to_spouse);
            [(assessed[0], da), (assessed[1], db)]
                .into_iter()
                .map(|((role, p), ds)| {
                    let u = assess_unit(
                        &[(role, p)],
                        &claim_for(p, ds, false, false, single_parent),
                        regime,
                        false,
                        y,
                        &mut off,
                    );
                    (u.tax_payable, u.tax_before_reduction)
                })
                .fold((Money::ZERO, Money::ZERO), |(a, b), (x, z)| (a + x, b + z))
        })
    };
    let (da, db) = split(&deps, &to_spouse);
    let mut out = Assessed::default();
    for ((role, p), ds) in assessed.iter().copied().zip([da, db]) {
        tr.push(|| Step::new(Heading, "unit", role.text()));
        let u = assess_unit(
            &[(role, p)],
            &claim_for(p, ds, married_alone, disabled_spouse, single_parent),
            regime,
            false,
            y,
            tr,
        );
        out.tax += u.tax_payable;
        out.before_reduction += u.tax_before_reduction;
        out.reduction += u.reduction;
        out.persons
            .push(figures(role, &u, 0, u.allowances, u.tax_payable));
        out.units.push(u);
    }
    out
}

fn assess_jointly(
    people: &[(Role, &Person)],
    s: &Situation,
    regime: Regime,
    y: &YearParams,
    tr: &mut Trace,
) -> (UnitResult, Vec<PersonFigures>) {
    let deps = dependants(s, &y.salaries);
    let claim = AllowanceClaim {
        married: true,
        single_parent: false,
        disabled_persons: people.iter().filter(|(_, p)| p.disabled).count() as u32,
        // Jointly, each spouse's own disability is in `disabled_persons`.
        disabled_spouse: false,
        dependants: deps,
    };
    let u = assess_unit(people, &claim, regime, true, y, tr);
    let shares = apportion(u.tax_payable, &u.per_person_net_income);
    let figs = people
        .iter()
        .enumerate()
        .map(|(i, (role, _))| {
            figures(
                *role,
                &u,
                i,
                if i == 0 { u.allowances } else { Money::ZERO },
                shares.get(i).copied().unwrap_or_default(),
            )
        })
        .collect();
    (u, figs)
}

fn compute_option(method: Method, s: &Situation, y: &YearParams, trace_on: bool) -> OptionResult {
    let mut tr = if trace_on { Trace::on() } else { Trace::off() };
    let spouse = s.spouse.as_ref();
    let mut people: Vec<(Role, &Person)> = vec![(Role::Taxpayer, &s.taxpayer)];
    if let Some(sp) = spouse {
        people.push((Role::Spouse, sp));
    }
    let mut o = OptionResult {
        method: method.id(s.married),
        label: method.label(s.married),
        tax_payable: Money::ZERO,
        tax_before_reduction: Money::ZERO,
        reduction: Money::ZERO,
        salaries_tax: Money::ZERO,
        property_tax: Money::ZERO,
        profits_tax: Money::ZERO,
        personal_assessment_tax: Money::ZERO,
        persons: Vec::new(),
        units: Vec::new(),
        trace: Vec::new(),
    };
    let joint = matches!(method, Method::Joint | Method::PersonalJoint);
    if matches!(method, Method::Separate | Method::Joint) {
        tr.push(|| Step::new(Heading, "salaries_tax", text("Salaries tax", "薪俸稅")));
        let a = assess_regime(&people, s, Regime::Salaries, joint, y, &mut tr);
        let (property, profits_before, profits_red, profits) = other_taxes(&people, y, &mut tr);
        o.salaries_tax = a.tax;
        o.property_tax = property;
        o.profits_tax = profits;
        o.tax_before_reduction = a.before_reduction + property + profits_before;
        o.reduction = a.reduction + profits_red;
        o.tax_payable = a.tax + property + profits;
        o.persons = a.persons;
        o.units = a.units;
    } else {
        tr.push(|| {
            Step::new(
                Heading,
                "personal_assessment",
                text("Personal assessment", "個人入息課稅"),
            )
        });
        let a = assess_regime(&people, s, Regime::Personal, joint, y, &mut tr);
        tr.push(|| {
            Step::new(Note, "personal_assessment.credit", text("Property tax and profits tax already charged are set off against tax under personal assessment", "已繳的物業稅及利得稅可抵銷個人入息課稅下的稅款"))
        });
        o.personal_assessment_tax = a.tax;
        o.tax_before_reduction = a.before_reduction;
        o.reduction = a.reduction;
        o.tax_payable = a.tax;
        o.persons = a.persons;
        o.units = a.units;
    }
    let total = o.tax_payable;
    tr.push(|| {
        Step::new(
            Total,
            "household.tax_payable",
            text("Total tax payable", "應繳稅款總額"),
        )
        .amount(total)
    });
    o.trace = tr.into_steps();
    o
}

/// The options the law allows this household.
pub fn lawful_methods(s: &Situation, y: &YearParams) -> Vec<Method> {
    let other_income =
        s.taxpayer.has_other_income() || s.spouse.as_ref().is_some_and(Person::has_other_income);
    let mut v = vec![Method::Separate];
    // Joint assessment is an election for a couple who both have income chargeable to salaries
    // tax; with one earner, separate assessment already gives the married person's allowance
    // (RULES_NOTES: PwC, DIPN 18), so joint is not offered as a separate choice. A forced
    // `assessment: joint` is still computed (see `assess_household`).
    let both_salaried = s.taxpayer.has_salaries_income()
        && s.spouse.as_ref().is_some_and(Person::has_salaries_income);
    if s.married && (both_salaried || s.assessment == Assessment::Joint) {
        v.push(Method::Joint);
    }
    if other_income {
        if !s.married {
            v.push(Method::PersonalSeparate);
        } else {
            let both_have_income = s.taxpayer.has_any_income()
                && s.spouse.as_ref().is_some_and(Person::has_any_income);
            if y.salaries.pa_separate_election && both_have_income {
                v.push(Method::PersonalSeparate);
            }
            v.push(Method::PersonalJoint);
        }
    }
    v
}

/// Computes every lawful option for a household, recommends the cheapest and reports the tax
/// under the recommended (or forced) method. `trace` controls whether explanations are built.
pub fn assess_household(
    s: &Situation,
    y: &YearParams,
    trace: bool,
) -> Result<HouseholdResult, RulesError> {
    let methods = lawful_methods(s, y);
    let options: Vec<OptionResult> = methods
        .iter()
        .map(|&m| compute_option(m, s, y, trace))
        .collect();
    // Ties go to the simplest method (the order of `lawful_methods`).
    let best = options
        .iter()
        .enumerate()
        .min_by_key(|(i, o)| (o.tax_payable, *i))
        .map(|(i, _)| i)
        .unwrap_or(0);
    let chosen = match s.assessment {
        Assessment::Auto => best,
        Assessment::Separate => 0,
        Assessment::Joint => methods.iter().position(|&m| m == Method::Joint).ok_or(RulesError::Unavailable("joint", "needs a married couple", "須為已婚夫婦"))?,
        Assessment::PersonalJoint => methods
            .iter()
            .position(|&m| m == Method::PersonalJoint)
            .ok_or(RulesError::Unavailable("personal_joint", "needs a married couple with rental or business income", "須為有租金或業務收入的已婚夫婦"))?,
        Assessment::PersonalSeparate => methods
            .iter()
            .position(|&m| m == Method::PersonalSeparate)
            .ok_or(RulesError::Unavailable("personal_separate", "needs both spouses with income, rental or business income, and YA 2018/19 or later", "須夫婦雙方均有入息、其中有租金或業務收入，並為2018/19或以後的課稅年度"))?,
        Assessment::Personal => options
            .iter()
            .enumerate()
            .filter(|(i, _)| matches!(methods[*i], Method::PersonalSeparate | Method::PersonalJoint))
            .min_by_key(|(i, o)| (o.tax_payable, *i))
            .map(|(i, _)| i)
            .ok_or(RulesError::Unavailable("personal", "personal assessment only matters with rental income or business profits", "個人入息課稅只適用於有租金收入或業務利潤的人士"))?,
    };
    let mut notes = Vec::new();
    if s.married {
        notes.push(text(
            "Joint assessment is an election: no source confirms that IRD picks the cheaper option for you; hkbudget shows every lawful option and recommends the lowest.",
            "合併評稅須由納稅人選擇：沒有資料證實稅務局會自動選取較低者；hkbudget 列出所有合法選項並建議稅款最低者。",
        ));
    }
    Ok(HouseholdResult {
        year: s.year,
        method: options[chosen].method,
        recommended: options[best].method,
        tax_payable: options[chosen].tax_payable,
        tax_before_reduction: options[chosen].tax_before_reduction,
        trace: options[chosen].trace.clone(),
        options,
        notes,
    })
}
