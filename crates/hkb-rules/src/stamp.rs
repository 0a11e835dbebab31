//! Stamp duty: ad valorem duty on immovable property (Scale 2, Scale 1 Part 1 and Part 2), buyer's
//! stamp duty, special stamp duty, and stamp duty on stock contract notes, for any instrument date
//! from 20 Nov 2010.
//!
//! Rounding: duty is charged on C, the higher of consideration and value, used exactly (it has not
//! been rounded to the next HK$100 since 1 Apr 1999), and each duty is rounded **up** to the dollar
//! (secondary SDD citing Cap. 117 and GovHK, shared/data/tax/RULES_NOTES.md "Rounding"); stock duty is
//! rounded up to the dollar on each contract note, each side separately.

use crate::input::{BuyerKind, Deal, PropertyKind, StockDeal, StockInstrument};
use crate::schedule::{duty_amount, duty_band};
use crate::trace::{Step, StepKind::*, Text, Trace, text};
use chrono::{Datelike, Months, NaiveDate};
use hkb_law::{Charge, DutyBand, Money, ParamValue, Rate, StampDutyParams, transaction_paths as P};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which table charged the ad valorem duty.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    Scale2,
    /// The residential table from 26 Feb 2026.
    Scale2Residential,
    /// Scale 1 Part 1: the flat new residential stamp duty.
    Scale1Part1,
    /// Scale 1 Part 2: doubled rates.
    Scale1Part2,
}

