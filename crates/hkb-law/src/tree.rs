//! The parameter tree: one YAML file per node under `params/`, loaded and validated once.

use crate::error::LawError;
use crate::period::{Interval, PeriodBound, PeriodKind};
pub use crate::text::{Bilingual, Source, Status};
use crate::value::{ParamValue, Unit};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Where a provision sits in the law.
#[derive(Clone, Debug, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalReference {
    pub ordinance: String,
    pub section: String,
    pub url: String,
    /// False where the section number comes from secondary material and has not been checked
    /// against the ordinance itself.
    #[serde(default)]
    pub verified: bool,
    /// The ordinance's Chinese title (《稅務條例》（第112章）); derived from the English
    /// title for the ordinances hkbudget knows when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordinance_zh: Option<String>,
    /// The section in Chinese (第12條); the English section is shown when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section_zh: Option<String>,
}

impl LegalReference {
    /// The ordinance's title in Chinese: as given, or the official Chinese title of the
    /// ordinances the tree cites.
    pub fn ordinance_in_chinese(&self) -> String {
        if let Some(z) = &self.ordinance_zh {
            return z.clone();
        }
        let known = [
            (
                "Inland Revenue Ordinance (Cap. 112)",
                "《稅務條例》（第112章）",
            ),
            (
                "Stamp Duty Ordinance (Cap. 117)",
                "《印花稅條例》（第117章）",
            ),
            ("Rating Ordinance (Cap. 116)", "《差餉條例》（第116章）"),
            (
                "Mandatory Provident Fund Schemes Ordinance (Cap. 485)",
                "《強制性公積金計劃條例》（第485章）",
            ),
        ];
        known
            .iter()
            .find(|(en, _)| *en == self.ordinance)
            .map_or_else(|| self.ordinance.clone(), |(_, zh)| (*zh).to_string())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    label: Bilingual,
    description: Bilingual,
    unit: Unit,
    period: PeriodKind,
    references: Vec<LegalReference>,
    values: Vec<RawValue>,
    #[serde(default)]
    notes: Option<String>,
    reviewed: Reviewed,
}

/// How far a node has been checked against the Budgets: the law in force at `through` is the
/// tree's (a value carried forward says so here, with the source that announced no change).
#[derive(Clone, Debug, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reviewed {
    /// A year of assessment, financial year or date, by the node's period kind.
    pub through: String,
    /// What changed, or that no change was announced and the value carries forward.
    pub note: String,
    pub source: Source,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValue {
    from: String,
    #[serde(default)]
    to: Option<String>,
    value: serde_yaml_ng::Value,
    #[serde(default)]
    status: Status,
    source: Source,
    #[serde(default)]
    note: Option<String>,
}

/// One value of a node with the period it applies to.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct DatedValue {
    /// As written in the file (`2024/25`, `2024-02-28`).
    pub from: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip)]
    pub interval: Interval,
    pub value: ParamValue,
    pub status: Status,
    pub source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A parameter node: one file of the tree.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Node {
    /// Dotted path, from the file's place in the tree: `salaries_tax.allowances.basic`.
    pub path: String,
    /// File, relative to the tree's root.
    pub file: String,
    pub label: Bilingual,
    pub description: Bilingual,
    pub unit: Unit,
    pub period: PeriodKind,
    pub references: Vec<LegalReference>,
    /// Sorted by start; non-overlapping.
    pub values: Vec<DatedValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub reviewed: Reviewed,
}

impl Node {
    /// The value in force at an instant, if any period covers it.
    pub fn value_at(&self, t: NaiveDateTime) -> Option<&DatedValue> {
        self.values.iter().find(|v| v.interval.contains(t))
    }

