// Numbers as Hong Kong readers expect them: HK$ with thousands separators, HK$bn with one or two
// decimals, percentages, and a dash for a missing figure (null in the API's JSON).

// One formatter per number of decimals (creating them is what costs).
const FORMATS = new Map<number, Intl.NumberFormat>();

export function num(x: number | null | undefined, decimals = 0): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const v = Math.abs(x) < 0.5 * 10 ** -decimals ? 0 : x;
  let f = FORMATS.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    FORMATS.set(decimals, f);
  }
  return f.format(v);
}

/** Whole Hong Kong dollars: "HK$8,200". */
export function hkd(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return (x < 0 ? '−HK$' : 'HK$') + num(Math.abs(x), 0);
}

/** HK$bn with a sign for changes: "+1.25", "−3.40". */
export function bn(x: number | null | undefined, decimals = 1, signed = false): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const s = num(Math.abs(x), decimals);
  if (s === num(0, decimals)) return s;
  if (x < 0) return '−' + s;
  return signed ? '+' + s : s;
}

export function pct(x: number | null | undefined, decimals = 1): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return num(x * 100, decimals) + '%';
}

/** A probability as a percentage, never "0%" or "100%" when it is not exactly so. */
export function prob(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  if (p > 0 && p < 0.005) return '<1%';
  if (p < 1 && p > 0.995) return '>99%';
  return num(p * 100, 0) + '%';
}
