//! The packages and reforms that ship with hkbudget (`packages/*.yaml`, `reforms/*.yaml`),
//! embedded, so a front end can offer them by name anywhere (outside the repository too).

/// Packages by name (the file name without `.yaml`).
pub const PACKAGES: &[(&str, &str)] = &[
    (
        "government-2026-27",
        include_str!("../../../packages/government-2026-27.yaml"),
    ),
    (
        "cgcc-not-adopted-2026-27",
        include_str!("../../../packages/cgcc-not-adopted-2026-27.yaml"),
    ),
    (
        "cgcc-2024-25",
        include_str!("../../../packages/cgcc-2024-25.yaml"),
    ),
    (
        "government-2024-25",
        include_str!("../../../packages/government-2024-25.yaml"),
    ),
];

/// Reforms by name.
pub const REFORMS: &[(&str, &str)] = &[
    (
        "basic-allowance-145k",
        include_str!("../../../reforms/basic-allowance-145k.yaml"),
    ),
    (
        "bench-reference",
        include_str!("../../../reforms/bench-reference.yaml"),
    ),
    (
        "no-one-off-reductions",
        include_str!("../../../reforms/no-one-off-reductions.yaml"),
    ),
    (
        "profits-tax-lower-rate-7pct",
        include_str!("../../../reforms/profits-tax-lower-rate-7pct.yaml"),
    ),
    (
        "rates-concession-1000-2025-26",
        include_str!("../../../reforms/rates-concession-1000-2025-26.yaml"),
    ),
    (
        "standard-rate-17pct-top-tier",
        include_str!("../../../reforms/standard-rate-17pct-top-tier.yaml"),
    ),
    (
        "two-tier-standard-rate-2024-25",
        include_str!("../../../reforms/two-tier-standard-rate-2024-25.yaml"),
    ),
    (
        "wider-bands-60k",
        include_str!("../../../reforms/wider-bands-60k.yaml"),
    ),
];

/// The name a user may give for a shipped file: `cgcc-2024-25`, `cgcc-2024-25.yaml` or
/// `packages/cgcc-2024-25.yaml`.
fn stem(name: &str) -> &str {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.strip_suffix(".yaml")
        .or_else(|| base.strip_suffix(".yml"))
        .unwrap_or(base)
}

/// A shipped package's text by name.
pub fn package(name: &str) -> Option<&'static str> {
    let n = stem(name);
    PACKAGES.iter().find(|(k, _)| *k == n).map(|(_, t)| *t)
}

/// A shipped reform's text by name.
pub fn reform(name: &str) -> Option<&'static str> {
    let n = stem(name);
    REFORMS.iter().find(|(k, _)| *k == n).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_find_the_shipped_files() {
        assert!(super::package("cgcc-2024-25").is_some());
        assert!(super::package("packages/cgcc-2024-25.yaml").is_some());
        assert!(super::reform("basic-allowance-145k").is_some());
        assert!(super::reform("nothing").is_none());
    }

    #[test]
    fn every_file_in_packages_and_reforms_is_shipped() {
        for (dir, find) in [
            (
                "packages",
                super::package as fn(&str) -> Option<&'static str>,
            ),
            ("reforms", super::reform),
        ] {
            let path = format!("{}/../../{dir}", env!("CARGO_MANIFEST_DIR"));
            for e in std::fs::read_dir(&path).into_iter().flatten().flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if name.ends_with(".yaml") {
                    let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                    assert_eq!(find(&name), Some(text.as_str()), "{dir}/{name}");
                }
            }
        }
    }
}
