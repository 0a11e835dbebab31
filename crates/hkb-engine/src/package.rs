//! Packages: proposals of the catalogue (at their central setting, with overrides), the user's
//! own costings, reforms given inline, and explicit fiscal lines — costed, applied to a
//! baseline, with each item's contribution to the balance by year. The contributions add up to
//! the change in the balance (checked on every run). One format serves `package run`,
//! `package compare` and `project --package`; it never names a file.

use crate::costing::{Costed, reform_lines};
use crate::error::EngineError;
use crate::lab::{Lab, Progress};
use crate::provenance::Response;
use hkb_fiscal::accounts::Accounts;
use hkb_fiscal::montecarlo::{self, McOptions, MonteCarlo};
use hkb_fiscal::package::{CostedLine, LineKind, PackageLine, additions, line_values};
use hkb_fiscal::vintage::Baseline;
use hkb_law::{Bilingual, FinancialYear, ReformSpec, YearOfAssessment};
use hkb_microsim::Model;
use hkb_microsim::model::BuildSpec;
use hkb_proposals::{Costing, Method, Quantifiable, Setting};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A proposal of the catalogue in a package.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PackageProposal {
    pub id: String,
    /// Parameter overrides (name → value).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set: BTreeMap<String, f64>,
    /// Already in the baseline (with the reason): costed for reference, not added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_baseline: Option<String>,
}

/// A reform of the law in a package, costed by the microsimulation.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PackageReform {
    #[serde(
        default,
        deserialize_with = "hkb_law::opt_bilingual_or_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<Bilingual>,
    /// The law to cost (default: current law, for a measure already in it; then `against`
    /// is required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reform: Option<ReformSpec>,
    /// The law the reform is costed against (default: current law). A measure that is already
    /// current law is costed as `reform: {}` (the law) against the law without it; a change on
    /// top of another (the 2026/27 allowances in a year without its one-off reduction) as the
    /// two together against the other alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against: Option<ReformSpec>,
    /// The year of assessment whose population costs the reform (e.g. 2024/25).
    pub year: YearOfAssessment,
    /// First and last financial years of its effect (default: the baseline's years).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<FinancialYear>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<FinancialYear>,
    /// How it is costed and what it assumes (shown with the result).
    #[serde(
        default,
        deserialize_with = "hkb_law::opt_bilingual_or_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub note: Option<Bilingual>,
}

/// A package as data.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PackageSpec {
    #[serde(
        default,
        deserialize_with = "hkb_law::opt_bilingual_or_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<Bilingual>,
    /// The Medium Range Forecast it applies to (default: the newest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vintage: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proposals: Vec<PackageProposal>,
    /// The user's own proposals, costed like the catalogue's (parameters with sources or
    /// labelled assumptions), at their central setting.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom: Vec<Costing>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reforms: Vec<PackageReform>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<PackageLine>,
    /// Set when the package's items are already in its vintage's forecast (a Budget's own
    /// measures): the text says what the counterfactual is. The result's `baseline` is then the
    /// counterfactual — the forecast with every item taken out — and its `scenario` is the
    /// published forecast, so the comparison shows what the measures did.
    #[serde(
        default,
        deserialize_with = "hkb_law::opt_bilingual_or_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub counterfactual: Option<Bilingual>,
}

/// What an item of a package is.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ContributionKind {
    Proposal,
    Custom,
    Reform,
    Line,
}

/// One item's contribution to the change in the consolidated balance.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Contribution {
    pub kind: ContributionKind,
    /// The proposal id, the custom costing's id, `reforms[i]` or `lines[i]`.
    pub id: String,
    pub title: Bilingual,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_baseline: Option<String>,
    /// Effect on the consolidated balance by year (HK$bn; 0 when already in the baseline).
    pub effect_bn: Vec<f64>,
    /// The costed effect, also for items already in the baseline (for reference).
    pub costed_effect_bn: Vec<f64>,
    /// Costings: every setting, and the parameters resting on an assumption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub costing: Option<Costed>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_count: Option<usize>,
    /// Explicit lines: their kind and amount by year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_kind: Option<LineKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_bn: Option<Vec<f64>>,
    /// Explicit lines: what the amount is (published, estimate, derived, assumption) and where it
    /// comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<hkb_law::Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<hkb_law::Source>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Bilingual>,
}