impl Scale {
    pub fn label(self) -> Text {
        match self {
            Scale::Scale2 => text("Scale 2", "第2標準"),
            Scale::Scale2Residential => text(
                "Residential table (from 26 Feb 2026)",
                "住宅稅表（2026年2月26日起）",
            ),
            Scale::Scale1Part1 => text(
                "Scale 1 Part 1 (new residential stamp duty)",
                "第1標準第1部（新住宅印花稅）",
            ),
            Scale::Scale1Part2 => text(
                "Scale 1 Part 2 (doubled ad valorem duty)",
                "第1標準第2部（雙倍從價印花稅）",
            ),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct PropertyDutyResult {
    pub scale: Scale,
    /// C: the higher of consideration and value.
    pub dutiable_amount: Money,
    /// Ad valorem duty at Scale 2 or Scale 1 Part 2 (0 where Part 1 applies).
    pub avd: Money,
    /// New residential stamp duty: ad valorem duty at the flat Part 1 rate.
    pub nrsd: Money,
    pub bsd: Money,
    pub ssd: Money,
    pub total_duty: Money,
    /// Whole calendar months the seller held the property, where an acquisition date was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holding_months: Option<u32>,
}

/// Last day of a period of `months` calendar months beginning on `start`: the day before the
/// corresponding day of the later month, or, when that month has no corresponding day, its last
/// day. This is how IRD counts SSD holding periods ("from a day to the preceding day of the later
/// month", IRD SSD FAQ and ssdexample Ex.3; Interpretation and General Clauses Ordinance).
pub fn period_last_day(start: NaiveDate, months: u32) -> NaiveDate {
    let Some(target) = start.checked_add_months(Months::new(months)) else {
        return NaiveDate::MAX;
    };
    if target.day() < start.day() {
        target
    } else {
        target.pred_opt().unwrap_or(target)
    }
}

/// Whole calendar months from `start` to `end`.
pub fn whole_months(start: NaiveDate, end: NaiveDate) -> u32 {
    let mut m = 0;
    while m < 1200 && period_last_day(start, m + 1) < end {
        m += 1;
    }
    m
}

fn table_step(
    tr: &mut Trace,
    key: &'static str,
    label: Text,
    c: Money,
    bands: &[DutyBand],
    path: &'static str,
    duty: Money,
) {
    tr.push(|| {
        let (i, lower) = duty_band(c, bands);
        let upto_text = |upto: Option<Money>| upto.map_or(String::new(), |u| u.to_string());
        let (en, zh) = match bands.get(i).map(|b| (b.charge, b.upto)) {
            Some((Charge::Fixed(m), upto)) => (
                format!(
                    "C up to {}: fixed {m}",
                    upto.map_or("—".into(), |u| u.to_string())
                ),
                format!(
                    "代價不超過 {}：定額 {m}",
                    upto.map_or("—".into(), |u| u.to_string())
                ),
            ),
            Some((Charge::Flat(r), upto)) => (
                format!("{c} @ {r} (band {lower}–{})", upto_text(upto)),
                format!("{c} @ {r}（稅階 {lower}–{}）", upto_text(upto)),
            ),
            Some((Charge::Marginal { base, rate }, upto)) => (
                format!(
                    "marginal relief: {base} + {rate} × ({c} − {lower}) (band {lower}–{})",
                    upto_text(upto)
                ),
                format!(
                    "邊際寬免：{base} + {rate} × ({c} − {lower})（稅階 {lower}–{}）",
                    upto_text(upto)
                ),
            ),
            None => (String::new(), String::new()),
        };
        Step::new(Item, key, label)
            .amount(duty)
            .detail_text(
                format!("{en}; rounded up to the dollar"),
                format!("{zh}；向上調整至整數元"),
            )
            .param(path, ParamValue::DutyBands(bands.to_vec()))
    });
}

fn flat_duty(c: Money, r: Rate) -> Money {
    c.times(r).ceil_dollars()
}

/// Stamp duty on one property instrument. `ssd_schedule` is the SSD schedule in force on the
/// seller's acquisition date (None where no SSD regime covered it).
pub fn property_stamp_duty(
    d: &Deal,
    p: &StampDutyParams,
    ssd_schedule: Option<&[(u32, Rate)]>,
    tr: &mut Trace,
) -> PropertyDutyResult {
    let consideration = d.consideration.0;
    let value = d.value.map_or(Money::ZERO, |v| v.0);
    let c = consideration.max(value);
    tr.push(|| {
        Step::new(
            Heading,
            "stamp.dutiable",
            text("Dutiable amount", "應課稅款額"),
        )
    });
    tr.push(|| {
        Step::new(Item, "stamp.consideration", text("Consideration", "代價")).amount(consideration)
    });
    if d.value.is_some() {
        tr.push(|| Step::new(Item, "stamp.value", text("Value", "價值")).amount(value));
    }
    tr.push(|| {
        Step::new(
            Subtotal,
            "stamp.c",
            text(
                "C: the higher of consideration and value",
                "C：代價與價值兩者中較高者",
            ),
        )
        .amount(c)
    });

    let individuals = d
        .buyers
        .iter()
        .all(|b| b.kind != BuyerKind::Company && b.acting_on_own_behalf);
    let any_hkpr = d.buyers.iter().any(|b| b.kind == BuyerKind::Hkpr);
    let all_hkpr = d.buyers.iter().all(|b| b.kind == BuyerKind::Hkpr);
    let hkpr_or_with_relatives = all_hkpr || (any_hkpr && d.buyers_are_close_relatives);
    let owns_other = d.buyers.iter().any(|b| b.owns_other_residential);
    let multiple_units = d.units > 1 && p.multiple_units_part1;
    // Scale 2 for an HKPR (alone, or with close relatives) acting on own behalf who owns no other
    // residential property in Hong Kong, buying one unit (from 12 Apr 2017).
    let first_home = individuals && hkpr_or_with_relatives && !owns_other && !multiple_units;

    let residential = d.property == PropertyKind::Residential;
    let scale = if residential {
        match (p.part1_rate, &p.part2) {
            (Some(_), _) if !first_home => Scale::Scale1Part1,
            (None, Some(_)) if !first_home => Scale::Scale1Part2,
            _ if p.scale2_residential.is_some() => Scale::Scale2Residential,
            _ => Scale::Scale2,
        }
    } else if p.non_residential_scale1 && p.part2.is_some() {
        Scale::Scale1Part2
    } else {
        Scale::Scale2
    };

    tr.push(|| {
        Step::new(
            Heading,
            "stamp.avd",
            text("Ad valorem stamp duty", "從價印花稅"),
        )
        .detail_text(scale.label().en, scale.label().zh)
    });
    let why: Text = match (residential, scale) {
        (true, Scale::Scale2 | Scale::Scale2Residential)
            if p.part1_rate.is_some() || p.part2.is_some() =>
        {
            text(
                "Scale 2: a Hong Kong permanent resident acting on own behalf, owning no other residential property",
                "第2標準：代表自己行事、沒有其他住宅物業的香港永久性居民",
            )
        }
        (true, Scale::Scale1Part1 | Scale::Scale1Part2)
            if multiple_units && individuals && hkpr_or_with_relatives && !owns_other =>
        {
            text(
                "More than one residential unit under one instrument",
                "一份文書購買多於一個住宅單位",
            )
        }
        (true, Scale::Scale1Part1 | Scale::Scale1Part2) => text(
            "Not a first-time home buyer who is a Hong Kong permanent resident",
            "並非首次置業的香港永久性居民",
        ),
        (false, Scale::Scale1Part2) => text(
            "Non-residential property at doubled rates",
            "非住宅物業按雙倍稅率",
        ),
        _ => text(
            "The same table applies to every buyer on this date",
            "該日期所有買家適用同一稅表",
        ),
    };
    tr.push(|| Step::new(Note, "stamp.scale_reason", why));
    let (mut avd, mut nrsd) = (Money::ZERO, Money::ZERO);
    match scale {
        Scale::Scale1Part1 => {
            let r = p.part1_rate.unwrap_or(Rate::ZERO);
            nrsd = flat_duty(c, r);
            tr.push(|| {
                Step::new(
                    Item,
                    "stamp.nrsd",
                    text(
                        "New residential stamp duty (Scale 1 Part 1)",
                        "新住宅印花稅（第1標準第1部）",
                    ),
                )
                .amount(nrsd)
                .detail_text(
                    format!("{c} @ {r}; rounded up to the dollar"),
                    format!("{c} @ {r}；向上調整至整數元"),
                )
                .param(P::AVD_PART1_RATE, r)
            });
            if multiple_units {
                tr.push(|| {
                    Step::new(
                        Note,
                        "stamp.multiple_units",
                        text(
                            "Since 12 Apr 2017 more than one unit under one instrument pays Part 1",
                            "自2017年4月12日起一份文書購買多於一個單位須按第1部繳稅",
                        ),
                    )
                    .param(P::AVD_MULTIPLE_UNITS_PART1, "yes")
                });
            }
        }
        Scale::Scale1Part2 => {
            let t = p.part2.as_deref().unwrap_or(&[]);
            avd = duty_amount(c, t).ceil_dollars();
            table_step(
                tr,
                "stamp.avd_part2",
                text("Scale 1 Part 2", "第1標準第2部"),
                c,
                t,
                P::AVD_PART2,
                avd,
            );
        }
        Scale::Scale2Residential => {
            let t = p.scale2_residential.as_deref().unwrap_or(&[]);
            avd = duty_amount(c, t).ceil_dollars();
            table_step(
                tr,
                "stamp.avd_residential",
                text("Residential table", "住宅稅表"),
                c,
                t,
                P::AVD_SCALE2_RESIDENTIAL,
                avd,
            );
        }
        Scale::Scale2 => {
            avd = duty_amount(c, &p.scale2).ceil_dollars();
            table_step(
                tr,
                "stamp.avd_scale2",
                text("Scale 2", "第2標準"),
                c,
                &p.scale2,
                P::AVD_SCALE2,
                avd,
            );
        }
    }

    // Buyer's stamp duty: residential, unless every buyer is an HKPR acting on own behalf (or an
    // HKPR buying with close relatives).
    let mut bsd = Money::ZERO;
    if residential {
        match p.bsd_rate {
            Some(r) if r > Rate::ZERO => {
                tr.push(|| {
                    Step::new(
                        Heading,
                        "stamp.bsd",
                        text("Buyer's stamp duty", "買家印花稅"),
                    )
                });
                if individuals && hkpr_or_with_relatives {
                    tr.push(|| {
                        Step::new(Note, "stamp.bsd_exempt", text("Exempt: Hong Kong permanent resident(s) acting on own behalf (or with close relatives)", "豁免：代表自己行事的香港永久性居民（或與近親共同購買）"))
                            .param(P::BSD_RATE, r)
                    });
                } else {
                    bsd = flat_duty(c, r);
                    tr.push(|| {
                        Step::new(Item, "stamp.bsd", text("Buyer's stamp duty", "買家印花稅"))
                            .amount(bsd)
                            .detail_text(
                                format!("{c} @ {r}; rounded up to the dollar"),
                                format!("{c} @ {r}；向上調整至整數元"),
                            )
                            .param(P::BSD_RATE, r)
                    });
                }
            }
            _ => {}
        }
    }

    // Special stamp duty: residential resale within the holding period.
    let mut ssd = Money::ZERO;
    let mut holding_months = None;
    if let (true, Some(acquired)) = (residential, d.seller_acquired) {
        let disposed = d.instrument_date.at.date();
        holding_months = Some(whole_months(acquired, disposed));
        tr.push(|| {
            Step::new(
                Heading,
                "stamp.ssd",
                text("Special stamp duty", "額外印花稅"),
            )
        });
        match (p.ssd_in_force, ssd_schedule) {
            (false, _) => tr.push(|| Step::new(Note, "stamp.ssd_abolished", text("Not charged: abolished for instruments executed on or after 28 Feb 2024", "不徵收：2024年2月28日或以後簽立的文書已取消")).param(P::SSD_IN_FORCE, "no")),
            (true, None) => tr.push(|| Step::new(Note, "stamp.ssd_none", text("Not charged: the property was acquired before special stamp duty began (20 Nov 2010)", "不徵收：物業在額外印花稅實施（2010年11月20日）前購入"))),
            (true, Some(rows)) => {
                let cap = p.ssd_max_months;
                let found = rows.iter().map(|&(m, r)| (cap.map_or(m, |c| m.min(c)), r)).find(|&(m, _)| disposed <= period_last_day(acquired, m));
                match found {
                    Some((m, r)) => {
                        ssd = flat_duty(c, r);
                        tr.push(|| {
                            let mut s = Step::new(Item, "stamp.ssd", text("Special stamp duty", "額外印花稅"))
                                .amount(ssd)
                                .detail_text(
                                    format!("held {acquired} to {disposed}: {m} months or less; {c} @ {r}"),
                                    format!("由 {acquired} 持有至 {disposed}：{m} 個月或以下；{c} @ {r}"),
                                )
                                .param(P::SSD_RATES, ParamValue::HoldingSchedule(rows.to_vec()));
                            if let Some(c) = cap {
                                s = s.param(P::SSD_MAX_MONTHS, c);
                            }
                            s
                        });
                    }
                    None => tr.push(|| {
                        Step::new(Note, "stamp.ssd_beyond", text("Not charged: held longer than the holding period", "不徵收：持有期已超過徵稅期"))
                            .detail_text(
                                format!("held {acquired} to {disposed}"),
                                format!("由 {acquired} 持有至 {disposed}"),
                            )
                            .param(P::SSD_RATES, ParamValue::HoldingSchedule(rows.to_vec()))
                    }),
                }
            }
        }
    }
    let total = avd + nrsd + bsd + ssd;
    tr.push(|| {
        Step::new(Total, "stamp.total", text("Total stamp duty", "印花稅總額")).amount(total)
    });
    PropertyDutyResult {
        scale,
        dutiable_amount: c,
        avd,
        nrsd,
        bsd,
        ssd,
        total_duty: total,
        holding_months,
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct StockDutyResult {
    pub rate: Rate,
    pub exempt: bool,
    /// Duty on one contract note (one side).
    pub duty_per_side: Money,
    pub buyer_duty: Money,
    pub seller_duty: Money,
    /// Both sides.
    pub total_duty: Money,
}

/// Stamp duty on a Hong Kong stock transaction: each side's contract note pays the rate on the
/// consideration, rounded up to the dollar.
pub fn stock_stamp_duty(d: &StockDeal, p: &StampDutyParams, tr: &mut Trace) -> StockDutyResult {
    let c = d.consideration.0;
    let exempt = match d.instrument {
        StockInstrument::Shares => false,
        StockInstrument::ReitUnits => p.reit_units_exempt,
        StockInstrument::MarketMakerHedging => p.market_maker_exempt,
    };
    let per_side = if exempt {
        Money::ZERO
    } else {
        c.times(p.stock_rate).ceil_dollars()
    };
    tr.push(|| Step::new(Item, "stock.consideration", text("Consideration", "代價")).amount(c));
    if exempt {
        tr.push(|| {
            let path = if d.instrument == StockInstrument::ReitUnits {
                P::STOCK_REIT_EXEMPT
            } else {
                P::STOCK_MARKET_MAKER_EXEMPT
            };
            Step::new(
                Note,
                "stock.exempt",
                text("Exempt from stamp duty on this date", "該日期獲豁免印花稅"),
            )
            .param(path, "yes")
        });
    }
    tr.push(|| {
        Step::new(
            Item,
            "stock.per_side",
            text(
                "Duty on each contract note (buyer's, seller's)",
                "每張成交單據的印花稅（買方、賣方）",
            ),
        )
        .amount(per_side)
        .detail_text(
            format!("{c} @ {}; rounded up to the dollar", p.stock_rate),
            format!("{c} @ {}；向上調整至整數元", p.stock_rate),
        )
        .param(P::STOCK_RATE, p.stock_rate)
    });
    let total = per_side + per_side;
    tr.push(|| {
        Step::new(
            Total,
            "stock.total",
            text("Total stamp duty (both sides)", "印花稅總額（買賣雙方）"),
        )
        .amount(total)
    });
    StockDutyResult {
        rate: p.stock_rate,
        exempt,
        duty_per_side: per_side,
        buyer_duty: per_side,
        seller_duty: per_side,
        total_duty: total,
    }
}

/// A dated computation with everything needed to explain it: the result, its trace, the law it
/// used (with values resolved at other instants merged in) and warnings.
#[derive(Clone, Debug)]
pub struct Dated<T> {
    pub result: T,
    pub trace: Vec<Step>,
    pub set: hkb_law::ParamSet,
    pub warnings: Vec<Text>,
}

fn resolve_at(
    law: &hkb_law::Law,
    at: chrono::NaiveDateTime,
    reform: Option<&hkb_law::Reform>,
) -> Result<hkb_law::ParamSet, hkb_law::LawError> {
    law.resolve_at(at, &at.format("%Y-%m-%d %H:%M").to_string(), reform)
}

/// When only a date was given and the law changed during that day (11am on 22 Feb 2023), says
/// so: the start of the day was used.
fn intraday_warning(
    law: &hkb_law::Law,
    t: &crate::input::InstrumentTime,
    set: &hkb_law::ParamSet,
    reform: Option<&hkb_law::Reform>,
) -> Result<Option<Text>, hkb_law::LawError> {
    if t.time_given {
        return Ok(None);
    }
    let end =
        t.at.date()
            .and_time(chrono::NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(chrono::NaiveTime::MIN));
    let later = resolve_at(law, end, reform)?;
    let changed = P::ALL
        .iter()
        .any(|p| set.get(p).map(|r| &r.value) != later.get(p).map(|r| &r.value));
    Ok(changed.then(|| {
        let d = t.at.date();
        Text::new(
            format!("the law changed during {d} (not at midnight); the start of the day was used — give the time, e.g. {d}T11:30"),
            format!("法例於 {d} 當日（並非午夜）有所改變；已採用當日開始時的法例——請提供時間，例如 {d}T11:30"),
        )
    }))
}

/// Resolves the law on the instrument's date (and the SSD schedule on the seller's acquisition
/// date) and computes the duty. The deal must have passed `input::check_deal`.
pub fn assess_deal(
    law: &hkb_law::Law,
    d: &Deal,
    reform: Option<&hkb_law::Reform>,
    trace: bool,
) -> Result<Dated<PropertyDutyResult>, hkb_law::LawError> {
    let mut set = resolve_at(law, d.instrument_date.at, reform)?;
    let params = StampDutyParams::from_set(&set)?;
    let mut warnings: Vec<Text> = intraday_warning(law, &d.instrument_date, &set, reform)?
        .into_iter()
        .collect();
    let schedule = match d.seller_acquired {
        Some(acq) => {
            let acq_set = resolve_at(law, acq.and_time(chrono::NaiveTime::MIN), reform)?;
            if let Some(r) = acq_set.get(P::SSD_RATES) {
                set.insert(P::SSD_RATES, r.clone());
            }
            acq_set.opt_holding_schedule(P::SSD_RATES)?
        }
        None => {
            if d.property == PropertyKind::Residential && params.ssd_in_force {
                warnings.push(text(
                    "no seller_acquired date given: special stamp duty not computed",
                    "未提供 seller_acquired（賣方取得日期）：未計算額外印花稅",
                ));
            }
            None
        }
    };
    let mut tr = if trace { Trace::on() } else { Trace::off() };
    let result = property_stamp_duty(d, &params, schedule.as_deref(), &mut tr);
    Ok(Dated {
        result,
        trace: tr.into_steps(),
        set,
        warnings,
    })
}

/// Resolves the law on the transaction date and computes stock stamp duty.
pub fn assess_stock(
    law: &hkb_law::Law,
    d: &StockDeal,
    reform: Option<&hkb_law::Reform>,
    trace: bool,
) -> Result<Dated<StockDutyResult>, hkb_law::LawError> {
    let set = resolve_at(law, d.date.at, reform)?;
    let params = StampDutyParams::from_set(&set)?;
    let mut tr = if trace { Trace::on() } else { Trace::off() };
    let result = stock_stamp_duty(d, &params, &mut tr);
    Ok(Dated {
        result,
        trace: tr.into_steps(),
        set,
        warnings: Vec::new(),
    })
}
