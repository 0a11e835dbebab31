//! Typed parameters for each tax, resolved once per year (and reform). The calculators read only
//! these structs; `paths` ties each field to its node in `params/`.

use crate::error::LawError;
use crate::money::{Money, Rate};
use crate::period::YearOfAssessment;
use crate::resolve::ParamSet;
use crate::value::{Band, Tier};

/// Node paths of every parameter the income-tax rules use.
pub mod paths {
    pub const PROGRESSIVE: &str = "salaries_tax.progressive";
    pub const STANDARD_RATE: &str = "salaries_tax.standard_rate";
    pub const COUPLE_THRESHOLD_MULTIPLE: &str =
        "salaries_tax.standard_rate_couple_threshold_multiple";
    pub const REDUCTION_RATE: &str = "salaries_tax.one_off_reduction.rate";
    pub const REDUCTION_CAP: &str = "salaries_tax.one_off_reduction.cap";
    pub const BASIC: &str = "salaries_tax.allowances.basic";
    pub const MARRIED: &str = "salaries_tax.allowances.married";
    pub const SINGLE_PARENT: &str = "salaries_tax.allowances.single_parent";
    pub const CHILD: &str = "salaries_tax.allowances.child";
    pub const CHILD_BIRTH_YEAR: &str = "salaries_tax.allowances.child_birth_year";
    pub const CHILD_BIRTH_YEAR_MAX_YEARS: &str =
        "salaries_tax.allowances.child_birth_year_max_years";
    pub const CHILD_MAX: &str = "salaries_tax.allowances.child_max_count";
    pub const PARENT_60: &str = "salaries_tax.allowances.dependent_parent_60";
    pub const PARENT_60_RESIDING: &str = "salaries_tax.allowances.dependent_parent_60_residing";
    pub const PARENT_55: &str = "salaries_tax.allowances.dependent_parent_55";
    pub const PARENT_55_RESIDING: &str = "salaries_tax.allowances.dependent_parent_55_residing";
    pub const SIBLING: &str = "salaries_tax.allowances.dependent_sibling";
    pub const DISABLED_DEPENDANT: &str = "salaries_tax.allowances.disabled_dependant";
    pub const PERSONAL_DISABILITY: &str = "salaries_tax.allowances.personal_disability";
    pub const SELF_EDUCATION: &str = "salaries_tax.deductions.self_education";
    pub const MPF: &str = "salaries_tax.deductions.mpf_mandatory";
    pub const MPF_RATE: &str = "mpf.contribution_rate";
    pub const PROVISIONAL_FIRST: &str = "salaries_tax.provisional.first_instalment_share";
    pub const MPF_MIN_INCOME: &str = "mpf.minimum_relevant_income";
    pub const MPF_MAX_INCOME: &str = "mpf.maximum_relevant_income";
    pub const HLI: &str = "salaries_tax.deductions.home_loan_interest";
    pub const HLI_MAX_YEARS: &str = "salaries_tax.deductions.home_loan_interest_max_years";
    pub const NEWBORN_TOP_UP: &str = "salaries_tax.deductions.newborn_top_up";
    pub const NEWBORN_MAX_YEARS: &str = "salaries_tax.deductions.newborn_top_up_max_years";
    pub const DOMESTIC_RENT: &str = "salaries_tax.deductions.domestic_rent";
    pub const ELDERLY_CARE: &str = "salaries_tax.deductions.elderly_residential_care";
    pub const VHIS: &str = "salaries_tax.deductions.vhis";
    pub const TVC_QDAP: &str = "salaries_tax.deductions.tvc_qdap";
    pub const ARS: &str = "salaries_tax.deductions.assisted_reproductive_services";
    pub const DONATIONS_MIN: &str = "salaries_tax.deductions.donations_minimum";
    pub const DONATIONS_CAP_RATE: &str = "salaries_tax.deductions.donations_cap_rate";
    pub const PA_SEPARATE_ELECTION: &str = "personal_assessment.separate_election";
    pub const PT_THRESHOLD: &str = "profits_tax.two_tier_threshold";
    pub const PT_CORP_RATE: &str = "profits_tax.corporation.standard_rate";
    pub const PT_CORP_LOWER: &str = "profits_tax.corporation.lower_rate";
    pub const PT_UNINC_RATE: &str = "profits_tax.unincorporated.standard_rate";
    pub const PT_UNINC_LOWER: &str = "profits_tax.unincorporated.lower_rate";
    pub const PT_REDUCTION_RATE: &str = "profits_tax.one_off_reduction.rate";
    pub const PT_REDUCTION_CAP: &str = "profits_tax.one_off_reduction.cap";
    pub const PROPERTY_RATE: &str = "property_tax.standard_rate";
    pub const PROPERTY_ALLOWANCE: &str = "property_tax.statutory_allowance";