/// Package totals by year (HK$bn, effect on the consolidated balance).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Totals {
    /// The sum of the contributions = the change in the balance.
    pub change_in_balance: Vec<f64>,
    /// Every proposal and custom costing at its low setting (lines and reforms unchanged).
    pub all_low: Vec<f64>,
    /// Every proposal and custom costing at its high setting.
    pub all_high: Vec<f64>,
    /// The change excluding net bond proceeds (issuance less repayment): what is not borrowing.
    pub excluding_net_bond_proceeds: Vec<f64>,
}

/// A package costed and applied to its baseline.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct PackageResult {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Bilingual>,
    pub vintage: String,
    pub years: Vec<FinancialYear>,
    /// The counterfactual, when the package's items are already in the forecast (then
    /// `baseline` is the forecast without them and `scenario` the published forecast).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterfactual: Option<Bilingual>,
    pub baseline: Accounts,
    pub scenario: Accounts,
    pub contributions: Vec<Contribution>,
    pub totals: Totals,
    /// Risk of the scenario, when Monte Carlo paths were asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monte_carlo: Option<MonteCarlo>,
    /// Quantifiable proposals of the Chamber not in this package.
    pub quantifiable_not_in_package: Vec<String>,
    /// The costings behind each proposal and custom item, in order (for audits and workbooks).
    pub costings_used: Vec<Costing>,
    pub units: Bilingual,
}

/// A package evaluated: its result, the additions it makes to the baseline's accounts, and the
/// population it used (if any).
pub struct Evaluated {
    pub result: PackageResult,
    pub extra: Accounts,
    pub model: Option<Arc<Model>>,
}

fn default_spec() -> BuildSpec {
    BuildSpec::default()
}

/// Run a package.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageRequest {
    pub package: PackageSpec,
    /// Overrides the package's vintage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vintage: Option<String>,
    /// Monte Carlo risk of the scenario (none: deterministic only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monte_carlo: Option<McOptions>,
    #[serde(default = "default_spec")]
    pub population: BuildSpec,
}

/// Compare packages on one baseline.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareRequest {
    pub packages: Vec<PackageSpec>,
    /// Overrides the packages' vintage (they must agree otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vintage: Option<String>,
    #[serde(default = "default_spec")]
    pub population: BuildSpec,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ComparedPackage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Bilingual>,
    pub scenario: Accounts,
    pub change_in_balance: Vec<f64>,
    pub contributions: Vec<Contribution>,
}

#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct Comparison {
    pub vintage: String,
    pub years: Vec<FinancialYear>,
    pub baseline: Accounts,
    pub packages: Vec<ComparedPackage>,
}

fn sum_by_year(n: usize, rows: impl Iterator<Item = Vec<f64>>) -> Vec<f64> {
    let mut out = vec![0.0; n];
    for r in rows {
        for (o, x) in out.iter_mut().zip(r) {
            *o += x;
        }
    }
    out
}

impl Lab {
    fn check_count(&self, n: usize, field: &str) -> Result<(), EngineError> {
        let max = self.limits().max_package_items;
        if n > max {
            return Err(EngineError::too_large(
                field,
                format!("{n} items; a package holds at most {max}"),
                format!("共 {n} 項；每個組合最多 {max} 項"),
            ));
        }
        Ok(())
    }

