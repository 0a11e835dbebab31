// 財政前景 Outlook: the Medium Range Forecast as the model reads it (the baseline, year by year,
// each value with its status), its Monte Carlo risk (fan charts of the consolidated balance,
// reserves and bonds outstanding, with tables), probability statements against thresholds the
// reader sets, the published figures beside the model (which hold by construction), how each
// derived line was made, and the years before the forecast. Every figure comes from the server.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, download, get, post, type Schemas } from '../api/client';
import { Chart, type ChartOption } from '../components/Chart';
import { Busy, ErrorBox, NumberField, Reproduce, Section, StatusBadge, useRun } from '../components/ui';
import { bn, num, prob } from '../format';
import { type Lang, pick, t } from '../i18n';
import type { PageProps } from '../nav';
import { readState, writeState } from '../state';
import './Outlook.css';

export type Projection = Schemas['Response17'];
export type Accounts = Schemas['Accounts'];
export type Line = Schemas['Line'];
export type Fan = Schemas['Fan'];

/** Strings shared with the Overview (which shows the same lines and fans). */
export const L = {
  revenue: { zh: '政府收入', en: 'Revenue' },
  expenditure: { zh: '政府開支', en: 'Expenditure' },
  bond_proceeds: { zh: '發債所得', en: 'Bond proceeds' },
  bond_repayment: { zh: '償還債券', en: 'Bond repayment' },
  balance_before_bonds: { zh: '綜合帳目盈虧（未計債券）', en: 'Consolidated balance before bonds' },
  balance: { zh: '綜合帳目盈虧', en: 'Consolidated balance' },
  reserves: { zh: '財政儲備（3月31日）', en: 'Fiscal reserves at 31 March' },
  reserves_months_of_expenditure: { zh: '儲備相當於開支月數', en: 'Reserves in months of expenditure' },
  debt: { zh: '未償還政府債券', en: 'Government bonds outstanding' },
  discrepancy: { zh: '差異（儲備變動減公布盈虧）', en: 'Discrepancy (change in reserves less published balance)' },
  earnings_and_profits_tax: { zh: '入息及利得稅', en: 'Earnings and profits tax' },
  stamp_duties: { zh: '印花稅', en: 'Stamp duties' },
  land_premium: { zh: '地價收入', en: 'Land premium' },
  other_revenue: { zh: '其他收入', en: 'Other revenue' },
  months: { zh: '個月', en: 'months' },
  p5: { zh: '第5百分位', en: '5th percentile' },
  p25: { zh: '第25百分位', en: '25th percentile' },
  p50: { zh: '中位數', en: 'Median' },
  p75: { zh: '第75百分位', en: '75th percentile' },
  p95: { zh: '第95百分位', en: '95th percentile' },
  p5s: { zh: '第5', en: '5th' },
  p25s: { zh: '第25', en: '25th' },
  p75s: { zh: '第75', en: '75th' },
  p95s: { zh: '第95', en: '95th' },
  pctOfPaths: { zh: '模擬路徑百分位', en: 'Percentile of the paths' },
  flatFan: {
    zh: '各模擬路徑的未償還債券相同：發債及償還按基線計算，不受經濟衝擊影響（見「模擬方法」）。',
    en: 'Bonds outstanding are the same on every path: issuance and repayment follow the baseline and take no economic shock (see “How the paths are drawn”).',
  },
  band90: { zh: '90% 區間', en: '90% band' },
  band50: { zh: '50% 區間', en: '50% band' },
  baselineLine: { zh: '基線', en: 'Baseline' },
  actual: { zh: '實際', en: 'Actual' },
  derivedNote: {
    zh: '標示「推算」的數字並非政府公布的數字，而是模型按公布的中期預測推算所得（推算方法見「財政前景」頁）。',
    en: 'Figures marked “derived” are not published by the government: the model derives them from the published Medium Range Forecast (the Outlook page shows how).',
  },
  reservesAt: { zh: '儲備及未償還債券為年度終結時（3月31日）的數字。', en: 'Reserves and bonds outstanding are at the end of each year (31 March).' },
} as const;