    /// Every path above, for checks that each is present in the tree and wired into the rules.
    pub const ALL_INCOME_TAX: &[&str] = &[
        PROGRESSIVE,
        STANDARD_RATE,
        COUPLE_THRESHOLD_MULTIPLE,
        REDUCTION_RATE,
        REDUCTION_CAP,
        BASIC,
        MARRIED,
        SINGLE_PARENT,
        CHILD,
        CHILD_BIRTH_YEAR,
        CHILD_BIRTH_YEAR_MAX_YEARS,
        CHILD_MAX,
        PARENT_60,
        PARENT_60_RESIDING,
        PARENT_55,
        PARENT_55_RESIDING,
        SIBLING,
        DISABLED_DEPENDANT,
        PERSONAL_DISABILITY,
        SELF_EDUCATION,
        MPF,
        HLI,
        HLI_MAX_YEARS,
        NEWBORN_TOP_UP,
        NEWBORN_MAX_YEARS,
        DOMESTIC_RENT,
        ELDERLY_CARE,
        VHIS,
        TVC_QDAP,
        ARS,
        DONATIONS_MIN,
        DONATIONS_CAP_RATE,
        PA_SEPARATE_ELECTION,
        PT_THRESHOLD,
        PT_CORP_RATE,
        PT_CORP_LOWER,
        PT_UNINC_RATE,
        PT_UNINC_LOWER,
        PT_REDUCTION_RATE,
        PT_REDUCTION_CAP,
        PROPERTY_RATE,
        PROPERTY_ALLOWANCE,
    ];
}

/// Salaries tax and personal assessment parameters for one year.
#[derive(Clone, Debug)]
pub struct SalariesTaxParams {
    pub year: YearOfAssessment,
    pub progressive: Vec<Band>,
    pub standard: Vec<Tier>,
    pub couple_threshold_multiple: u32,
    pub reduction_rate: Rate,
    pub reduction_cap: Money,
    pub basic: Money,
    pub married: Money,
    pub single_parent: Money,
    pub child: Money,
    pub child_birth_year: Money,
    /// Years of assessment, from the year of birth, in which the additional child allowance is
    /// given (1 = the year of birth only).
    pub child_birth_year_max_years: u32,
    pub child_max: u32,
    pub parent_60: Money,
    pub parent_60_residing: Money,
    pub parent_55: Money,
    pub parent_55_residing: Money,
    pub sibling: Money,
    pub disabled_dependant: Money,
    pub personal_disability: Option<Money>,
    pub self_education: Money,
    pub mpf: Money,
    /// For a contribution worked out from income: the rate, and the monthly minimum and maximum
    /// levels of relevant income.
    pub mpf_rate: Rate,
    pub mpf_min_monthly: Money,
    pub mpf_max_monthly: Money,
    /// The share of provisional tax payable in the first instalment.
    pub provisional_first_share: Rate,
    pub hli: Money,
    pub hli_max_years: u32,
    pub newborn_top_up: Option<Money>,
    pub newborn_max_years: Option<u32>,
    pub domestic_rent: Option<Money>,
    pub elderly_care: Money,
    pub vhis: Option<Money>,
    pub tvc_qdap: Option<Money>,
    pub ars: Option<Money>,
    pub donations_min: Money,
    pub donations_cap_rate: Rate,
    pub pa_separate_election: bool,
}