    /// Checks everything that can be checked without the population, and says whether the
    /// population is needed.
    fn check_package(&self, pkg: &PackageSpec, base: &Baseline) -> Result<bool, EngineError> {
        self.check_count(pkg.proposals.len(), "/proposals")?;
        self.check_count(pkg.custom.len(), "/custom")?;
        self.check_count(pkg.reforms.len(), "/reforms")?;
        self.check_count(pkg.lines.len(), "/lines")?;
        let mut needs_population = false;
        if pkg.counterfactual.is_some() {
            // Every item of such a package is in the forecast; a further `in_baseline` mark
            // would make it count for nothing on either side.
            let marked = pkg
                .proposals
                .iter()
                .position(|p| p.in_baseline.is_some())
                .map(|i| format!("/proposals/{i}/in_baseline"))
                .or_else(|| {
                    pkg.lines
                        .iter()
                        .position(|l| l.in_baseline.is_some())
                        .map(|i| format!("/lines/{i}/in_baseline"))
                });
            if let Some(field) = marked {
                return Err(EngineError::invalid(
                    field,
                    "a package with a counterfactual holds measures already in the forecast; drop in_baseline (every item is taken out to make the counterfactual)",
                    "設有反事實情況的組合，所有項目均已在預測之內；請刪去 in_baseline（每個項目都會被剔除以構成反事實情況）",
                ));
            }
        }
        for (i, pp) in pkg.proposals.iter().enumerate() {
            let at = format!("/proposals/{i}");
            let prop = self
                .catalogue()
                .get(&pp.id)
                .map_err(|e| EngineError::from(e).under(&format!("{at}/id")))?;
            let (c, _) = self
                .catalogue_costing(&pp.id, base)
                .map_err(|e| e.under(&format!("{at}/id")))?;
            let c = &c;
            self.check_costing(c, &pp.set, base)
                .map_err(|e| e.under(&at))?;
            if pp.in_baseline.is_some() && !prop.adopted_by(base.first_year()) {
                let (status, budgets) = match prop
                    .responses
                    .iter()
                    .rev()
                    .find(|r| r.budget <= base.first_year())
                {
                    Some(r) => (r.status, format!("by the Budgets up to {}", r.budget)),
                    None => (
                        prop.government_response.status,
                        "by the 2024-25 Budget".to_string(),
                    ),
                };
                return Err(EngineError::invalid(
                    format!("{at}/in_baseline"),
                    format!(
                        "{} was not adopted {budgets} (latest status {status}), so it cannot be in the {} baseline",
                        pp.id,
                        base.first_year()
                    ),
                    format!(
                        "{} 未獲 {} 或以前的預算採納（{}），不可能已計入基線",
                        pp.id,
                        base.first_year(),
                        status.label().zh
                    ),
                ));
            }
            needs_population |= c.method == Method::Reform;
        }
        for (i, c) in pkg.custom.iter().enumerate() {
            let at = format!("/custom/{i}");
            c.validate().map_err(|e| EngineError::from(e).under(&at))?;
            if self.catalogue().proposals.iter().any(|p| p.id == c.id)
                || pkg.custom[..i].iter().any(|o| o.id == c.id)
            {
                return Err(EngineError::invalid(
                    format!("{at}/id"),
                    format!(
                        "id '{}' is taken (by the catalogue or another custom entry); choose another",
                        c.id
                    ),
                    format!("編號「{}」已被使用（目錄或另一自訂項目）；請另選", c.id),
                ));
            }
            self.check_costing(c, &BTreeMap::new(), base)
                .map_err(|e| e.under(&at))?;
            needs_population |= c.method == Method::Reform;
        }
        for (i, r) in pkg.reforms.iter().enumerate() {
            let at = format!("/reforms/{i}");
            self.population_year(r.year, &format!("{at}/year"))?;
            if r.reform.is_none() && r.against.is_none() {
                return Err(EngineError::invalid(
                    format!("{at}/reform"),
                    "give a reform, or the law to cost current law against (against), or both",
                    "請提供改革方案（reform），或用作比較的法例（against），或兩者",
                ));
            }
            self.reform(r.reform.as_ref()).map_err(|e| EngineError {
                field: e.field.replacen("/reform", &format!("{at}/reform"), 1),
                ..e
            })?;
            if let Some(against) = &r.against {
                self.reform(Some(against)).map_err(|e| EngineError {
                    field: e.field.replacen("/reform", &format!("{at}/against"), 1),
                    ..e
                })?;
            }
            if let (Some(s), Some(e)) = (r.start, r.end)
                && e < s
            {
                return Err(EngineError::invalid(
                    format!("{at}/end"),
                    format!("end {e} is before start {s}"),
                    format!("結束年度 {e} 早於開始年度 {s}"),
                ));
            }
            needs_population = true;
        }
        for (i, l) in pkg.lines.iter().enumerate() {
            line_values(
                base,
                l.amount,
                l.start,
                l.end,
                l.growth,
                &format!("/lines/{i}"),
            )?;
            if l.head.is_some() && l.kind != LineKind::Revenue {
                return Err(EngineError::invalid(
                    format!("/lines/{i}/head"),
                    "a head needs kind revenue",
                    "只有收入項目（kind: revenue）才可指定收入類別",
                ));
            }
        }
        Ok(needs_population)
    }

