//! Profits tax: two-tiered rates for the nominated entity among connected entities, flat rates
//! otherwise and before 2018/19, and the one-off reduction per business.

use crate::input::Entity;
use crate::trace::{Step, StepKind::*, Trace, text};
use hkb_law::{Money, Precise, ProfitsTaxParams, Rate, paths as P};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct ProfitsResult {
    pub assessable_profits: Money,
    pub tax_before_reduction: Money,
    pub reduction: Money,
    pub tax_payable: Money,
    /// Whether the two-tiered rates applied.
    pub two_tier: bool,
}

/// The one-off reduction on a final tax: `rate` of the tax, rounded up to the dollar, capped.
///
/// Rounding: DIPN 18 Example 2 (2017/18, 75% reduction) turns tax of 3,770 into 942 after the
/// reduction (3,770 × 25% = 942.50), i.e. the tax left is truncated to the dollar. We compute
/// the tax left as floor(tax × (1 − rate)) and the reduction as the difference, then cap it.
#[inline]
pub fn one_off_reduction(tax: Money, rate: Rate, cap: Money) -> Money {
    if rate == Rate::ZERO || tax <= Money::ZERO {
        return Money::ZERO;
    }
    let left = tax.times(rate.complement()).floor_dollars();
    (tax - left).min(cap)
}

/// Profits tax for one business and year.
///
/// Rounding: tax truncated to the whole dollar (no authoritative source found for corporations;
/// this is the IRD practice for salaries tax, stated as an assumption in docs/RULES.md).
pub fn profits_tax(
    profits: Money,
    entity: Entity,
    nominated: bool,
    prm: &ProfitsTaxParams,
    tr: &mut Trace,
) -> ProfitsResult {
    let (rate, lower, rate_path, lower_path) = match entity {
        Entity::Corporation => (
            prm.corporation_rate,
            prm.corporation_lower,
            P::PT_CORP_RATE,
            P::PT_CORP_LOWER,
        ),
        Entity::Unincorporated => (
            prm.unincorporated_rate,
            prm.unincorporated_lower,
            P::PT_UNINC_RATE,
            P::PT_UNINC_LOWER,
        ),
    };
    let taxable = profits.clamp_non_negative();
    tr.push(|| {
        Step::new(
            Item,
            "profits.assessable_profits",
            text("Assessable profits", "應評稅利潤"),
        )
        .amount(profits)
    });
    if profits < Money::ZERO {
        tr.push(|| {
            Step::new(
                Note,
                "profits.loss",
                text(
                    "A loss: no tax; the loss is carried forward against future profits",
                    "虧損：無須繳稅；虧損可結轉以抵銷日後利潤",
                ),
            )
        });
    }
    let two_tier = nominated && prm.threshold.is_some() && lower.is_some();
    let exact: Precise = match (two_tier, prm.threshold, lower) {
        (true, Some(threshold), Some(lower_rate)) => {
            let first = taxable.min(threshold);
            let rest = (taxable - threshold).clamp_non_negative();
            tr.push(|| {
                Step::new(
                    Item,
                    "profits.first_tier",
                    text("First tier at the lower rate", "第一級（較低稅率）"),
                )
                .amount(first.times(lower_rate).floor_cents())
                .detail(format!("{first} @ {lower_rate}"))
                .param(P::PT_THRESHOLD, threshold)
                .param(lower_path, lower_rate)
            });
            tr.push(|| {
                Step::new(
                    Item,
                    "profits.second_tier",
                    text("Remainder at the standard rate", "餘額（標準稅率）"),
                )
                .amount(rest.times(rate).floor_cents())
                .detail(format!("{rest} @ {rate}"))
                .param(rate_path, rate)
            });
            first.times(lower_rate) + rest.times(rate)
        }
        _ => {
            tr.push(|| {
                let (why_en, why_zh) = if prm.threshold.is_none() {
                    (
                        "two-tiered rates not in force this year",
                        "本年度未實施兩級制稅率",
                    )
                } else {
                    (
                        "not the nominated entity among connected entities: flat rate",
                        "並非有關連實體中獲提名的實體：按單一稅率",
                    )
                };
                Step::new(
                    Item,
                    "profits.flat",
                    text(
                        "Assessable profits at the standard rate",
                        "應評稅利潤（標準稅率）",
                    ),
                )
                .amount(taxable.times(rate).floor_cents())
                .detail_text(
                    format!("{taxable} @ {rate} ({why_en})"),
                    format!("{taxable} @ {rate}（{why_zh}）"),
                )
                .param(rate_path, rate)
            });
            taxable.times(rate)
        }
    };
    let before = exact.floor_dollars();
    let reduction = one_off_reduction(before, prm.reduction_rate, prm.reduction_cap);
    tr.push(|| {
        Step::new(
            Subtotal,
            "profits.tax_before_reduction",
            text("Profits tax", "利得稅"),
        )
        .amount(before)
    });
    if !reduction.is_zero() || prm.reduction_rate != Rate::ZERO {
        tr.push(|| {
            Step::new(
                Item,
                "profits.reduction",
                text("Less: one-off reduction", "減：一次性寬減"),
            )
            .amount(-reduction)
            .detail_text(
                format!(
                    "{} of tax, maximum {}",
                    prm.reduction_rate, prm.reduction_cap
                ),
                format!("稅款的 {}，上限 {}", prm.reduction_rate, prm.reduction_cap),
            )
            .param(P::PT_REDUCTION_RATE, prm.reduction_rate)
            .param(P::PT_REDUCTION_CAP, prm.reduction_cap)
        });
    }
    tr.push(|| {
        Step::new(
            Total,
            "profits.tax",
            text("Profits tax payable", "應繳利得稅"),
        )
        .amount(before - reduction)
    });
    ProfitsResult {
        assessable_profits: profits,
        tax_before_reduction: before,
        reduction,
        tax_payable: before - reduction,
        two_tier,
    }
}