/// Profits tax parameters for one year.
#[derive(Clone, Debug)]
pub struct ProfitsTaxParams {
    pub year: YearOfAssessment,
    /// None before the two-tier regime (2017/18).
    pub threshold: Option<Money>,
    pub corporation_rate: Rate,
    pub corporation_lower: Option<Rate>,
    pub unincorporated_rate: Rate,
    pub unincorporated_lower: Option<Rate>,
    pub reduction_rate: Rate,
    pub reduction_cap: Money,
}

/// Property tax parameters for one year.
#[derive(Clone, Debug)]
pub struct PropertyTaxParams {
    pub year: YearOfAssessment,
    pub rate: Rate,
    pub statutory_allowance: Rate,
}

/// Everything the income-tax calculators need for one year, plus the snapshot it came from
/// (for traces and warnings).
#[derive(Clone, Debug)]
pub struct YearParams {
    pub salaries: SalariesTaxParams,
    pub profits: ProfitsTaxParams,
    pub property: PropertyTaxParams,
    pub set: ParamSet,
}

impl SalariesTaxParams {
    pub fn from_set(year: YearOfAssessment, s: &ParamSet) -> Result<Self, LawError> {
        use paths::*;
        Ok(SalariesTaxParams {
            year,
            progressive: s.bands(PROGRESSIVE)?,
            standard: s.tiers(STANDARD_RATE)?,
            couple_threshold_multiple: s.count(COUPLE_THRESHOLD_MULTIPLE)?.max(1),
            reduction_rate: s.opt_rate(REDUCTION_RATE)?.unwrap_or(Rate::ZERO),
            reduction_cap: s.opt_amount(REDUCTION_CAP)?.unwrap_or(Money::ZERO),
            basic: s.amount(BASIC)?,
            married: s.amount(MARRIED)?,
            single_parent: s.amount(SINGLE_PARENT)?,
            child: s.amount(CHILD)?,
            child_birth_year: s.amount(CHILD_BIRTH_YEAR)?,
            child_birth_year_max_years: s.count(CHILD_BIRTH_YEAR_MAX_YEARS)?,
            child_max: s.count(CHILD_MAX)?,
            parent_60: s.amount(PARENT_60)?,
            parent_60_residing: s.amount(PARENT_60_RESIDING)?,
            parent_55: s.amount(PARENT_55)?,
            parent_55_residing: s.amount(PARENT_55_RESIDING)?,
            sibling: s.amount(SIBLING)?,
            disabled_dependant: s.amount(DISABLED_DEPENDANT)?,
            personal_disability: s.opt_amount(PERSONAL_DISABILITY)?,
            self_education: s.amount(SELF_EDUCATION)?,
            mpf: s.amount(MPF)?,
            mpf_rate: s.rate(MPF_RATE)?,
            mpf_min_monthly: s.amount(MPF_MIN_INCOME)?,
            mpf_max_monthly: s.amount(MPF_MAX_INCOME)?,
            provisional_first_share: s.rate(PROVISIONAL_FIRST)?,
            hli: s.amount(HLI)?,
            hli_max_years: s.count(HLI_MAX_YEARS)?,
            newborn_top_up: s.opt_amount(NEWBORN_TOP_UP)?,
            newborn_max_years: s.opt_count(NEWBORN_MAX_YEARS)?,
            domestic_rent: s.opt_amount(DOMESTIC_RENT)?,
            elderly_care: s.amount(ELDERLY_CARE)?,
            vhis: s.opt_amount(VHIS)?,
            tvc_qdap: s.opt_amount(TVC_QDAP)?,
            ars: s.opt_amount(ARS)?,
            donations_min: s.amount(DONATIONS_MIN)?,
            donations_cap_rate: s.rate(DONATIONS_CAP_RATE)?,
            pa_separate_election: s.flag(PA_SEPARATE_ELECTION)?,
        })
    }
}

