//! Rates: a percentage charge on rateable value, payable quarterly in advance; progressive for
//! domestic tenements above HK$550,000 from 1 Jan 2025; less the concession per tenement per
//! quarter for the financial year.
//!
//! Rounding: no rounding rule was found in the sources; quarterly rates are kept to the cent
//! (annual rates ÷ 4) and the concession is capped at each quarter's rates.

use crate::trace::{Step, StepKind::*, Trace, text};
use hkb_law::{Money, ParamValue, RatesParams, transaction_paths as P};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct QuarterRates {
    pub quarter: u8,
    /// First day of the quarter.
    pub starts: String,
    pub rates: Money,
    pub concession: Money,
    pub payable: Money,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct RatesResult {
    pub rateable_value: Money,
    pub domestic: bool,
    pub rates_before_concession: Money,
    pub concession: Money,
    pub rates_payable: Money,
    pub quarters: Vec<QuarterRates>,
}

/// One quarter's rates before any concession: a quarter of the annual percentage charge, to the
/// cent below.
pub fn quarter_rates(
    rateable_value: Money,
    domestic: bool,
    progressive_excluded: bool,
    prm: &RatesParams,
) -> Money {
    let annual = if domestic && !progressive_excluded {
        crate::schedule::tiers_amount(rateable_value, &prm.domestic, 1)
    } else if domestic {
        // Public rental housing and similar tenements stay at the first (5%) rate.
        rateable_value.times(prm.domestic.first().map_or(prm.non_domestic, |t| t.rate))
    } else {
        rateable_value.times(prm.non_domestic)
    };
    hkb_law::Precise(annual.0 / 4).floor_cents()
}

/// The rates law of one financial year, resolved once: each quarter's scale and each class's
/// concession. For many tenements (the society-wide model): `payable` is the arithmetic of
/// `rates_for_year` without its trace.
#[derive(Clone, Debug)]
pub struct RatesYear {
    pub quarters: [(chrono::NaiveDate, RatesParams); 4],
    pub concession_domestic: Option<[Money; 4]>,
    pub concession_non_domestic: Option<[Money; 4]>,
}

impl RatesYear {
    /// Resolves the law (with a reform, if any) at the first day of each quarter of `fy`.
    pub fn resolve(
        law: &hkb_law::Law,
        fy: hkb_law::FinancialYear,
        reform: Option<&hkb_law::Reform>,
    ) -> Result<Self, hkb_law::LawError> {
        let sets = quarter_sets(law, fy, reform)?;
        let mut quarters = Vec::with_capacity(4);
        for (day, set) in &sets {
            quarters.push((*day, RatesParams::from_set(set)?));
        }
        let no_quarters = || hkb_law::LawError::NoValue {
            path: P::RATES_DOMESTIC.into(),
            when: fy.to_string(),
            hint: " (four quarters expected)".into(),
        };
        let first = &sets.first().ok_or_else(no_quarters)?.1;
        Ok(RatesYear {
            concession_domestic: first.opt_quarterly(P::RATES_CONCESSION_DOMESTIC)?,
            concession_non_domestic: first.opt_quarterly(P::RATES_CONCESSION_NON_DOMESTIC)?,
            quarters: quarters.try_into().map_err(|_| no_quarters())?,
        })
    }

    /// Rates of the year before concession, and the concession granted (each quarter's
    /// concession capped at that quarter's rates).
    pub fn payable(
        &self,
        rateable_value: Money,
        domestic: bool,
        progressive_excluded: bool,
    ) -> (Money, Money) {
        let concession = if domestic {
            self.concession_domestic
        } else {
            self.concession_non_domestic
        };
        let mut before = Money::ZERO;
        let mut granted = Money::ZERO;
        for (i, (_, prm)) in self.quarters.iter().enumerate() {
            let rates = quarter_rates(rateable_value, domestic, progressive_excluded, prm);
            before += rates;
            granted += concession.map_or(Money::ZERO, |c| c[i]).min(rates);
        }
        (before, granted)
    }
}

/// The parameter set in force on the first day of each quarter of `fy`.
fn quarter_sets(
    law: &hkb_law::Law,
    fy: hkb_law::FinancialYear,
    reform: Option<&hkb_law::Reform>,
) -> Result<Vec<(chrono::NaiveDate, hkb_law::ParamSet)>, hkb_law::LawError> {
    let start = fy.first_day();
    let label = fy.to_string();
    (0..4u32)
        .map(|q| {
            let day = start
                .checked_add_months(chrono::Months::new(3 * q))
                .unwrap_or(start);
            Ok((
                day,
                law.resolve_at(day.and_time(chrono::NaiveTime::MIN), &label, reform)?,
            ))
        })
        .collect()
}

/// Rates for one tenement over a financial year. `quarters` holds each quarter's first day and the
/// rates law in force then; `concession` the year's concession per quarter (None where unknown).
pub fn rates_for_year(
    rateable_value: Money,
    domestic: bool,
    progressive_excluded: bool,
    quarters: &[(chrono::NaiveDate, RatesParams); 4],
    concession: Option<[Money; 4]>,
    tr: &mut Trace,
) -> RatesResult {
    let mut out = Vec::with_capacity(4);
    tr.push(|| {
        Step::new(
            Item,
            "rates.rateable_value",
            text("Rateable value", "應課差餉租值"),
        )
        .amount(rateable_value)
    });
    for (i, (start, prm)) in quarters.iter().enumerate() {
        let rates = quarter_rates(rateable_value, domestic, progressive_excluded, prm);
        let conc = concession.map_or(Money::ZERO, |c| c[i]).min(rates);
        let q = (i + 1) as u8;
        tr.push(|| {
            let (path, value) = if domestic {
                (
                    P::RATES_DOMESTIC,
                    ParamValue::Tiers(prm.domestic.clone()).to_string(),
                )
            } else {
                (P::RATES_NON_DOMESTIC, prm.non_domestic.to_string())
            };
            let mut s = Step::new(
                Item,
                "rates.quarter",
                text("Quarter's rates less concession", "該季差餉減寬減"),
            )
            .amount(rates - conc)
            .detail_text(
                format!("Q{q} from {start}: {rates} − concession {conc}"),
                format!("第{q}季（由 {start} 起）：{rates} − 寬減 {conc}"),
            )
            .param(path, value);
            if concession.is_some() {
                s = s.param(
                    if domestic {
                        P::RATES_CONCESSION_DOMESTIC
                    } else {
                        P::RATES_CONCESSION_NON_DOMESTIC
                    },
                    conc,
                );
            }
            s
        });
        out.push(QuarterRates {
            quarter: q,
            starts: start.to_string(),
            rates,
            concession: conc,
            payable: rates - conc,
        });
    }
    let before: Money = out.iter().map(|q| q.rates).sum();
    let conc: Money = out.iter().map(|q| q.concession).sum();
    tr.push(|| {
        Step::new(
            Subtotal,
            "rates.before_concession",
            text("Rates for the year before concession", "全年差餉（寬減前）"),
        )
        .amount(before)
    });
    tr.push(|| {
        Step::new(
            Item,
            "rates.concession",
            text("Less: rates concession", "減：差餉寬減"),
        )
        .amount(-conc)
    });
    tr.push(|| {
        Step::new(
            Total,
            "rates.payable",
            text("Rates payable for the year", "全年應繳差餉"),
        )
        .amount(before - conc)
    });
    RatesResult {
        rateable_value,
        domestic,
        rates_before_concession: before,
        concession: conc,
        rates_payable: before - conc,
        quarters: out,
    }
}

/// Resolves the rates law at each quarter of the financial year `fy` (the year starting 1 April
/// of `fy.0`) and the year's concession, and computes the tenement's rates.
pub fn assess_tenement(
    law: &hkb_law::Law,
    fy: hkb_law::FinancialYear,
    t: &crate::input::Tenement,
    reform: Option<&hkb_law::Reform>,
    trace: bool,
) -> Result<crate::stamp::Dated<RatesResult>, hkb_law::LawError> {
    let label = fy.to_string();
    let mut sets = Vec::with_capacity(4);
    let mut quarters = Vec::with_capacity(4);
    for (day, set) in quarter_sets(law, fy, reform)? {
        quarters.push((day, RatesParams::from_set(&set)?));
        sets.push(set);
    }
    let mut set = sets.swap_remove(0);
    // Where the scale changed mid-year (1 Jan 2025), show the later scale among the parameters.
    if let Some(r) = sets.last().and_then(|s| s.get(P::RATES_DOMESTIC))
        && set.get(P::RATES_DOMESTIC).map(|x| &x.value) != Some(&r.value)
    {
        set.insert(P::RATES_DOMESTIC, r.clone());
    }
    let conc_path = if t.domestic {
        P::RATES_CONCESSION_DOMESTIC
    } else {
        P::RATES_CONCESSION_NON_DOMESTIC
    };
    let concession = set.opt_quarterly(conc_path)?;
    let quarters: [(chrono::NaiveDate, RatesParams); 4] = match quarters.try_into() {
        Ok(q) => q,
        Err(_) => {
            return Err(hkb_law::LawError::NoValue {
                path: P::RATES_DOMESTIC.into(),
                when: label,
                hint: " (four quarters expected)".into(),
            });
        }
    };
    let mut tr = if trace { Trace::on() } else { Trace::off() };
    let result = rates_for_year(
        t.rateable_value.0,
        t.domestic,
        t.progressive_excluded,
        &quarters,
        concession,
        &mut tr,
    );
    Ok(crate::stamp::Dated {
        result,
        trace: tr.into_steps(),
        set,
        warnings: Vec::new(),
    })
}
