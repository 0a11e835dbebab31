//! Property tax: net assessable value after rates paid by the owner, irrecoverable rent and the
//! statutory allowance; tax at the standard rate; provisional tax for the next year.

use crate::trace::{Step, StepKind::*, Trace, text};
use hkb_law::{Money, PropertyTaxParams, paths as P};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct PropertyResult {
    pub rental_income: Money,
    /// Rent less irrecoverable rent less rates paid by the owner (never below zero).
    pub assessable_value: Money,
    pub statutory_allowance: Money,
    pub net_assessable_value: Money,
    pub tax_payable: Money,
    /// Provisional property tax for the following year (NAV grossed up to 12 months).
    pub provisional_tax: Money,
}

/// Net assessable value: (rent − irrecoverable rent − rates paid by owner) × (1 − allowance).
/// Source: GovHK "How property tax is computed"; IRO s.5B. The allowance is floored to the cent.
pub fn net_assessable_value(
    rent: Money,
    rates: Money,
    irrecoverable: Money,
    prm: &PropertyTaxParams,
) -> (Money, Money, Money) {
    let av = (rent - irrecoverable - rates).clamp_non_negative();
    let allowance = av.times_floor_cent(prm.statutory_allowance);
    (av, allowance, av - allowance)
}

/// Property tax on one property for a year, with provisional tax for the next.
///
/// Rounding: tax is truncated to the whole dollar (IRD assesses in whole dollars; GovHK Example 1:
/// NAV 96,000 × 15% = 14,400). Provisional tax uses the same year's rate (the next year's law is
/// assumed unchanged) on NAV grossed up to 12 months where the property was let part of the year
/// (CLIC and kaizencpa examples, as recorded in shared/data/tax/RULES_NOTES.md).
pub fn property_tax(
    rent: Money,
    rates: Money,
    irrecoverable: Money,
    months_let: u32,
    prm: &PropertyTaxParams,
    tr: &mut Trace,
) -> PropertyResult {
    let (av, allowance, nav) = net_assessable_value(rent, rates, irrecoverable, prm);
    let tax = nav.times(prm.rate).floor_dollars();
    let months = months_let.clamp(1, 12);
    let nav_full_year = if months == 12 {
        nav
    } else {
        nav.times_ratio_floor(12, i64::from(months))
    };
    let provisional = nav_full_year.times(prm.rate).floor_dollars();
    tr.push(|| Step::new(Item, "property.rent", text("Rental income", "租金收入")).amount(rent));
    if !irrecoverable.is_zero() {
        tr.push(|| {
            Step::new(
                Item,
                "property.irrecoverable_rent",
                text("Less: irrecoverable rent", "減：無法追討的租金"),
            )
            .amount(-irrecoverable)
        });
    }
    if !rates.is_zero() {
        tr.push(|| {
            Step::new(
                Item,
                "property.rates",
                text("Less: rates paid by owner", "減：業主繳付的差餉"),
            )
            .amount(-rates)
        });
    }
    tr.push(|| {
        Step::new(
            Subtotal,
            "property.assessable_value",
            text("Assessable value", "應評稅值"),
        )
        .amount(av)
    });
    tr.push(|| {
        Step::new(
            Item,
            "property.statutory_allowance",
            text(
                "Less: statutory allowance for repairs and outgoings",
                "減：修葺及支出免稅額",
            ),
        )
        .amount(-allowance)
        .detail(format!("{av} × {}", prm.statutory_allowance))
        .param(P::PROPERTY_ALLOWANCE, prm.statutory_allowance)
    });
    tr.push(|| {
        Step::new(
            Subtotal,
            "property.net_assessable_value",
            text("Net assessable value", "應評稅淨值"),
        )
        .amount(nav)
    });
    tr.push(|| {
        Step::new(
            Total,
            "property.tax",
            text("Property tax payable", "應繳物業稅"),
        )
        .amount(tax)
        .detail(format!("{nav} × {}", prm.rate))
        .param(P::PROPERTY_RATE, prm.rate)
    });
    tr.push(|| {
        let mut s = Step::new(
            Item,
            "property.provisional_tax",
            text(
                "Provisional property tax for the following year",
                "下一課稅年度暫繳物業稅",
            ),
        )
        .amount(provisional)
        .param(P::PROPERTY_RATE, prm.rate);
        if months != 12 {
            s = s.detail(format!("{nav} × 12/{months} × {}", prm.rate));
        }
        s
    });
    PropertyResult {
        rental_income: rent,
        assessable_value: av,
        statutory_allowance: allowance,
        net_assessable_value: nav,
        tax_payable: tax,
        provisional_tax: provisional,
    }
}