const S = {
  title: { zh: '財政前景', en: 'Fiscal outlook' },
  lede: {
    zh: '政府中期預測的基線、各數字的狀態，以及按歷史衝擊模擬的風險：儲備、綜合帳目盈虧及政府債券的可能範圍。',
    en: "The government's Medium Range Forecast as the model's baseline, each figure with its status, and its risk simulated from historical shocks: the likely range of the reserves, the consolidated balance and government bonds.",
  },
  settings: { zh: '設定', en: 'Settings' },
  vintage: { zh: '中期預測版本', en: 'Forecast vintage' },
  vintageHint: { zh: '以該年度財政預算案公布的中期預測為基線。', en: "The Medium Range Forecast published with that year's Budget." },
  paths: { zh: '模擬路徑數目', en: 'Monte Carlo paths' },
  pathsHint: { zh: '1,000 至 20,000；路徑越多，機率越穩定。', en: '1,000 to 20,000; more paths give steadier probabilities.' },
  pathsClamped: { zh: '已按上下限調整為', en: 'Adjusted to the allowed range:' },
  seed: { zh: '隨機種子', en: 'Seed' },
  seedHint: { zh: '相同種子在任何電腦都得出相同路徑。', en: 'The same seed gives the same paths on any machine.' },
  monthsThreshold: { zh: '儲備門檻：開支月數', en: 'Reserves threshold: months of expenditure' },
  bnOn: { zh: '同時計算儲備低於某金額的機會', en: 'Also the chance of reserves below an amount' },
  bnThreshold: { zh: '儲備門檻金額', en: 'Reserves threshold' },
  risk: { zh: '機率', en: 'Probabilities' },
  riskNote: {
    zh: '每條路徑逐年抽取過往其中一年的實際經濟偏差；數字為符合條件的路徑所佔比例。',
    en: 'Each path draws, year by year, the joint economic deviations of one historical year; each figure is the share of paths that meet the condition.',
  },
  pMonths: { zh: '儲備低於 {n} 個月開支', en: 'Reserves below {n} months of expenditure' },
  pBn: { zh: '儲備低於 {x} 十億港元', en: 'Reserves below HK${x}bn' },
  pSurplus: { zh: '綜合帳目錄得盈餘', en: 'Consolidated surplus' },
  pCeiling: { zh: '未償還債券超過借款上限', en: 'Bonds outstanding above the borrowing ceiling' },
  statementMonths: { zh: '{y} 年度終結時儲備低於 {n} 個月開支的機會為 {p}。', en: 'In {y}, the chance that the reserves end below {n} months of expenditure is {p}.' },
  statementBn: { zh: '{y} 年度終結時儲備低於 {x} 十億港元的機會為 {p}。', en: 'In {y}, the chance that the reserves end below HK${x}bn is {p}.' },
  statementSurplus: { zh: '{y} 年度綜合帳目錄得盈餘的機會為 {p}。', en: 'In {y}, the chance of a consolidated surplus is {p}.' },
  statementCeiling: { zh: '{y} 年度未償還債券超過借款上限（{c} 十億港元）的機會為 {p}。', en: 'In {y}, the chance that bonds outstanding exceed the borrowing ceiling (HK${c}bn) is {p}.' },
  fanBalance: { zh: '綜合帳目盈虧的可能範圍', en: 'The consolidated balance: likely range' },
  fanReserves: { zh: '財政儲備的可能範圍（3月31日）', en: 'Fiscal reserves at 31 March: likely range' },
  fanDebt: { zh: '未償還政府債券的可能範圍', en: 'Government bonds outstanding: likely range' },
  fanNote: {
    zh: '深色陰影為模擬路徑的 50% 區間（第25至75百分位），淺色為 90% 區間（第5至95百分位）；實線為中位數，虛線為基線（中期預測）；黑線為過往年度的實際或修訂數字。',
    en: 'Dark shading: the 50% band of the simulated paths (25th to 75th percentile); light: the 90% band (5th to 95th); solid line: the median; dashed: the baseline (the forecast); black: the years before, actual or revised.',
  },
  baselineTable: { zh: '基線（十億港元）', en: 'The baseline (HK$bn)' },
  line: { zh: '項目', en: 'Line' },
  heads: { zh: '其中：各收入項目', en: 'Of which, revenue heads' },
  published: { zh: '公布數字與模型', en: 'Published figures beside the model' },
  publishedNote: {
    zh: '「按構建成立」的數字是基線刻意重現的公布數字，因此必然相符，並非對模型的檢驗；其餘數字由其他數字計算得出，可能與公布數字不同。',
    en: '“By construction” figures are published figures the baseline is built to reproduce, so they agree by design and do not test the model; the others are computed from other figures and could disagree.',
  },
  what: { zh: '數字', en: 'Figure' },
  when: { zh: '年度／日期', en: 'Year or date' },
  pub: { zh: '公布', en: 'Published' },
  model: { zh: '模型', en: 'Model' },
  byConstruction: { zh: '按構建成立', en: 'by construction' },
  computed: { zh: '計算所得', en: 'computed' },
  floor: { zh: '下限：模型應不低於此數', en: 'a floor: the model should be at or above it' },
  derivations: { zh: '推算方法', en: 'How the derived lines were made' },
  history: { zh: '過往年度（十億港元）', en: 'The years before (HK$bn)' },
  historyNote: {
    zh: '政府公布的實際及修訂數字；「缺漏」表示資料來源沒有該數字。',
    en: 'Actual and revised figures as published; “missing” means the sources have no figure.',
  },
  method: { zh: '模擬方法', en: 'How the paths are drawn' },
  paths_: { zh: '路徑', en: 'paths' },
  seed_: { zh: '種子', en: 'seed' },
  export: { zh: '匯出', en: 'Export' },
  none: { zh: '—', en: '—' },
  units: { zh: '單位：十億港元', en: 'Units: HK$bn' },
  table: { zh: '數據表', en: 'Figures' },
  yes: { zh: '是', en: 'yes' },
} as const;