    /// Checks a package without running it (and without the population): what a store checks
    /// before saving one. The field paths are relative to the package.
    pub fn validate_package(&self, pkg: &PackageSpec) -> Result<(), EngineError> {
        let base = self.baseline(pkg.vintage.as_deref())?;
        self.check_package(pkg, base).map(|_| ())
    }

    /// Costs a package and applies it to its baseline. `model` is a population already loaded
    /// (package compare shares one); otherwise it is loaded when a reform needs it.
    pub fn evaluate_package(
        &self,
        pkg: &PackageSpec,
        vintage: Option<&str>,
        spec: BuildSpec,
        model: Option<Arc<Model>>,
        progress: Progress<'_>,
    ) -> Result<Evaluated, EngineError> {
        let base = match vintage {
            Some(v) => self.baseline(Some(v))?,
            None => self.baseline(pkg.vintage.as_deref())?,
        };
        let needs_population = self.check_package(pkg, base)?;
        let model = match (needs_population, model) {
            (true, Some(m)) => Some(m),
            (true, None) => Some(self.population(spec, false, progress)?),
            (false, m) => m,
        };
        let n = base.accounts.years.len();
        let zeros = || vec![0.0; n];
        let mut contributions = Vec::new();
        let mut costed_lines: Vec<CostedLine> = Vec::new();
        let mut costings_used = Vec::new();
        for pp in &pkg.proposals {
            let prop = self.catalogue().get(&pp.id)?;
            let (costing, _) = self.catalogue_costing(&pp.id, base)?;
            let costing = &costing;
            let costed = self.run_costing(costing, &pp.set, base, model.as_deref())?;
            if pp.in_baseline.is_none() {
                costed_lines.extend(costed.central_lines.iter().cloned());
            }
            let central = costed.effect(Setting::Central).to_vec();
            contributions.push(Contribution {
                kind: ContributionKind::Proposal,
                id: pp.id.clone(),
                title: prop.title(),
                in_baseline: pp.in_baseline.clone(),
                effect_bn: if pp.in_baseline.is_some() {
                    zeros()
                } else {
                    central.clone()
                },
                costed_effect_bn: central,
                assumptions: costing.assumptions(),
                parameter_count: Some(costing.parameters.len()),
                costing: Some(costed),
                line_kind: None,
                amount_bn: None,
                status: None,
                source: None,
                note: None,
            });
            costings_used.push(costing.clone());
        }
        for c in &pkg.custom {
            let costed = self.run_costing(c, &BTreeMap::new(), base, model.as_deref())?;
            costed_lines.extend(costed.central_lines.iter().cloned());
            let central = costed.effect(Setting::Central).to_vec();
            contributions.push(Contribution {
                kind: ContributionKind::Custom,
                id: c.id.clone(),
                title: c.description.clone(),
                in_baseline: None,
                effect_bn: central.clone(),
                costed_effect_bn: central,
                assumptions: c.assumptions(),
                parameter_count: Some(c.parameters.len()),
                costing: Some(costed),
                line_kind: None,
                amount_bn: None,
                status: None,
                source: None,
                note: None,
            });
            costings_used.push(c.clone());
        }
        for (i, r) in pkg.reforms.iter().enumerate() {
            let reform = self.reform(r.reform.as_ref())?;
            let Some(m) = model.as_deref() else {
                return Err(EngineError::internal(
                    "a package reform needs the population",
                ));
            };
            let run = hkb_microsim::society::run(self.law(), m, r.year, reform.as_ref())?;
            let mut lines = reform_lines(base, &run, 1.0, r.start, r.end);
            if let Some(against) = &r.against {
                // Costed against another law: the reform's effect less the other's (each
                // against current law; the rule that turns runs into lines is linear).
                let other = self.reform(Some(against))?;
                let run = hkb_microsim::society::run(self.law(), m, r.year, other.as_ref())?;
                let other = reform_lines(base, &run, -1.0, r.start, r.end);
                for t in 0..n {
                    lines.static_bn[t] += other.static_bn[t];
                    lines.effect_bn[t] += other.effect_bn[t];
                }
                lines.lines.extend(other.lines);
            }
            costed_lines.extend(lines.lines.iter().cloned());
            let title = r
                .name
                .clone()
                .or_else(|| r.reform.as_ref().and_then(|x| x.name.clone()))
                .unwrap_or_else(|| {
                    Bilingual::new(format!("Reform {}", i + 1), format!("改革方案 {}", i + 1))
                });
            contributions.push(Contribution {
                kind: ContributionKind::Reform,
                id: format!("reforms[{i}]"),
                title,
                in_baseline: None,
                effect_bn: lines.effect_bn.clone(),
                costed_effect_bn: lines.effect_bn,
                costing: None,
                assumptions: Vec::new(),
                parameter_count: None,
                line_kind: None,
                amount_bn: None,
                status: None,
                source: None,
                note: r.note.clone(),
            });
        }
        for (i, l) in pkg.lines.iter().enumerate() {
            let v = line_values(
                base,
                l.amount,
                l.start,
                l.end,
                l.growth,
                &format!("/lines/{i}"),
            )?;
            let sign = l.kind.balance_sign();
            let effect: Vec<f64> = v.iter().map(|x| sign * x).collect();
            contributions.push(Contribution {
                kind: ContributionKind::Line,
                id: format!("lines[{i}]"),
                title: l.name.clone(),
                in_baseline: l.in_baseline.clone(),
                effect_bn: if l.in_baseline.is_some() {
                    zeros()
                } else {
                    effect.clone()
                },
                costed_effect_bn: effect,
                costing: None,
                assumptions: Vec::new(),
                parameter_count: None,
                line_kind: Some(l.kind),
                amount_bn: Some(v),
                status: l.status,
                source: l.source.clone(),
                note: l.note.clone(),
            });
        }
        let mut extra = additions(base, &pkg.lines, &costed_lines)?;
        let (baseline_accounts, scenario) = if pkg.counterfactual.is_some() {
            // The items are in the published forecast: the counterfactual takes them out, and
            // the scenario (whose risk is the forecast's own) adds nothing to it.
            let counterfactual = montecarlo::scenario(base, &negated(&extra));
            extra = additions(base, &[], &[])?;
            (counterfactual, base.accounts.clone())
        } else {
            (base.accounts.clone(), montecarlo::scenario(base, &extra))
        };
        let total = sum_by_year(n, contributions.iter().map(|c| c.effect_bn.clone()));
        let change: Vec<f64> = (0..n)
            .map(|t| scenario.balance.values[t] - baseline_accounts.balance.values[t])
            .collect();
        // The add-up check: the contributions, summed, are the change in the balance that the
        // accounts give (two routes to one number).
        if let Some(t) = (0..n).find(|&t| (total[t] - change[t]).abs() > 1e-6) {
            return Err(EngineError::internal(format!(
                "contributions {} differ from the change in the balance {} in {}",
                total[t], change[t], base.accounts.years[t]
            )));
        }
        let setting_total = |s: Setting| -> Vec<f64> {
            sum_by_year(
                n,
                contributions
                    .iter()
                    .map(|c| match (&c.costing, &c.in_baseline) {
                        (_, Some(_)) => c.effect_bn.clone(),
                        (Some(costed), None) => costed.effect(s).to_vec(),
                        (None, None) => c.effect_bn.clone(),
                    }),
            )
        };
        let net_bonds: Vec<f64> = (0..n)
            .map(|t| {
                (scenario.bond_proceeds.values[t] - baseline_accounts.bond_proceeds.values[t])
                    - (scenario.bond_repayment.values[t]
                        - baseline_accounts.bond_repayment.values[t])
            })
            .collect();
        let totals = Totals {
            all_low: setting_total(Setting::Low),
            all_high: setting_total(Setting::High),
            excluding_net_bond_proceeds: (0..n).map(|t| total[t] - net_bonds[t]).collect(),
            change_in_balance: total,
        };
        let included: Vec<&str> = pkg.proposals.iter().map(|p| p.id.as_str()).collect();
        let not_in: Vec<String> = self
            .catalogue()
            .leaves()
            .filter(|p| p.quantifiable != Quantifiable::No && !included.contains(&p.id.as_str()))
            .map(|p| p.id.clone())
            .collect();
        Ok(Evaluated {
            result: PackageResult {
                name: pkg.name.clone(),
                vintage: base.vintage.clone(),
                years: base.accounts.years.clone(),
                counterfactual: pkg.counterfactual.clone(),
                baseline: baseline_accounts,
                scenario,
                contributions,
                totals,
                monte_carlo: None,
                quantifiable_not_in_package: not_in,
                costings_used,
                units: Bilingual::fixed(
                    "HK$bn; contributions are effects on the consolidated balance (negative = cost or revenue forgone)",
                    "港幣十億元；各項貢獻為對綜合帳目盈虧的影響（負數 = 成本或放棄的收入）",
                ),
            },
            extra,
            model,
        })
    }

