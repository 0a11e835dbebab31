//! # hkb-proposals — the Chamber's proposals as data
//!
//! - **The catalogue** (`catalogue.rs`): every entry of the Chinese General Chamber of
//!   Commerce's submission for the 2024-25 Budget (`proposals/proposals.yaml`), with bilingual
//!   summaries, kind, quantifiability, fiscal weight, the government's response and its sources,
//!   validated on load (unknown fields, a missing language, a broken source URL, duplicate ids and
//!   dangling children are errors); filters and a scorecard. Headings (`level: subsection`)
//!   overlap their children and never add into totals.
//! - **The costing definitions** (`costing.rs`): for every quantifiable proposal
//!   (`proposals/costings.yaml`) and for a user's own, parameters with ranges and sources (or an
//!   explicit assumption), and either a reform of the law or explicit fiscal lines; checked
//!   overrides; the evaluation of lines by year.
//! - **The expression language** of line amounts (`expr.rs`): total on any input, with limits on
//!   length and depth.
//!
//! Running a `reform` costing through the microsimulation is the engine's job (`hkb-engine`);
//! this crate knows nothing of populations.

pub mod catalogue;
pub mod costing;
pub mod error;
pub mod expr;

pub use catalogue::{
    BUDGETS, BudgetResponse, Catalogue, Filter, Kind, Level, Proposal, Quantifiable, Response,
    ResponseStatus, Scorecard, WeightBand,
};
pub use costing::{
    CATALOGUE_REFERENCE_YEAR, CostLine, CostParameter, Costing, EvaluatedLine, Method, Setting,
    Sign,
};
pub use error::ProposalError;
pub use hkb_fiscal::package::LineKind;
pub use hkb_law::Bilingual;

/// The catalogue against the submission itself (`proposals/seed-cgcc-2024-25.txt`, a copy of
/// `shared/seed/000_2613a049f0c29920.txt`): every section and subsection title appears in it,
/// and each subsection has as many items as the submission numbers (1), (2), … under it.
#[cfg(test)]
mod seed_tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    const SEED: &str = include_str!("../../../proposals/seed-cgcc-2024-25.txt");

    fn squeeze(t: &str) -> String {
        t.chars().filter(|c| !c.is_whitespace()).collect()
    }

    #[test]
    fn titles_and_item_counts_match_the_submission() {
        let seed = squeeze(SEED);
        let c = Catalogue::embedded().unwrap_or_else(|e| panic!("{e}"));
        for s in &c.sections {
            assert!(seed.contains(&squeeze(&s.title_zh)), "section {}", s.id);
        }
        // Where each subsection's title sits in the submission.
        let mut starts: Vec<(usize, String)> = Vec::new();
        let mut items: BTreeMap<String, usize> = BTreeMap::new();
        for p in &c.proposals {
            if !starts.iter().any(|(_, id)| *id == p.subsection_id) {
                let at = seed
                    .find(&squeeze(&p.subsection_title_zh))
                    .unwrap_or_else(|| {
                        panic!("subsection {} title not in the seed", p.subsection_id)
                    });
                starts.push((at, p.subsection_id.clone()));
            }
            if p.level == Level::Item {
                *items.entry(p.subsection_id.clone()).or_default() += 1;
            }
        }
        starts.sort();
        for (k, (at, id)) in starts.iter().enumerate() {
            let end = starts.get(k + 1).map_or(seed.len(), |(e, _)| *e);
            let block = &seed[*at..end];
            // Distinct "(n)" markers in the block.
            let markers: BTreeSet<u32> = block
                .match_indices('(')
                .filter_map(|(i, _)| {
                    let rest = &block[i + 1..];
                    let close = rest.find(')')?;
                    rest[..close].parse().ok()
                })
                .collect();
            assert_eq!(
                markers.len(),
                items.get(id).copied().unwrap_or(0),
                "subsection {id}: the submission numbers {markers:?}"
            );
        }
    }
}