    /// Short legal citation: "Inland Revenue Ordinance (Cap. 112) s.12".
    pub fn citation(&self) -> String {
        self.references
            .iter()
            .map(|r| format!("{} {}", r.ordinance, r.section))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The citation in both languages.
    pub fn citation_bilingual(&self) -> Bilingual {
        let zh = self
            .references
            .iter()
            .map(|r| {
                format!(
                    "{} {}",
                    r.ordinance_in_chinese(),
                    r.section_zh.as_deref().unwrap_or(&r.section)
                )
            })
            .collect::<Vec<_>>()
            .join("；");
        Bilingual::new(self.citation(), zh)
    }
}

/// The whole law: every node, by path.
#[derive(Clone, Debug, Default)]
pub struct Law {
    nodes: BTreeMap<String, Node>,
}

/// 1-based line of the `n`-th line starting with `prefix` (after indentation), for error messages
/// about things serde has already accepted.
fn line_of_nth(text: &str, prefix: &str, n: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with(prefix))
        .nth(n)
        .map_or(1, |(i, _)| i + 1)
}

impl Law {
    /// The tree shipped inside the binary.
    pub fn embedded() -> Result<Law, LawError> {
        Law::from_files(Law::embedded_files())
    }

    /// The embedded tree's files as (relative path, text): what `--params DIR` replaces.
    pub fn embedded_files() -> Vec<(String, String)> {
        let mut files = Vec::new();
        collect_embedded(&crate::EMBEDDED_PARAMS, &mut files);
        files
    }

    /// Loads a tree from a directory on disk (for researchers editing the law).
    pub fn from_dir(dir: &Path) -> Result<Law, LawError> {
        let mut files = Vec::new();
        collect_dir(dir, dir, &mut files)?;
        if files.is_empty() {
            return Err(LawError::Io {
                file: dir.display().to_string(),
                message: "no .yaml parameter files found".into(),
            });
        }
        Law::from_files(files)
    }

    /// Builds the tree from (relative path, text) pairs; every file is checked.
    pub fn from_files(files: Vec<(String, String)>) -> Result<Law, LawError> {
        let mut nodes = BTreeMap::new();
        for (rel, text) in files {
            let node = parse_node(&rel, &text)?;
            nodes.insert(node.path.clone(), node);
        }
        Ok(Law { nodes })
    }