    /// A Monte Carlo of a package's scenario: the baseline's shocked paths plus the package's
    /// additions.
    pub(crate) fn package_risk(
        &self,
        e: &Evaluated,
        mc: &McOptions,
    ) -> Result<MonteCarlo, EngineError> {
        let base = self.baseline(Some(&e.result.vintage))?;
        Ok(montecarlo::run(base, &e.extra, self.drivers(), mc).0)
    }

    /// Checks Monte Carlo options against the engine's limit on paths.
    pub fn check_mc(&self, mc: &McOptions) -> Result<McOptions, EngineError> {
        McOptions::new(
            mc.paths,
            mc.seed,
            mc.shock_scale,
            mc.months_threshold,
            mc.reserves_threshold_bn,
            self.limits().max_paths,
        )
        .map_err(|e| EngineError::from(e).under("/monte_carlo"))
    }

    /// `package run`: cost every item of a package, apply them to the baseline, and show each
    /// one's contribution, with the scenario's risk when asked.
    pub fn run_package(
        &self,
        req: &PackageRequest,
        progress: Progress<'_>,
    ) -> Result<Response<PackageResult>, EngineError> {
        let mc = req
            .monte_carlo
            .as_ref()
            .map(|m| self.check_mc(m))
            .transpose()?;
        let mut e = self
            .evaluate_package(
                &req.package,
                req.vintage.as_deref(),
                req.population,
                None,
                progress,
            )
            .map_err(|e| {
                if e.field.starts_with("/vintage") && req.vintage.is_none() {
                    e.under("/package")
                } else if e.field.starts_with("/vintage") || e.is_internal() {
                    e
                } else {
                    e.under("/package")
                }
            })?;
        if let Some(mc) = &mc
            && mc.paths > 0
        {
            e.result.monte_carlo = Some(self.package_risk(&e, mc)?);
        }
        let spec = e.model.is_some().then_some(&req.population);
        Ok(Response::new(
            self.provenance(spec, Some(&e.result.vintage)),
            e.result,
        ))
    }