function s(k: keyof typeof S, lang: Lang): string {
  return S[k][lang];
}

export function l(k: keyof typeof L, lang: Lang): string {
  return L[k][lang];
}

/** A string with {name} holes filled. */
function fill(text: string, v: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');
}

/** The label of an account line or a revenue head (the key itself if unknown). */
export function lineLabel(key: string, lang: Lang): string {
  return key in L ? l(key as keyof typeof L, lang) : key;
}

/**
 * A status badge shown only where the value's status differs from the status of its year
 * (`base`): the year's status is shown once, in the heading.
 */
export function Mark({ status, base, lang }: { status: string | undefined; base?: string; lang: Lang }) {
  if (!status || status === base) return null;
  return (
    <>
      {' '}
      <StatusBadge status={status} lang={lang} />
    </>
  );
}

/** The name of a scrollable table region (distinct from its section's heading). */
export function tableLabel(title: string, lang: Lang): string {
  return lang === 'zh' ? `${title}（表格）` : `${title} (table)`;
}

/** A value of a line: HK$bn (or months), "—" when missing. */
export function fmtLine(key: string, v: number | null | undefined): string {
  return key === 'reserves_months_of_expenditure' ? num(v, 1) : bn(v, 1);
}

/**
 * Calls `f`, again after a pause while the server answers 429 (every worker busy with a
 * society-wide computation), a few times; an abort ends the wait.
 */
export async function retryBusy<T>(f: () => Promise<T>, signal: AbortSignal, tries = 6): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await f();
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 429) || i >= tries || signal.aborted) throw e;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 400 * i);
        signal.addEventListener('abort', () => (clearTimeout(timer), reject(new DOMException('aborted', 'AbortError'))), { once: true });
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The fan chart (shared with the Overview).

export interface FanSpec {
  title: string;
  fan: Fan;
  years: string[];
  baseline: Line;
  history?: { years: string[]; line: Line };
  zeroLine?: boolean;
  threshold?: { value: number; label: string } | null;
}

/**
 * A fan chart: the 90% and 50% bands of the paths (drawn as stacked areas, so the band widths are
 * differences of the server's percentiles, for drawing only), the median, the baseline, and the
 * years before the forecast. The tooltip shows the server's own percentiles.
 */