impl ProfitsTaxParams {
    pub fn from_set(year: YearOfAssessment, s: &ParamSet) -> Result<Self, LawError> {
        use paths::*;
        Ok(ProfitsTaxParams {
            year,
            threshold: s.opt_amount(PT_THRESHOLD)?,
            corporation_rate: s.rate(PT_CORP_RATE)?,
            corporation_lower: s.opt_rate(PT_CORP_LOWER)?,
            unincorporated_rate: s.rate(PT_UNINC_RATE)?,
            unincorporated_lower: s.opt_rate(PT_UNINC_LOWER)?,
            reduction_rate: s.opt_rate(PT_REDUCTION_RATE)?.unwrap_or(Rate::ZERO),
            reduction_cap: s.opt_amount(PT_REDUCTION_CAP)?.unwrap_or(Money::ZERO),
        })
    }
}

impl PropertyTaxParams {
    pub fn from_set(year: YearOfAssessment, s: &ParamSet) -> Result<Self, LawError> {
        Ok(PropertyTaxParams {
            year,
            rate: s.rate(paths::PROPERTY_RATE)?,
            statutory_allowance: s.rate(paths::PROPERTY_ALLOWANCE)?,
        })
    }
}

impl YearParams {
    /// Resolves everything the income-tax rules need for a year, with an optional reform.
    pub fn resolve(
        law: &crate::tree::Law,
        year: YearOfAssessment,
        reform: Option<&crate::reform::Reform>,
    ) -> Result<Self, LawError> {
        let set = law.resolve_year(year, reform)?;
        Ok(YearParams {
            salaries: SalariesTaxParams::from_set(year, &set)?,
            profits: ProfitsTaxParams::from_set(year, &set)?,
            property: PropertyTaxParams::from_set(year, &set)?,
            set,
        })
    }
}

/// Node paths of the transaction taxes (stamp duties and rates).
pub mod transaction_paths {
    pub const AVD_SCALE2: &str = "stamp_duty.avd.scale2";
    pub const AVD_SCALE2_RESIDENTIAL: &str = "stamp_duty.avd.scale2_residential";
    pub const AVD_PART2: &str = "stamp_duty.avd.scale1_part2";
    pub const AVD_PART1_RATE: &str = "stamp_duty.avd.scale1_part1_rate";
    pub const AVD_MULTIPLE_UNITS_PART1: &str = "stamp_duty.avd.multiple_units_part1";
    pub const AVD_NON_RESIDENTIAL_SCALE1: &str = "stamp_duty.avd.non_residential_scale1";
    pub const BSD_RATE: &str = "stamp_duty.bsd.rate";
    pub const SSD_RATES: &str = "stamp_duty.ssd.rates";
    pub const SSD_MAX_MONTHS: &str = "stamp_duty.ssd.max_holding_months";
    pub const SSD_IN_FORCE: &str = "stamp_duty.ssd.in_force";
    pub const STOCK_RATE: &str = "stamp_duty.stock.rate";
    pub const STOCK_REIT_EXEMPT: &str = "stamp_duty.stock.reit_units_exempt";
    pub const STOCK_MARKET_MAKER_EXEMPT: &str = "stamp_duty.stock.market_maker_exempt";
    pub const RATES_DOMESTIC: &str = "rates.domestic";
    pub const RATES_NON_DOMESTIC: &str = "rates.non_domestic";
    pub const RATES_CONCESSION_DOMESTIC: &str = "rates.concession.domestic";
    pub const RATES_CONCESSION_NON_DOMESTIC: &str = "rates.concession.non_domestic";

