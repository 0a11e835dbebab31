//! `hkbudget bench` as a table.

use hkb_engine::bench::BenchResult;
use hkb_law::Lang;
use std::io::{self, Write};

pub fn table(w: &mut dyn Write, b: &BenchResult, lang: Lang) -> io::Result<()> {
    if lang.is_zh() {
        writeln!(
            w,
            "hkbudget 效能測試：{} 名受僱人士，{} 條執行緒",
            b.persons, b.threads
        )?;
        writeln!(
            w,
            "  建立人口並校準所有年度        {:>9.1} 毫秒",
            b.build_ms
        )?;
        writeln!(
            w,
            "  基線（連十等分組）            {:>9.2} 毫秒（{} 次的中位數）",
            b.baseline_ms, b.repeat
        )?;
        writeln!(
            w,
            "  基線 + 改革 + 十等分組        {:>9.2} 毫秒（{} 次的中位數）",
            b.reform_ms, b.repeat
        )?;
        writeln!(
            w,
            "  同上，另加住戶十等分組        {:>9.2} 毫秒（{} 次的中位數）",
            b.reform_with_household_deciles_ms, b.repeat
        )?;
        writeln!(
            w,
            "  全港改革運算（所有稅項）      {:>9.2} 毫秒（{} 次的中位數）",
            b.society_reform_ms, b.repeat
        )?;
        writeln!(
            w,
            "  蒙地卡羅 10,000 條路徑        {:>9.2} 毫秒",
            b.monte_carlo_10000_paths_ms
        )
    } else {
        writeln!(
            w,
            "hkbudget bench: {} earners, {} threads",
            b.persons, b.threads
        )?;
        writeln!(w, "  build + calibrate every year  {:>9.1} ms", b.build_ms)?;
        writeln!(
            w,
            "  baseline (+ deciles)          {:>9.2} ms (median of {})",
            b.baseline_ms, b.repeat
        )?;
        writeln!(
            w,
            "  baseline + reform + deciles   {:>9.2} ms (median of {})",
            b.reform_ms, b.repeat
        )?;
        writeln!(
            w,
            "  the same + household deciles  {:>9.2} ms (median of {})",
            b.reform_with_household_deciles_ms, b.repeat
        )?;
        writeln!(
            w,
            "  society-wide reform, all taxes {:>8.2} ms (median of {})",
            b.society_reform_ms, b.repeat
        )?;
        writeln!(
            w,
            "  Monte Carlo, 10,000 paths     {:>9.2} ms",
            b.monte_carlo_10000_paths_ms
        )
    }
}