    /// `package compare`: packages side by side on their common baseline.
    pub fn compare_packages(
        &self,
        req: &CompareRequest,
        progress: Progress<'_>,
    ) -> Result<Response<Comparison>, EngineError> {
        if req.packages.is_empty() {
            return Err(EngineError::invalid(
                "/packages",
                "give at least one package",
                "請最少提供一個組合",
            ));
        }
        self.check_count(req.packages.len(), "/packages")?;
        if let Some(i) = req.packages.iter().position(|p| p.counterfactual.is_some()) {
            return Err(EngineError::invalid(
                format!("/packages/{i}/counterfactual"),
                "a package with a counterfactual is measured against its own counterfactual, not the common baseline; run it with package run",
                "設有反事實情況的組合是與其本身的反事實情況比較，而非共同基線；請以 package run 執行",
            ));
        }
        let mut model = None;
        let mut out: Vec<PackageResult> = Vec::new();
        for (i, p) in req.packages.iter().enumerate() {
            let ev = self
                .evaluate_package(
                    p,
                    req.vintage.as_deref(),
                    req.population,
                    model.clone(),
                    progress,
                )
                .map_err(|e| {
                    if e.is_internal() {
                        e
                    } else {
                        e.under(&format!("/packages/{i}"))
                    }
                })?;
            model = ev.model;
            let r = ev.result;
            if let Some(first) = out.first()
                && first.vintage != r.vintage
            {
                return Err(EngineError::invalid(
                    format!("/packages/{i}/vintage"),
                    format!(
                        "vintage {} differs from the first package's ({}); set one vintage to compare on one baseline",
                        r.vintage, first.vintage
                    ),
                    format!(
                        "年度預測 {} 與第一個組合（{}）不同；請指定同一年度預測以作比較",
                        r.vintage, first.vintage
                    ),
                ));
            }
            out.push(r);
        }
        let first = &out[0];
        let (vintage, years, baseline) = (
            first.vintage.clone(),
            first.years.clone(),
            first.baseline.clone(),
        );
        let spec = model.is_some().then_some(&req.population);
        Ok(Response::new(
            self.provenance(spec, Some(&vintage)),
            Comparison {
                vintage,
                years,
                baseline,
                packages: out
                    .into_iter()
                    .map(|r| ComparedPackage {
                        name: r.name,
                        change_in_balance: r.totals.change_in_balance,
                        scenario: r.scenario,
                        contributions: r.contributions,
                    })
                    .collect(),
            },
        ))
    }
}