    pub const ALL: &[&str] = &[
        AVD_SCALE2,
        AVD_SCALE2_RESIDENTIAL,
        AVD_PART2,
        AVD_PART1_RATE,
        AVD_MULTIPLE_UNITS_PART1,
        AVD_NON_RESIDENTIAL_SCALE1,
        BSD_RATE,
        SSD_RATES,
        SSD_MAX_MONTHS,
        SSD_IN_FORCE,
        STOCK_RATE,
        STOCK_REIT_EXEMPT,
        STOCK_MARKET_MAKER_EXEMPT,
        RATES_DOMESTIC,
        RATES_NON_DOMESTIC,
        RATES_CONCESSION_DOMESTIC,
        RATES_CONCESSION_NON_DOMESTIC,
    ];
}

/// The first instant of the law's recorded history for transaction taxes (the start of special
/// stamp duty, 20 Nov 2010) and the last day covered (end of financial year 2026-27).
pub fn transaction_history() -> (chrono::NaiveDate, chrono::NaiveDate) {
    (
        chrono::NaiveDate::from_ymd_opt(2010, 11, 20).unwrap_or_default(),
        chrono::NaiveDate::from_ymd_opt(2027, 3, 31).unwrap_or_default(),
    )
}

/// Stamp duty on property and stock in force at one instant (the instrument's date and time).
#[derive(Clone, Debug)]
pub struct StampDutyParams {
    pub scale2: Vec<crate::value::DutyBand>,
    /// Residential table when it differs from Scale 2 (from 26 Feb 2026).
    pub scale2_residential: Option<Vec<crate::value::DutyBand>>,
    /// Scale 1 Part 2 (doubled rates), where in force.
    pub part2: Option<Vec<crate::value::DutyBand>>,
    /// Scale 1 Part 1 flat rate (new residential stamp duty), where in force.
    pub part1_rate: Option<Rate>,
    pub multiple_units_part1: bool,
    pub non_residential_scale1: bool,
    pub bsd_rate: Option<Rate>,
    pub ssd_in_force: bool,
    pub ssd_max_months: Option<u32>,
    pub stock_rate: Rate,
    pub reit_units_exempt: bool,
    pub market_maker_exempt: bool,
}

impl StampDutyParams {
    pub fn from_set(s: &ParamSet) -> Result<Self, LawError> {
        use transaction_paths::*;
        let scale2 = s
            .opt_duty_bands(AVD_SCALE2)?
            .ok_or_else(|| LawError::NoValue {
                path: AVD_SCALE2.into(),
                when: s.when.clone(),
                hint: String::new(),
            })?;
        Ok(StampDutyParams {
            scale2,
            scale2_residential: s.opt_duty_bands(AVD_SCALE2_RESIDENTIAL)?,
            part2: s.opt_duty_bands(AVD_PART2)?,
            part1_rate: s.opt_rate(AVD_PART1_RATE)?,
            multiple_units_part1: s.flag(AVD_MULTIPLE_UNITS_PART1)?,
            non_residential_scale1: s.opt_flag(AVD_NON_RESIDENTIAL_SCALE1)?,
            bsd_rate: s.opt_rate(BSD_RATE)?,
            ssd_in_force: s.flag(SSD_IN_FORCE)?,
            ssd_max_months: s.opt_count(SSD_MAX_MONTHS)?,
            stock_rate: s.rate(STOCK_RATE)?,
            reit_units_exempt: s.flag(STOCK_REIT_EXEMPT)?,
            market_maker_exempt: s.flag(STOCK_MARKET_MAKER_EXEMPT)?,
        })
    }
}

/// Rates charged in one quarter (resolved at the quarter's first day).
#[derive(Clone, Debug)]
pub struct RatesParams {
    pub domestic: Vec<Tier>,
    pub non_domestic: Rate,
}

impl RatesParams {
    pub fn from_set(s: &ParamSet) -> Result<Self, LawError> {
        Ok(RatesParams {
            domestic: s.tiers(transaction_paths::RATES_DOMESTIC)?,
            non_domestic: s.rate(transaction_paths::RATES_NON_DOMESTIC)?,
        })
    }
}