export function FanChart({ spec, lang, testId, height }: { spec: FanSpec; lang: Lang; testId?: string; height?: number }) {
  const option: ChartOption = useMemo(() => {
    const hy = spec.history?.years ?? [];
    const cats = [...hy, ...spec.years];
    const pad = hy.map(() => null);
    const f = spec.fan;
    const diff = (a: number[], b: number[]) => a.map((x, i) => x - b[i]);
    const hasHist = !!spec.history?.line.values.some((v) => v !== null);
    const hist = spec.history ? [...spec.history.line.values, ...spec.years.map(() => null)] : [];
    // The last history year joins the baseline, so the two lines meet.
    const base = [...pad, ...spec.baseline.values];
    const band = (name: string, data: (number | null)[], color: string) => ({
      name,
      itemStyle: { color: color === 'transparent' ? color : color.replace(/[\d.]+\)$/, color.includes('0.38') ? '0.65)' : '0.3)') },
      type: 'line',
      stack: 'fan',
      stackStrategy: 'all',
      symbol: 'none',
      lineStyle: { opacity: 0 },
      areaStyle: { color },
      emphasis: { disabled: true },
      data,
    });
    const series: any[] = [
      { ...band('p5', [...pad, ...f.p5], 'transparent'), areaStyle: undefined },
      band(l('band90', lang), [...pad, ...diff(f.p25, f.p5)], 'rgba(11,92,173,0.16)'),
      band(l('band50', lang), [...pad, ...diff(f.p75, f.p25)], 'rgba(11,92,173,0.38)'),
      band(l('band90', lang), [...pad, ...diff(f.p95, f.p75)], 'rgba(11,92,173,0.16)'),
      { name: l('p50', lang), type: 'line', symbol: 'circle', symbolSize: 5, color: '#0b5cad', lineStyle: { width: 2 }, data: [...pad, ...f.p50] },
      { name: l('baselineLine', lang), type: 'line', symbol: 'none', color: '#c2410c', lineStyle: { type: 'dashed', width: 2 }, data: base },
    ];
    if (hasHist) {
      series.push({ name: l('actual', lang), type: 'line', symbol: 'circle', symbolSize: 5, color: '#17202a', lineStyle: { width: 2 }, connectNulls: false, data: hist });
    }
    const marks: any[] = [];
    if (spec.zeroLine) marks.push({ yAxis: 0, lineStyle: { color: '#52606d', type: 'solid' }, label: { show: false } });
    if (spec.threshold) marks.push({ yAxis: spec.threshold.value, lineStyle: { color: '#be123c', type: 'dotted', width: 2 }, label: { formatter: spec.threshold.label, position: 'insideEndTop', color: '#be123c' } });
    if (marks.length) series[4].markLine = { symbol: 'none', silent: true, data: marks };
    const legend = [l('actual', lang), l('baselineLine', lang), l('p50', lang), l('band50', lang), l('band90', lang)].filter((n) => hasHist || n !== l('actual', lang));
    return {
      tooltip: {
        trigger: 'axis',
        formatter: (ps: any) => {
          const i = (Array.isArray(ps) ? ps[0] : ps).dataIndex as number;
          const y = cats[i];
          const rows: [string, number | null | undefined][] = [];
          if (i < hy.length) rows.push([l('actual', lang), spec.history?.line.values[i]]);
          else {
            const j = i - hy.length;
            rows.push([l('p95', lang), f.p95[j]], [l('p75', lang), f.p75[j]], [l('p50', lang), f.p50[j]], [l('p25', lang), f.p25[j]], [l('p5', lang), f.p5[j]], [l('baselineLine', lang), spec.baseline.values[j]]);
          }
          return `<strong>${y}</strong><br/>` + rows.map(([k, v]) => `${k}: ${bn(v, 1)}`).join('<br/>');
        },
      },
      legend: { top: 0, data: legend, selectedMode: false, itemGap: 8, textStyle: { fontSize: 11 } },
      grid: { left: 48, right: 28, top: 76, bottom: 28 },
      xAxis: { type: 'category', data: cats, boundaryGap: false },
      yAxis: { type: 'value', name: t('hkdbn', lang), nameTextStyle: { align: 'left' }, axisLabel: { formatter: (v: number) => num(v) } },
      series,
    };
  }, [spec, lang]);
  return <Chart option={option} label={spec.title} height={height ?? 320} testId={testId} />;
}

