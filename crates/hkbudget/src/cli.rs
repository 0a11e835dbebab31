//! Command-line grammar. Enumerated flags are `ValueEnum`s mapped onto the engine's enums.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "hkbudget",
    version,
    about = "Hong Kong fiscal policy lab: the law as data, exact tax calculators, the society-wide model, the fiscal projection and the Chamber's proposals (香港財政政策實驗室)"
)]
pub struct Cli {
    /// Use a parameter tree from this directory instead of the embedded one.
    #[arg(long, global = true, env = "HKBUDGET_PARAMS")]
    pub params: Option<PathBuf>,
    /// Language of tables, messages and charts: en or zh (繁體中文). JSON always carries both.
    #[arg(long, global = true, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Compute a tax for one household, business or property.
    #[command(subcommand)]
    Calc(CalcCommand),
    /// Browse and check the law as data.
    #[command(subcommand)]
    Params(ParamsCommand),
    /// Build or check the synthetic populations used for society-wide runs.
    #[command(subcommand)]
    Population(PopulationCommand),
    /// Revenue, payers and distribution by tax under the law of a year, for the whole population.
    Baseline(BaselineArgs),
    /// A reform's society-wide effect: revenue by tax, behaviour, winners and losers by decile.
    Reform(ReformArgs),
    /// Time population build, baseline, reform and distribution tables.
    Bench(BenchArgs),
    /// Fiscal projection: revenue, spending, bonds and reserves over the medium range, with risk.
    Project(ProjectArgs),
    /// The Chamber's 2024-25 Budget proposals: catalogue, government responses, costings.
    #[command(subcommand)]
    Proposals(ProposalsCommand),
    /// Packages of proposals, reforms and fiscal lines, run through the microsimulation and the projection.
    #[command(subcommand)]
    Package(PackageCommand),
    /// The web lab and the HTTP API: everything above as JSON endpoints, with saved scenarios.
    Serve(ServeArgs),
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on. Anything but loopback needs --token.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// The scenario store: a SQLite file (default: hkbudget/scenarios.sqlite in the user's data
    /// folder) or a postgres://user@host:port/db URL for a shared server.
    #[arg(long, env = "HKBUDGET_DB")]
    pub db: Option<String>,
    /// Bearer token every write must carry (needed to listen beyond loopback).
    #[arg(long, env = "HKBUDGET_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Allow cross-origin requests from this one origin (e.g. http://localhost:5173).
    #[arg(long)]
    pub cors: Option<String>,
    /// Society-wide computations at once (default: the number of cores); more get 429.
    #[arg(long)]
    pub workers: Option<usize>,
    /// Longest a computation may take, in seconds.
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
    /// Largest population a request may ask for (earner records).
    #[arg(long, default_value_t = 2_000_000)]
    pub max_persons: usize,
    /// Largest Monte Carlo a request may ask for (paths).
    #[arg(long, default_value_t = 100_000)]
    pub max_paths: usize,
    /// Do not load the population before listening (the first society-wide request loads it).
    #[arg(long)]
    pub no_preload: bool,
    #[command(flatten)]
    pub pop: PopulationArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub fn law(self) -> hkb_law::Lang {
        match self {
            Lang::En => hkb_law::Lang::En,
            Lang::Zh => hkb_law::Lang::Zh,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Table,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq, Default)]
pub enum RunFormat {
    #[default]
    Table,
    Json,
    Csv,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ChartLine {
    Reserves,
    Balance,
    Debt,
}

impl ChartLine {
    pub fn report(self) -> hkb_report::chart::ChartLine {
        match self {
            ChartLine::Reserves => hkb_report::chart::ChartLine::Reserves,
            ChartLine::Balance => hkb_report::chart::ChartLine::Balance,
            ChartLine::Debt => hkb_report::chart::ChartLine::Debt,
        }
    }
}

#[derive(Args, Debug, Clone)]
pub struct PopulationArgs {
    /// Earner records (each weighted to the population).
    #[arg(long, default_value_t = 1_000_000)]
    pub persons: usize,
    /// Business records.
    #[arg(long, default_value_t = 200_000)]
    pub businesses: usize,
    /// Random seed (the same seed gives the same population).
    #[arg(long, default_value_t = 20240228)]
    pub seed: u64,
}

impl PopulationArgs {
    pub fn spec(&self) -> hkb_microsim::model::BuildSpec {
        hkb_microsim::model::BuildSpec {
            persons: self.persons,
            businesses: self.businesses,
            seed: self.seed,
        }
    }
}

/// Monte Carlo and chart options shared by `project` and `package run`.
#[derive(Args, Debug, Clone)]
pub struct RiskArgs {
    /// Monte Carlo paths (0 for the deterministic projection only).
    #[arg(long, allow_hyphen_values = true)]
    pub paths: Option<String>,
    /// Seed of the Monte Carlo paths.
    #[arg(long = "mc-seed", alias = "seed-paths", default_value_t = 20240228)]
    pub mc_seed: u64,
    /// Scale of the historical shocks (0 switches them off).
    #[arg(long, default_value_t = 1.0, allow_hyphen_values = true)]
    pub shock_scale: f64,
    /// Reserves threshold in months of expenditure for the probability statement.
    #[arg(long, default_value_t = 12.0, allow_hyphen_values = true)]
    pub months: f64,
    /// Reserves threshold in HK$bn: print P(reserves below it) by year (e.g. --below 600).
    #[arg(long, allow_hyphen_values = true)]
    pub below: Option<f64>,
    /// Draw a fan chart of this line (needs paths and --out).
    #[arg(long, value_enum)]
    pub chart: Option<ChartLine>,
    /// Where to write the chart (.svg or .png).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum PackageCommand {
    /// Cost every item of a package, apply them to the baseline, and show each one's contribution.
    Run {
        /// Package file (YAML or JSON; see docs/INPUTS.md).
        file: PathBuf,
        /// Override the package's vintage (default: the package's, else the newest).
        #[arg(long)]
        vintage: Option<String>,
        #[command(flatten)]
        risk: RiskArgs,
        /// table, json, or csv (one row per contribution and per total, a column per year).
        #[arg(long, value_enum, default_value_t = RunFormat::Table)]
        format: RunFormat,
        /// Also write a workbook (.xlsx): contributions, totals, and every costing parameter
        /// with its range, status and source.
        #[arg(long)]
        xlsx: Option<PathBuf>,
        #[command(flatten)]
        pop: PopulationArgs,
    },
    /// Packages side by side against their common baseline: revenue, spending, balance and
    /// reserves by year.
    Compare {
        /// Package files (at least one), e.g. packages/cgcc-2024-25.yaml packages/government-2024-25.yaml
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Override the packages' vintage.
        #[arg(long)]
        vintage: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        pop: PopulationArgs,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum KindFilter {
    RevenueMeasure,
    SpendingMeasure,
    Financing,
    ExpenditureControl,
    RegulatoryOrInstitutional,
    Mixed,
}

impl KindFilter {
    pub fn engine(self) -> hkb_proposals::Kind {
        use hkb_proposals::Kind as K;
        match self {
            KindFilter::RevenueMeasure => K::RevenueMeasure,
            KindFilter::SpendingMeasure => K::SpendingMeasure,
            KindFilter::Financing => K::Financing,
            KindFilter::ExpenditureControl => K::ExpenditureControl,
            KindFilter::RegulatoryOrInstitutional => K::RegulatoryOrInstitutional,
            KindFilter::Mixed => K::Mixed,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum StatusFilter {
    Implemented,
    PartlyImplemented,
    RelatedAction,
    PreExisting,
    NotAdopted,
    Rejected,
    NoEvidenceFound,
}

impl StatusFilter {
    pub fn engine(self) -> hkb_proposals::ResponseStatus {
        use hkb_proposals::ResponseStatus as S;
        match self {
            StatusFilter::Implemented => S::Implemented,
            StatusFilter::PartlyImplemented => S::PartlyImplemented,
            StatusFilter::RelatedAction => S::RelatedAction,
            StatusFilter::PreExisting => S::PreExisting,
            StatusFilter::NotAdopted => S::NotAdopted,
            StatusFilter::Rejected => S::Rejected,
            StatusFilter::NoEvidenceFound => S::NoEvidenceFound,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum ProposalsCommand {
    /// List proposals (all 96 entries; headings are marked and never add into totals).
    List {
        /// Only this section (1 to 8).
        #[arg(long)]
        section: Option<String>,
        #[arg(long, value_enum)]
        kind: Option<KindFilter>,
        /// The government's response.
        #[arg(long, value_enum)]
        status: Option<StatusFilter>,
        #[arg(long, value_enum, default_value_t = RunFormat::Table)]
        format: RunFormat,
    },
    /// One proposal in full: summaries, model sketch, the government's response and sources.
    Show {
        id: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Counts and lists by section, kind, quantifiability and government response.
    Scorecard {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Cost a proposal: low, central and high settings over the vintage's years.
    Cost {
        id: String,
        /// Override a costing parameter: NAME=VALUE (repeatable).
        #[arg(long = "set")]
        set: Vec<String>,
        /// The vintage whose years and GDP path the costing uses (default: the newest).
        #[arg(long)]
        vintage: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        pop: PopulationArgs,
    },
}

#[derive(Args, Debug)]
pub struct ProjectArgs {
    /// Medium Range Forecast vintage (default: the package's, else the newest).
    #[arg(long)]
    pub vintage: Option<String>,
    /// Package file: proposals, reforms, custom costings and fiscal lines (the `package run` format).
    #[arg(long)]
    pub package: Option<PathBuf>,
    #[command(flatten)]
    pub risk: RiskArgs,
    #[arg(long, value_enum, default_value_t = RunFormat::Table)]
    pub format: RunFormat,
    #[command(flatten)]
    pub pop: PopulationArgs,
}

#[derive(Subcommand, Debug)]
pub enum PopulationCommand {
    /// Generate and calibrate the populations for every year and store them (Arrow IPC).
    Build {
        /// Show this year's calibration checks after building.
        #[arg(long)]
        year: Option<String>,
        /// Rebuild even if an up-to-date file exists.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        pop: PopulationArgs,
    },
    /// Write the validation report (docs/VALIDATION.md in a checkout): every target of every year beside the model's value.
    Validate {
        /// Where to write the Markdown table (default: docs/VALIDATION.md when run from the
        /// repository, else VALIDATION.md in the current folder).
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        pop: PopulationArgs,
    },
    /// Every calibration target of a year beside the model's value and the error.
    Check {
        #[arg(long)]
        year: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        #[command(flatten)]
        pop: PopulationArgs,
    },
}

/// `--by`: what the distribution tables rank.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq, Default)]
pub enum DecileBasis {
    #[default]
    Earner,
    Household,
}

impl From<DecileBasis> for hkb_microsim::society::DecileBy {
    fn from(b: DecileBasis) -> Self {
        match b {
            DecileBasis::Earner => hkb_microsim::society::DecileBy::Earner,
            DecileBasis::Household => hkb_microsim::society::DecileBy::Household,
        }
    }
}

#[derive(Args, Debug)]
pub struct BaselineArgs {
    #[arg(long)]
    pub year: String,
    /// What the deciles rank: earners by income, or households by equivalised income.
    #[arg(long, value_enum, default_value_t = DecileBasis::Earner)]
    pub by: DecileBasis,
    #[arg(long, value_enum, default_value_t = RunFormat::Table)]
    pub format: RunFormat,
    #[command(flatten)]
    pub pop: PopulationArgs,
}

#[derive(Args, Debug)]
pub struct ReformArgs {
    /// Reform file (parameter changes, optional `behaviour:` overrides).
    pub file: PathBuf,
    #[arg(long)]
    pub year: String,
    /// What the deciles rank: earners by income, or households by equivalised income.
    #[arg(long, value_enum, default_value_t = DecileBasis::Earner)]
    pub by: DecileBasis,
    #[arg(long, value_enum, default_value_t = RunFormat::Table)]
    pub format: RunFormat,
    #[command(flatten)]
    pub pop: PopulationArgs,
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Earner records to time.
    #[arg(long, default_value_t = 1_000_000)]
    pub persons: usize,
    /// Timed repetitions (the median is reported).
    #[arg(long, default_value_t = 7)]
    pub repeat: usize,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Args, Debug, Clone)]
pub struct Output {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Apply a reform file (YAML or JSON: parameter path -> dated values); the law without it
    /// is shown beside.
    #[arg(long)]
    pub reform: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum CalcCommand {
    /// Salaries tax and personal assessment for a household: every lawful option, the cheapest recommended.
    Salaries(Box<SalariesArgs>),
    /// Profits tax for one business.
    Profits(ProfitsArgs),
    /// Property tax (and provisional tax) for one let property.
    PropertyTax(PropertyArgs),
    /// Stamp duty on a property transaction: AVD, NRSD, BSD and SSD for any date from 20 Nov 2010.
    StampDuty(Box<StampArgs>),
    /// Stamp duty on a stock transaction (each contract note, each side).
    StockDuty(StockArgs),
    /// Rates on a tenement for a financial year, by quarter, with the year's concession.
    Rates(RatesArgs),
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum PropertyFlag {
    Residential,
    NonResidential,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum BuyerFlag {
    /// A Hong Kong permanent resident owning no other home.
    HkprFirst,
    /// A Hong Kong permanent resident owning another home.
    HkprOther,
    NonHkpr,
    Company,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum InstrumentFlag {
    Shares,
    ReitUnits,
    MarketMakerHedging,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum EntityFlag {
    Corporation,
    Unincorporated,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum AssessmentFlag {
    Auto,
    Separate,
    Joint,
    Personal,
    PersonalSeparate,
    PersonalJoint,
}

impl AssessmentFlag {
    pub fn engine(self) -> hkb_rules::input::Assessment {
        use hkb_rules::input::Assessment as A;
        match self {
            AssessmentFlag::Auto => A::Auto,
            AssessmentFlag::Separate => A::Separate,
            AssessmentFlag::Joint => A::Joint,
            AssessmentFlag::Personal => A::Personal,
            AssessmentFlag::PersonalSeparate => A::PersonalSeparate,
            AssessmentFlag::PersonalJoint => A::PersonalJoint,
        }
    }
}

#[derive(Args, Debug)]
pub struct StampArgs {
    /// Deal file (YAML or JSON); see docs/INPUTS.md.
    #[arg(long, conflicts_with_all = ["date", "price"])]
    pub input: Option<PathBuf>,
    /// Instrument date, e.g. 2023-06-01 (or 2023-02-22T10:30 where the law changed at a time of day).
    #[arg(long)]
    pub date: Option<String>,
    /// Consideration (HK$).
    #[arg(long, allow_hyphen_values = true)]
    pub price: Option<String>,
    /// Market value, if higher than the consideration (HK$).
    #[arg(long, allow_hyphen_values = true)]
    pub value: Option<String>,
    #[arg(long, value_enum, default_value_t = PropertyFlag::Residential)]
    pub property: PropertyFlag,
    #[arg(long, value_enum, default_value_t = BuyerFlag::HkprFirst)]
    pub buyer: BuyerFlag,
    /// Date the seller acquired the property (for special stamp duty), e.g. 2022-01-15.
    #[arg(long)]
    pub acquired: Option<String>,
    /// Residential units under this one instrument.
    #[arg(long, default_value_t = 1)]
    pub units: u32,
    /// Compare with the same deal on this date.
    #[arg(long)]
    pub vs_date: Option<String>,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Args, Debug)]
pub struct StockArgs {
    /// Stock deal file (YAML or JSON); see docs/INPUTS.md.
    #[arg(long, conflicts_with_all = ["date", "consideration"])]
    pub input: Option<PathBuf>,
    /// Transaction date, e.g. 2024-06-03.
    #[arg(long)]
    pub date: Option<String>,
    /// Consideration (HK$).
    #[arg(long, allow_hyphen_values = true)]
    pub consideration: Option<String>,
    #[arg(long, value_enum, default_value_t = InstrumentFlag::Shares)]
    pub instrument: InstrumentFlag,
    /// Compare with the same transaction on this date.
    #[arg(long)]
    pub vs_date: Option<String>,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Args, Debug)]
pub struct RatesArgs {
    /// Tenement file (YAML or JSON); see docs/INPUTS.md.
    #[arg(long, conflicts_with_all = ["year", "rateable_value"])]
    pub input: Option<PathBuf>,
    /// Financial year, e.g. 2025-26.
    #[arg(long)]
    pub year: Option<String>,
    /// Rateable value (HK$ a year).
    #[arg(long, allow_hyphen_values = true)]
    pub rateable_value: Option<String>,
    /// A domestic tenement (the default).
    #[arg(long, conflicts_with = "non_domestic")]
    pub domestic: bool,
    /// A non-domestic tenement.
    #[arg(long)]
    pub non_domestic: bool,
    /// Excluded from the progressive domestic scale (e.g. public rental housing).
    #[arg(long)]
    pub progressive_excluded: bool,
    /// Compare with the same tenement in this financial year.
    #[arg(long)]
    pub vs_year: Option<String>,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Args, Debug)]
pub struct SalariesArgs {
    /// Situation file (YAML or JSON); see docs/INPUTS.md. Flags below build a situation instead.
    #[arg(long, conflicts_with_all = ["year", "income"])]
    pub input: Option<PathBuf>,
    /// Year of assessment, e.g. 2024/25.
    #[arg(long)]
    pub year: Option<String>,
    /// Taxpayer's employment income for the year (HK$).
    #[arg(long, allow_hyphen_values = true)]
    pub income: Option<String>,
    /// Taxpayer's mandatory MPF contributions (HK$); without it they are worked out from the
    /// income as an employee's (5% of relevant income within the MPF levels), and labelled so.
    /// Give 0 for the self-employed or exempt.
    #[arg(long, allow_hyphen_values = true)]
    pub mpf: Option<String>,
    /// Approved charitable donations (HK$).
    #[arg(long, allow_hyphen_values = true)]
    pub donations: Option<String>,
    /// Home loan interest paid (HK$).
    #[arg(long, allow_hyphen_values = true)]
    pub home_loan_interest: Option<String>,
    /// Domestic rent paid (HK$).
    #[arg(long, allow_hyphen_values = true)]
    pub rent: Option<String>,
    /// Self-education expenses (HK$).
    #[arg(long, allow_hyphen_values = true)]
    pub self_education: Option<String>,
    /// Rental income from let property (HK$).
    #[arg(long, allow_hyphen_values = true)]
    pub rental_income: Option<String>,
    /// Business profit of a sole proprietorship (HK$; negative for a loss).
    #[arg(long, allow_hyphen_values = true)]
    pub business_profit: Option<String>,
    /// The taxpayer is married.
    #[arg(long)]
    pub married: bool,
    /// Spouse's employment income (HK$); implies --married.
    #[arg(long, allow_hyphen_values = true)]
    pub spouse_income: Option<String>,
    /// Spouse's mandatory MPF contributions (HK$); without it, worked out from the spouse's income.
    #[arg(long, allow_hyphen_values = true)]
    pub spouse_mpf: Option<String>,
    /// Number of children for whom child allowance is claimed (including newborns).
    #[arg(long, allow_hyphen_values = true)]
    pub children: Option<String>,
    /// Of the children, how many were born in the year of assessment.
    #[arg(long, allow_hyphen_values = true)]
    pub newborns: Option<String>,
    /// A dependent parent/grandparent: AGE, or AGE:residing (repeatable).
    #[arg(long = "parent")]
    pub parents: Vec<String>,
    /// Single parent allowance.
    #[arg(long)]
    pub single_parent: bool,
    #[arg(long, value_enum)]
    pub assessment: Option<AssessmentFlag>,
    /// Compare with the same household in this year of assessment under its law.
    #[arg(long)]
    pub vs_year: Option<String>,
    /// Show the trace of every option, not only the chosen one.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Args, Debug)]
pub struct ProfitsArgs {
    /// Business file (YAML or JSON); see docs/INPUTS.md.
    #[arg(long, conflicts_with_all = ["year", "profits"])]
    pub input: Option<PathBuf>,
    #[arg(long)]
    pub year: Option<String>,
    /// Assessable profits (HK$; negative for a loss).
    #[arg(long, allow_hyphen_values = true)]
    pub profits: Option<String>,
    #[arg(long, value_enum, default_value_t = EntityFlag::Corporation)]
    pub entity: EntityFlag,
    /// This entity is not the one nominated for the lower tier among its connected entities.
    #[arg(long)]
    pub not_nominated: bool,
    /// Compare with the same business in this year of assessment.
    #[arg(long)]
    pub vs_year: Option<String>,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Args, Debug)]
pub struct PropertyArgs {
    /// Property file (YAML or JSON); see docs/INPUTS.md.
    #[arg(long, conflicts_with_all = ["year", "rent"])]
    pub input: Option<PathBuf>,
    #[arg(long)]
    pub year: Option<String>,
    /// Rental income for the year (HK$).
    #[arg(long, allow_hyphen_values = true)]
    pub rent: Option<String>,
    /// Rates paid by the owner (HK$).
    #[arg(long, allow_hyphen_values = true)]
    pub rates: Option<String>,
    /// Irrecoverable rent (HK$).
    #[arg(long, allow_hyphen_values = true)]
    pub irrecoverable: Option<String>,
    /// Months let in the year (1-12).
    #[arg(long, allow_negative_numbers = true)]
    pub months_let: Option<u32>,
    /// Compare with the same property in this year of assessment.
    #[arg(long)]
    pub vs_year: Option<String>,
    #[command(flatten)]
    pub out: Output,
}

#[derive(Subcommand, Debug)]
pub enum ParamsCommand {
    /// List every parameter node with its current value.
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Show values in force in this year of assessment (default: the latest supported).
        #[arg(long)]
        year: Option<String>,
        /// Only parameters whose path or label contains this text.
        #[arg(long)]
        search: Option<String>,
    },
    /// Show one parameter: labels, description, references and its full dated history.
    Show {
        path: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Validate a parameter tree (default: the one in use) and report its size.
    Check {
        /// A directory to validate instead of the tree in use.
        dir: Option<PathBuf>,
    },
}