    pub fn node(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }

    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.nodes.values()
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.nodes.keys().map(String::as_str)
    }

    /// A fingerprint of the whole law: SHA-256 over a canonical text of every node (path, unit,
    /// period kind and each dated value with its period, status and value as JSON), sorted by
    /// path. Two trees with the same values have the same fingerprint, whatever their comments,
    /// key order or file layout. Saved scenarios and population files record it.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for n in self.nodes.values() {
            h.update(n.path.as_bytes());
            h.update(b"\x1f");
            h.update(n.unit.as_str().as_bytes());
            h.update(b"\x1f");
            h.update(n.period.as_str().as_bytes());
            for v in &n.values {
                h.update(b"\x1e");
                h.update(v.from.as_bytes());
                h.update(b"..");
                h.update(v.to.as_deref().unwrap_or("").as_bytes());
                h.update(b"\x1f");
                h.update(v.status.as_str().as_bytes());
                h.update(b"\x1f");
                h.update(
                    serde_json::to_string(&v.value)
                        .unwrap_or_default()
                        .as_bytes(),
                );
            }
            h.update(b"\n");
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Real paths closest to a misspelt one, best first.
    pub fn suggest(&self, wrong: &str) -> Vec<String> {
        let mut scored: Vec<(f64, &str)> = self
            .nodes
            .keys()
            .map(|p| {
                let whole = strsim::jaro_winkler(wrong, p);
                let tail = wrong.rsplit('.').next().unwrap_or(wrong);
                let ptail = p.rsplit('.').next().unwrap_or(p);
                (
                    whole.max(0.9 * strsim::jaro_winkler(tail, ptail)),
                    p.as_str(),
                )
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored
            .into_iter()
            .take(3)
            .filter(|(s, _)| *s > 0.6)
            .map(|(_, p)| p.to_string())
            .collect()
    }
}

fn collect_embedded(dir: &include_dir::Dir<'_>, out: &mut Vec<(String, String)>) {
    for f in dir.files() {
        if f.path().extension().is_some_and(|e| e == "yaml") {
            out.push((
                f.path().display().to_string(),
                String::from_utf8_lossy(f.contents()).into_owned(),
            ));
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

fn collect_dir(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<(), LawError> {
    let io = |e: std::io::Error| LawError::Io {
        file: dir.display().to_string(),
        message: e.to_string(),
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            collect_dir(root, &p, out)?;
        } else if p.extension().is_some_and(|x| x == "yaml") {
            let text = std::fs::read_to_string(&p).map_err(|err| LawError::Io {
                file: p.display().to_string(),
                message: err.to_string(),
            })?;
            let rel = p.strip_prefix(root).unwrap_or(&p).display().to_string();
            out.push((rel, text));
        }
    }
    Ok(())
}

fn parse_node(rel: &str, text: &str) -> Result<Node, LawError> {
    let at = |line: usize, message: String| LawError::Invalid {
        file: rel.to_string(),
        line,
        message,
    };
    let raw: RawNode = serde_yaml_ng::from_str(text).map_err(|e| {
        let line = e.location().map_or(1, |l| l.line());
        at(line, e.to_string())
    })?;
    let path = rel.trim_end_matches(".yaml").replace(['/', '\\'], ".");
    if !path.split('.').all(|seg| {
        !seg.is_empty()
            && seg
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }) {
        return Err(at(
            1,
            format!(
                "file name gives the path '{path}': use lower-case letters, digits and '_' only"
            ),
        ));
    }
    for (key, b) in [("label", &raw.label), ("description", &raw.description)] {
        if b.en.trim().is_empty() || b.zh.trim().is_empty() {
            return Err(at(
                line_of_nth(text, &format!("{key}:"), 0),
                format!("`{key}` needs both `en` and `zh` text"),
            ));
        }
    }
    if raw.references.is_empty() {
        return Err(at(
            line_of_nth(text, "references:", 0),
            "at least one legal reference is required".into(),
        ));
    }
    if raw.values.is_empty() {
        return Err(at(
            line_of_nth(text, "values:", 0),
            "at least one dated value is required".into(),
        ));
    }
    let mut values = Vec::with_capacity(raw.values.len());
    for (i, rv) in raw.values.into_iter().enumerate() {
        let line = line_of_nth(text, "- from:", i);
        let from =
            PeriodBound::parse(&rv.from, raw.period).map_err(|m| at(line, format!("from: {m}")))?;
        let to = rv
            .to
            .as_deref()
            .map(|s| PeriodBound::parse(s, raw.period))
            .transpose()
            .map_err(|m| at(line, format!("to: {m}")))?;
        let interval = Interval {
            from: from.start(),
            until: to.map(PeriodBound::end_exclusive),
        };
        if interval.until.is_some_and(|u| u <= interval.from) {
            return Err(at(
                line,
                format!(
                    "`to: {}` ends before `from: {}`",
                    rv.to.unwrap_or_default(),
                    rv.from
                ),
            ));
        }
        let value = ParamValue::from_yaml(raw.unit, &rv.value, "value").map_err(|m| {
            at(
                line,
                format!(
                    "{m} (unit `{}` needs {})",
                    raw.unit.as_str(),
                    raw.unit.describe()
                ),
            )
        })?;
        if rv.source.url.trim().is_empty() || rv.source.document.trim().is_empty() {
            return Err(at(
                line,
                "every value needs a source with `document` and `url`".into(),
            ));
        }
        if !matches!(
            rv.status,
            Status::Enacted | Status::Proposed | Status::Secondary | Status::Assumption
        ) {
            return Err(at(
                line,
                format!(
                    "status `{}` is not a status of the law; use enacted, proposed, secondary or assumption",
                    rv.status
                ),
            ));
        }
        values.push(DatedValue {
            from: rv.from,
            to: rv.to,
            interval,
            value,
            status: rv.status,
            source: rv.source,
            note: rv.note,
        });
    }
    // Sort by start and reject overlaps: two values in force at once would make the law ambiguous.
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by_key(|&i| values[i].interval.from);
    for w in order.windows(2) {
        let (a, b) = (&values[w[0]], &values[w[1]]);
        if a.interval.overlaps(&b.interval) {
            return Err(at(
                line_of_nth(text, "- from:", w[1]),
                format!(
                    "the value from {} overlaps the value from {} (give the earlier one a `to:`)",
                    b.from, a.from
                ),
            ));
        }
    }
    let mut sorted: Vec<Option<DatedValue>> = values.into_iter().map(Some).collect();
    let values: Vec<DatedValue> = order.into_iter().filter_map(|i| sorted[i].take()).collect();
    let rline = line_of_nth(text, "reviewed:", 0);
    let through = PeriodBound::parse(&raw.reviewed.through, raw.period)
        .map_err(|m| at(rline, format!("reviewed.through: {m}")))?;
    if raw.reviewed.note.trim().is_empty()
        || raw.reviewed.source.document.trim().is_empty()
        || !raw.reviewed.source.has_url()
    {
        return Err(at(
            rline,
            "reviewed: needs a note and a source with `document` and `url`".into(),
        ));
    }
    if !values.iter().any(|v| v.interval.contains(through.start())) {
        return Err(at(
            rline,
            format!(
                "reviewed.through: {} is not covered by any value; add the value in force then (null where not in force)",
                raw.reviewed.through
            ),
        ));
    }
    Ok(Node {
        path,
        file: rel.to_string(),
        label: raw.label,
        description: raw.description,
        unit: raw.unit,
        period: raw.period,
        references: raw.references,
        values,
        notes: raw.notes,
        reviewed: raw.reviewed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "label: {en: Basic, zh: 基本}\ndescription: {en: d, zh: d}\nunit: hkd\nperiod: year_of_assessment\nreferences:\n  - {ordinance: IRO, section: s.1, url: u}\nvalues:\n  - from: 2017/18\n    to: 2018/19\n    value: 1\n    source: {document: d, url: u}\n  - from: 2019/20\n    value: 2\n    source: {document: d, url: u}\nreviewed: {through: 2026/27, note: no change, source: {document: d, url: \"https://x\"}}\n";

    fn load(text: &str) -> Result<Law, LawError> {
        Law::from_files(vec![("a/b.yaml".into(), text.into())])
    }

    #[test]
    fn loads_a_good_node() {
        let law = load(GOOD);
        assert!(law.is_ok(), "{law:?}");
    }

    #[test]
    fn unknown_key_names_file_and_line() {
        let bad = GOOD.replace("unit: hkd", "unit: hkd\ncolour: red");
        let err = load(&bad).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            err.contains("a/b.yaml") && err.contains("colour") && err.contains("line 4"),
            "{err}"
        );
    }

    #[test]
    fn overlap_is_an_error() {
        let bad = GOOD.replace("to: 2018/19", "to: 2019/20");
        let err = load(&bad).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("overlaps") && err.contains("line 12"), "{err}");
    }

    #[test]
    fn missing_language_is_an_error() {
        let bad = GOOD.replace("zh: 基本", "zh: ''");
        let err = load(&bad).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("`label` needs both"), "{err}");
    }

    #[test]
    fn wrong_unit_is_an_error() {
        let bad = GOOD.replace("unit: hkd", "unit: rate");
        let err = load(&bad).err().map(|e| e.to_string()).unwrap_or_default();
        // value 1 is a valid rate; value 2 (line 12) is not
        assert!(
            err.contains("between 0 and 1") && err.contains("line 12"),
            "{err}"
        );
        let bad = GOOD.replace("unit: hkd", "unit: dollars");
        let err = load(&bad).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("unknown variant `dollars`"), "{err}");
    }
}