/** The figures of a fan chart as a table: each year's percentiles and the baseline. */
export function FanTable({ spec, lang, compact, testId }: { spec: FanSpec; lang: Lang; compact?: boolean; testId?: string }) {
  const cols: (keyof Fan)[] = compact ? ['p5', 'p50', 'p95'] : ['p5', 'p25', 'p50', 'p75', 'p95'];
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={tableLabel(spec.title, lang)}>
      <table class="fan-table yrows" data-testid={testId}>
        <caption class="sr-only">{spec.title}</caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              {t('year', lang)}
              <span class="sr-only"> · </span>
              <br />
              <span class="muted">{t('status', lang)}</span>
            </th>
            <th scope="colgroup" colSpan={cols.length} class="pct-group">
              {l('pctOfPaths', lang)}
            </th>
            <th scope="col" class="n" rowSpan={2}>
              {l('baselineLine', lang)}
            </th>
          </tr>
          <tr>
            {cols.map((c) => (
              <th scope="col" class="n" key={c}>
                {l(c === 'p50' ? 'p50' : (`${c}s` as 'p5s'), lang)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {spec.years.map((y, i) => (
            <tr key={y}>
              <th scope="row">
                {y}
                <br />
                <StatusBadge status={spec.baseline.status[i]} lang={lang} />
              </th>
              {cols.map((c) => (
                <td class="n" key={c}>
                  {bn(spec.fan[c][i], 1)}
                </td>
              ))}
              <td class="n">{bn(spec.baseline.values[i], 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The page.

interface State {
  vintage?: string;
  paths: number;
  seed: number;
  months: number;
  bnOn: boolean;
  belowBn: number;
}

const DEFAULT: State = { paths: 2000, seed: 20240228, months: 12, bnOn: true, belowBn: 600 };
const MIN_PATHS = 1000;
const MAX_PATHS = 20000;

function clampPaths(n: number): number {
  return Math.min(MAX_PATHS, Math.max(MIN_PATHS, Math.round(n)));
}

/** The /project request of a state (the same JSON the export endpoints take). */
export function projectRequest(st: State): Record<string, unknown> {
  const mc: Record<string, unknown> = {
    paths: clampPaths(st.paths),
    seed: Math.max(0, Math.round(st.seed)),
    months_threshold: st.months,
  };
  if (st.bnOn) mc.reserves_threshold_bn = st.belowBn;
  const r: Record<string, unknown> = {};
  if (st.vintage) r.vintage = st.vintage;
  r.monte_carlo = mc;
  return r;
}

function cliCommand(st: State, vintage: string): string {
  const parts = ['hkbudget project', `--vintage ${vintage}`, `--paths ${clampPaths(st.paths)}`, `--mc-seed ${Math.max(0, Math.round(st.seed))}`, `--months ${st.months}`];
  if (st.bnOn) parts.push(`--below ${st.belowBn}`);
  return parts.join(' ');
}

export function Outlook({ lang }: PageProps) {
  const [st, setSt] = useState<State>(() => ({ ...DEFAULT, ...(readState<Partial<State>>() ?? {}) }));
  const set = (p: Partial<State>) => setSt((x) => ({ ...x, ...p }));
  const version = useRun<Schemas['VersionInfo']>('version', (signal) => get('/version', { signal }) as Promise<Schemas['VersionInfo']>);
  const req = useMemo(() => projectRequest(st), [st]);
  const key = JSON.stringify(req);
  // The first projection is asked for at once; later edits wait for a pause in the typing.
  const firstKey = useRef(key);
  const run = useRun<Projection>(key, (signal) => retryBusy(() => post('/project', req as never, { signal }) as Promise<Projection>, signal), key === firstKey.current ? 0 : 300);
  const vintage = st.vintage ?? run.data?.vintage ?? version.data?.default_vintage;
  // The URL names the vintage used, so a link gives the same projection when a newer one ships.
  useEffect(() => writeState({ ...st, vintage }), [st, vintage]);
  const [exportError, setExportError] = useState<unknown>(null);
  const exportReq = { ...req, vintage };
  const doExport = (fmt: 'csv' | 'xlsx') => {
    setExportError(null);
    download(`/export/project/${fmt}`, exportReq, `hkbudget-projection.${fmt}`).catch(setExportError);
  };
  const vintages = version.data?.vintages ?? (vintage ? [vintage] : []);
  const d = run.data;
  const pathsUsed = clampPaths(st.paths);
  return (
    <>
      <h1>{s('title', lang)}</h1>
      <p class="lede">{s('lede', lang)}</p>
      <div class="outlook-layout">
        <Section title={s('settings', lang)} id="ol-settings">
          <div class="field">
            <label for="ol-vintage">{s('vintage', lang)}</label>
            <select id="ol-vintage" data-testid="outlook-vintage" value={vintage ?? ''} aria-describedby="ol-vintage-hint" onChange={(e) => set({ vintage: (e.target as HTMLSelectElement).value })}>
              {vintages
                .slice()
                .reverse()
                .map((v) => (
                  <option value={v} key={v}>
                    {v}
                  </option>
                ))}
            </select>
            <div class="hint" id="ol-vintage-hint">
              {s('vintageHint', lang)}
            </div>
          </div>
          <ErrorBox error={version.error} lang={lang} />
          <NumberField id="ol-paths" label={s('paths', lang)} value={st.paths} min={MIN_PATHS} max={MAX_PATHS} step={1000} hint={s('pathsHint', lang)} onInput={(v) => set({ paths: v })} />
          {pathsUsed !== st.paths && (
            <p class="hint" role="status">
              {s('pathsClamped', lang)} {num(pathsUsed)}
            </p>
          )}
          <NumberField id="ol-seed" label={s('seed', lang)} value={st.seed} min={0} step={1} hint={s('seedHint', lang)} onInput={(v) => set({ seed: v })} />
          <NumberField id="ol-months" label={s('monthsThreshold', lang)} unit={l('months', lang)} value={st.months} min={0} max={120} step={0.5} onInput={(v) => set({ months: v })} />
          <div class="check">
            <input id="ol-bnon" type="checkbox" checked={st.bnOn} onChange={(e) => set({ bnOn: (e.target as HTMLInputElement).checked })} />
            <label for="ol-bnon">{s('bnOn', lang)}</label>
          </div>
          {st.bnOn && <NumberField id="ol-below" label={s('bnThreshold', lang)} unit={t('hkdbn', lang)} value={st.belowBn} min={0} step={50} onInput={(v) => set({ belowBn: v })} />}
          <div class="row no-print">
            <button type="button" onClick={() => doExport('csv')} data-testid="export-csv">
              {t('exportCsv', lang)}
            </button>
            <button type="button" onClick={() => doExport('xlsx')} data-testid="export-xlsx">
              {t('exportXlsx', lang)}
            </button>
          </div>
          <ErrorBox error={exportError} lang={lang} />
          <Reproduce lang={lang} cli={vintage ? cliCommand(st, vintage) : undefined} path="/project" body={exportReq} />
        </Section>
        <div class="outlook-main">
          <Probabilities d={d} busy={run.busy} error={run.error} lang={lang} />
        </div>
      </div>
      {d && <Results d={d} st={st} lang={lang} />}
    </>
  );
}

function Probabilities({ d, busy, error, lang }: { d: Projection | null; busy: boolean; error: unknown; lang: Lang }) {
  return (
    <Section title={s('risk', lang)} id="ol-risk" actions={<Busy busy={busy} lang={lang} />}>
      <ErrorBox error={error} lang={lang} />
      {d?.monte_carlo && <ProbabilitiesBody d={d} mc={d.monte_carlo} lang={lang} />}
    </Section>
  );
}

function ProbabilitiesBody({ d, mc, lang }: { d: Projection; mc: Schemas['MonteCarlo']; lang: Lang }) {
  const p = mc.probabilities;
  const n = num(p.months_threshold, p.months_threshold % 1 ? 1 : 0);
  const x = p.reserves_threshold_bn != null ? num(p.reserves_threshold_bn, p.reserves_threshold_bn % 1 ? 1 : 0) : '';
  const last = d.years.length - 1;
  const statements = (i: number) => {
    const y = d.years[i];
    const out = [fill(s('statementMonths', lang), { y, n, p: prob(p.reserves_below_months[i]) })];
    if (p.reserves_below_bn) out.push(fill(s('statementBn', lang), { y, x, p: prob(p.reserves_below_bn[i]) }));
    out.push(fill(s('statementSurplus', lang), { y, p: prob(p.consolidated_surplus[i]) }));
    out.push(fill(s('statementCeiling', lang), { y, c: num(d.borrowing_ceiling[i] ?? null), p: prob(p.debt_above_ceiling[i]) }));
    return out;
  };
  return (
    <>
      <p class="hint">
        {s('riskNote', lang)} {num(mc.paths)} {s('paths_', lang)} · {s('seed_', lang)} {mc.seed}
      </p>
      <div class="statements" data-testid="outlook-statements">
        {[0, last].filter((i, k, a) => a.indexOf(i) === k).map((i) => (
          <ul key={i}>
            {statements(i).map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        ))}
      </div>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={tableLabel(s('risk', lang), lang)}>
        <table class="yrows" data-testid="outlook-probabilities">
          <caption class="sr-only">{s('risk', lang)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('year', lang)}</th>
              <th scope="col" class="n">
                {fill(s('pMonths', lang), { n })}
              </th>
              {p.reserves_below_bn && (
                <th scope="col" class="n">
                  {fill(s('pBn', lang), { x })}
                </th>
              )}
              <th scope="col" class="n">
                {s('pSurplus', lang)}
              </th>
              <th scope="col" class="n">
                {s('pCeiling', lang)}
              </th>
            </tr>
          </thead>
          <tbody>
            {d.years.map((y, i) => (
              <tr key={y}>
                <th scope="row">{y}</th>
                <td class="n">{prob(p.reserves_below_months[i])}</td>
                {p.reserves_below_bn && <td class="n">{prob(p.reserves_below_bn[i])}</td>}
                <td class="n">{prob(p.consolidated_surplus[i])}</td>
                <td class="n">{prob(p.debt_above_ceiling[i])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details class="method">
        <summary>{s('method', lang)}</summary>
        <ul>
          {mc.method.map((m, i) => (
            <li key={i}>{pick(m, lang)}</li>
          ))}
        </ul>
      </details>
    </>
  );
}

function Results({ d, st, lang }: { d: Projection; st: State; lang: Lang }) {
  const mc = d.monte_carlo;
  const hist = d.history;
  const fans: { id: string; spec: FanSpec }[] = mc
    ? [
        {
          id: 'balance',
          spec: { title: s('fanBalance', lang), fan: mc.balance, years: d.years, baseline: d.baseline.balance, history: { years: hist.years, line: hist.balance }, zeroLine: true },
        },
        {
          id: 'reserves',
          spec: {
            title: s('fanReserves', lang),
            fan: mc.reserves,
            years: d.years,
            baseline: d.baseline.reserves,
            history: { years: hist.years, line: hist.reserves },
            threshold: mc.probabilities.reserves_threshold_bn != null && st.bnOn ? { value: mc.probabilities.reserves_threshold_bn, label: `${num(mc.probabilities.reserves_threshold_bn)}` } : null,
          },
        },
        {
          id: 'debt',
          spec: {
            title: s('fanDebt', lang),
            fan: mc.debt,
            years: d.years,
            baseline: d.baseline.debt,
            history: hist.debt.values.some((v) => v !== null) ? { years: hist.years, line: hist.debt } : undefined,
          },
        },
      ]
    : [];
  return (
    <>
      {fans.map(({ id, spec }) => (
        <Section title={spec.title} id={`ol-fan-${id}`} key={id}>
          <p class="hint">
            {s('fanNote', lang)} {s('units', lang)}
          </p>
          {spec.fan.p5.every((v, i) => v === spec.fan.p95[i]) && <p class="hint">{l('flatFan', lang)}</p>}
          <div class="fan-pair">
            <FanChart spec={spec} lang={lang} testId={`fan-${id}`} />
            <FanTable spec={spec} lang={lang} testId={`fan-${id}-table`} />
          </div>
        </Section>
      ))}
      <Section title={s('baselineTable', lang)} id="ol-baseline">
        <p class="hint">
          {l('derivedNote', lang)} {l('reservesAt', lang)}
        </p>
        <AccountsTable a={d.baseline} lang={lang} heads testId="outlook-baseline" label={s('baselineTable', lang)} />
      </Section>
      <div class="grid">
        <Section title={s('published', lang)} id="ol-published">
          <p class="hint">{s('publishedNote', lang)}</p>
          <PublishedTable rows={d.published} lang={lang} />
        </Section>
        <Section title={s('derivations', lang)} id="ol-derivations">
          <dl class="derivations" data-testid="outlook-derivations">
            {d.derivations.map((x, i) => (
              <div key={i}>
                <dt class="cap">{pick(x.line, lang)}</dt>
                <dd>{pick(x.method, lang)}</dd>
              </div>
            ))}
          </dl>
        </Section>
      </div>
      <Section title={s('history', lang)} id="ol-history">
        <p class="hint">{s('historyNote', lang)}</p>
        <AccountsTable a={hist} lang={lang} testId="outlook-history" label={s('history', lang)} />
      </Section>
    </>
  );
}

const LINES: (keyof Accounts)[] = [
  'revenue',
  'expenditure',
  'balance_before_bonds',
  'bond_proceeds',
  'bond_repayment',
  'balance',
  'reserves',
  'reserves_months_of_expenditure',
  'debt',
  'discrepancy',
];

/**
 * Accounts, lines as rows and years as columns. Each year's status is shown under the year; a
 * value whose status differs is marked; a line whose every value has one status different from
 * its years' says so once, beside its name.
 */
function AccountsTable({ a, lang, heads, testId, label }: { a: Accounts; lang: Lang; heads?: boolean; testId?: string; label: string }) {
  const yearStatus = a.revenue.status;
  const rows: { key: string; line: Line; head?: boolean }[] = [];
  for (const k of LINES) {
    const line = a[k] as Line | null | undefined;
    if (line && line.values.length === a.years.length) rows.push({ key: k, line });
    if (k === 'revenue' && heads) {
      for (const [hk, hl] of Object.entries(a.heads)) if (hl.values.length === a.years.length) rows.push({ key: hk, line: hl, head: true });
    }
  }
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={tableLabel(label, lang)}>
      <table class="accounts" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">{s('line', lang)}</th>
            {a.years.map((y, i) => (
              <th scope="col" class="n" key={y}>
                {y}
                <br />
                <StatusBadge status={yearStatus[i]} lang={lang} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, line, head }) => {
            const one = line.status.every((x) => x === line.status[0]) && line.status.some((x, i) => x !== yearStatus[i]);
            const strong = key === 'balance' || key === 'reserves';
            return (
              <tr key={key} class={head ? 'head-row' : strong ? 'strong' : ''}>
                <th scope="row">
                  {lineLabel(key, lang)}
                  {one && <Mark status={line.status[0]} lang={lang} />}
                </th>
                {line.values.map((v, i) => (
                  <td class="n" key={i}>
                    {fmtLine(key, v)}
                    {!one && <Mark status={line.status[i]} base={yearStatus[i]} lang={lang} />}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function PublishedTable({ rows, lang }: { rows: Schemas['Published'][]; lang: Lang }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={tableLabel(s('published', lang), lang)}>
      <table class="published" data-testid="outlook-published">
        <thead>
          <tr>
            <th scope="col">{s('what', lang)}</th>
            <th scope="col" class="n">
              {s('pub', lang)}
            </th>
            <th scope="col" class="n">
              {s('model', lang)}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <th scope="row">
                <span class="cap">{pick(r.what, lang)}</span>
                <span class="muted">
                  {r.year} ·{' '}
                  <a href={r.source} rel="noreferrer">
                    {t('source', lang)}
                  </a>
                </span>
                <span class="holds">
                  {r.by_construction ? <span class="badge info">{s('byConstruction', lang)}</span> : <span class="badge ok">{s('computed', lang)}</span>}
                  {r.floor && <span class="hint"> {s('floor', lang)}</span>}
                </span>
              </th>
              <td class="n">
                {r.floor && r.published != null ? '≥ ' : ''}
                {bn(r.published, 1)}
              </td>
              <td class="n">{bn(r.model, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