/// The additions with every amount's sign reversed (taking a package's items out).
fn negated(a: &Accounts) -> Accounts {
    let neg = |l: &hkb_fiscal::accounts::Line| hkb_fiscal::accounts::Line {
        values: l.values.iter().map(|x| -x).collect(),
        status: l.status.clone(),
    };
    Accounts {
        years: a.years.clone(),
        expenditure: neg(&a.expenditure),
        bond_proceeds: neg(&a.bond_proceeds),
        bond_repayment: neg(&a.bond_repayment),
        heads: a.heads.iter().map(|(h, l)| (*h, neg(l))).collect(),
        ..Accounts::default()
    }
}

/// A package that ships with hkbudget.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ShippedPackage {
    /// Its file name without `.yaml` (`government-2026-27`).
    pub id: String,
    pub package: PackageSpec,
}

/// Every shipped package.
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
pub struct ShippedPackages {
    pub packages: Vec<ShippedPackage>,
}

impl Lab {
    /// The packages in `packages/`, parsed (an error here is a bug in a shipped file).
    pub fn shipped_packages(&self) -> Result<Response<ShippedPackages>, EngineError> {
        let packages = crate::shipped::PACKAGES
            .iter()
            .map(|(id, text)| {
                crate::input::from_yaml::<PackageSpec>(text)
                    .map(|package| ShippedPackage {
                        id: (*id).to_string(),
                        package,
                    })
                    .map_err(|e| {
                        EngineError::internal(format!("packages/{id}.yaml: {}", e.message.en))
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Response::new(
            self.provenance(None, None),
            ShippedPackages { packages },
        ))
    }
}
