// 政策改革 Reform: a policy editor over every parameter of the law for a year of assessment.
// Each edit reruns the society-wide microsimulation (revenue by tax, with and without behaviour,
// deciles, winners and losers) and, when something changed, the five-year effect on the
// consolidated accounts. Beside each tax sits how well the model matched the published figure
// for that head and year (and whether it matches by construction, as a calibration target).
// Every figure comes from the server; the page only formats and chooses what to show.
import type { ComponentChildren } from 'preact';
import { memo } from 'preact/compat';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { download, get, post, type Schemas } from '../api/client';
import { Chart, type ChartOption, PALETTE } from '../components/Chart';
import { Busy, ErrorBox, NumberField, Reproduce, Section, StatusBadge, useRun } from '../components/ui';
import { bn, hkd, num, pct } from '../format';
import { type Bilingual, type Lang, pick, t } from '../i18n';
import { go, type PageProps } from '../nav';
import { link, readState, writeState } from '../state';
import { loadScenario, SaveButton } from './Saved';
import './Reform.css';

const S = {
  title: { zh: '政策改革', en: 'Reform the tax law' },
  lede: {
    zh: '修改任何一項稅務參數，即時看到全港稅收、各入息十等分組別及五年財政的影響。',
    en: 'Change any parameter of the tax law and see at once its effect on revenue, on each income decile and on the five-year accounts.',
  },
  year: { zh: '課稅年度', en: 'Year of assessment' },
  yearHint: { zh: '全港模擬涵蓋 2017/18 至 2025/26 課稅年度。', en: 'The society-wide model covers the years of assessment 2017/18 to 2025/26.' },
  params: { zh: '法例參數', en: 'Parameters of the law' },
  search: { zh: '搜尋參數', en: 'Search parameters' },
  searchPh: { zh: '例如：免稅額、basic', en: 'e.g. allowance, 免稅額' },
  noMatch: { zh: '沒有相符的參數。', en: 'No parameter matches.' },
  edited: { zh: '已修改', en: 'edited' },
  nEdited: { zh: '項已修改', en: 'edited' },
  resetAll: { zh: '全部還原', en: 'Reset all' },
  reset: { zh: '還原', en: 'Reset' },
  resetTo: { zh: '還原至現行法例：', en: 'Reset to the law: ' },
  law: { zh: '現行法例', en: 'Law' },
  notInForce: { zh: '未生效', en: 'not in force' },
  notInForceHint: { zh: '此年度未生效；輸入數值即引入。', en: 'Not in force this year; a value introduces it.' },
  notModelled: {
    zh: '全港模擬的人口未包括此稅項，修改不會改變下方的收入數字。',
    en: 'The society-wide population does not include this tax: changes here do not move the revenue figures.',
  },
  readOnly: { zh: '只供參閱', en: 'read-only' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  band: { zh: '第 {n} 級', en: 'Band {n}' },
  tier: { zh: '第 {n} 檔', en: 'Tier {n}' },
  bandCol: { zh: '級別', en: 'Band' },
  tierCol: { zh: '檔次', en: 'Tier' },
  rate: { zh: '稅率', en: 'rate' },
  width: { zh: '級距', en: 'width' },
  upto: { zh: '上限', en: 'up to' },
  remainder: { zh: '餘額', en: 'remainder' },
  above: { zh: '以上', en: 'above' },
  first: { zh: '首', en: 'first' },
  over: { zh: '超過', en: 'over' },
  excessOver: { zh: '超出 {x} 的部分', en: 'of the excess over {x}' },
  months: { zh: '個月', en: 'months' },
  quarter: { zh: '第 {n} 季', en: 'Q{n}' },
  otherChanges: { zh: '其他修改（未能以欄位顯示）', en: 'Other changes (not shown as fields)' },
  remove: { zh: '移除', en: 'Remove' },
  behaviour: { zh: '行為反應', en: 'Behavioural responses' },
  behaviourOn: { zh: '計及行為反應', en: 'Include behavioural responses' },
  behaviourHint: {
    zh: '關閉後，「計及行為反應」的數字等於機械效應。彈性的預設值來自模型。',
    en: 'Switched off, the "with behaviour" figures equal the static ones. The default elasticities are the model\'s.',
  },
  salaries_eti: { zh: '薪俸稅應課稅入息彈性', en: 'Elasticity of taxable income (salaries tax)' },
  profits_eti: { zh: '應評稅利潤彈性', en: 'Elasticity of taxable profits' },
  stock_turnover_elasticity: { zh: '股票成交額對印花稅率的彈性', en: 'Elasticity of stock turnover to the duty rate' },
  property_volume_semi_elasticity: { zh: '物業成交量對印花稅率的半彈性', en: 'Semi-elasticity of property deal volume to the duty rate' },
  resetBehaviour: { zh: '還原預設值', en: 'Reset to defaults' },
  results: { zh: '全港影響', en: 'Effect on society' },
  totalChange: { zh: '稅收變動（未計行為反應）', en: 'Revenue change (static)' },
  totalWithBehaviour: { zh: '稅收變動（計及行為反應）', en: 'Revenue change (with behaviour)' },
  sign: { zh: '十億港元；負數即政府收入減少', en: 'HK$bn; negative = revenue lost' },
  noReform: {
    zh: '尚未修改任何參數：下列為現行法例的基線。請在左方修改參數。',
    en: 'No parameter changed yet: the figures below are the baseline of the law. Change a parameter to see a reform.',
  },
  computedIn: { zh: '計算用時 {ms} 毫秒', en: 'computed in {ms} ms' },
  population: { zh: '人口模型：{p} 名受僱人士、{b} 間企業', en: 'Population: {p} earners, {b} businesses' },
  byTax: { zh: '按稅項劃分的稅收', en: 'Revenue by tax' },
  byTaxUnit: { zh: '十億港元；受影響者為人數、企業數、交易宗數或物業數目', en: 'HK$bn; affected = taxpayers, businesses, deals or tenements' },
  tax: { zh: '稅項', en: 'Tax' },
  baseline: { zh: '基線', en: 'Baseline' },
  reform: { zh: '改革後', en: 'Reform' },
  change: { zh: '變動', en: 'Change' },
  withBehaviour: { zh: '計及行為反應', en: 'With behaviour' },
  affected: { zh: '受影響', en: 'Affected' },
  collectionsTitle: { zh: '財政年度的稅款收入：模型與公布數字', en: 'Collections in the financial year: model and published' },
  collectionsHint: {
    zh: '按現行法例、十億港元。模型計算課稅年度的評定稅款；薪俸稅及利得稅在下一財政年度連同暫繳稅收取，模型按此換算並以稅務局的收入校準。把滑鼠移到稅項上可看計算基礎。',
    en: 'Under the law in force, HK$bn. The model computes the tax assessed for a year of assessment; salaries and profits tax are collected the next financial year with provisional tax, and the model maps them so and is calibrated on IRD\'s collections. Hover a tax for its basis.',
  },
  colModel: { zh: '模型', en: 'Model' },
  colPublished: { zh: '公布數字', en: 'Published' },
  trust: { zh: '模型對照公布數字', en: 'Model vs published' },
  total: { zh: '合計', en: 'Total' },
  salaries_tax: { zh: '薪俸稅', en: 'Salaries tax' },
  profits_tax: { zh: '利得稅', en: 'Profits tax' },
  stamp_duty_property: { zh: '物業印花稅', en: 'Stamp duty on property' },
  stamp_duty_stock: { zh: '股票印花稅', en: 'Stamp duty on stock' },
  property_tax: { zh: '物業稅', en: 'Property tax' },
  rates_domestic: { zh: '住宅物業差餉', en: 'Rates on domestic tenements' },
  rates_non_domestic: { zh: '非住宅物業差餉', en: 'Rates on non-domestic tenements' },
  calibrated: { zh: '校準目標', en: 'calibrated' },
  calibratedTitle: {
    zh: '模型按此公布數字校準，兩者相符是必然的，並非獨立驗證。',
    en: 'The model is calibrated to this published figure, so it matches by construction: this is not an independent test.',
  },
  vsIRD: { zh: '對比稅務局', en: 'vs IRD' },
  vsPublished: { zh: '對比公布數字', en: 'vs published' },
  noCheck: { zh: '本年度未有公布數字', en: 'no published figure this year' },
  trustHint: {
    zh: '綠色：與公布數字相差少於 5%；琥珀色：少於 15%；紅色：15% 或以上。「校準目標」表示模型按該數字校準，相符是必然的。',
    en: 'Green: within 5% of the published figure; amber: within 15%; red: 15% or more. "Calibrated" means the model is fitted to that figure, so it matches by construction.',
  },
  checks: { zh: '模型與公布數字對照（{year}）', en: 'The model against published figures ({year})' },
  noChecks: { zh: '此課稅年度未有可供對照的公布數字。', en: 'No published figure to check against for this year of assessment.' },
  target: { zh: '項目', en: 'Figure' },
  popKind: { zh: '人口', en: 'Population' },
  published: { zh: '公布數字', en: 'Published' },
  model: { zh: '模型', en: 'Model' },
  error: { zh: '誤差', en: 'Error' },
  role: { zh: '用途', en: 'Role' },
  validation: { zh: '驗證', en: 'validation' },
  earners: { zh: '受僱人士', en: 'earners' },
  businesses: { zh: '企業', en: 'businesses' },
  stock: { zh: '股票交易', en: 'stock trades' },
  property: { zh: '物業交易', en: 'property deals' },
  deciles: { zh: '按入息十等分組別劃分的影響', en: 'Effect by income decile' },
  decilesChart: { zh: '每人平均稅款變動（港元；負數即少繳稅）', en: 'Average change in tax per person (HK$; negative = pays less)' },
  decile: { zh: '十等分組別', en: 'Decile' },
  persons: { zh: '人數', en: 'Persons' },
  households: { zh: '住戶', en: 'Households' },
  decilesBy: { zh: '十等分組別的排列基礎', en: 'What the deciles rank' },
  byEarner: { zh: '按受僱人士', en: 'By earner' },
  byHousehold: { zh: '按住戶', en: 'By household' },
  decilesHousehold: { zh: '按住戶等值入息十等分組別劃分的影響', en: 'Effect by decile of equivalised household income' },
  decilesChartHousehold: { zh: '每戶平均稅款變動（港元；負數即少繳稅）', en: 'Average change in tax per household (HK$; negative = pays less)' },
  perHousehold: { zh: '港元／戶', en: 'HK$ per household' },
  householdHint: {
    zh: '住戶為一名受僱人士或一對已婚受僱人士，連同同住的無入息配偶、子女及受養父母，按住戶就業收入除以住戶人數的平方根排列。哪些受僱人士互為配偶屬假設（隨機配對）；住戶未按人口普查校準，亦未包括沒有受僱人士的住戶；每名受僱人士仍分開評稅。',
    en: 'A household is one earner, or two earners married to each other, with the spouse without income, children and dependent parents who live with them, ranked by household employment income over the square root of its size. Which earners are married to each other is an assumption (random pairing); households are not calibrated to the Census and those without an earner are not included; each earner is still assessed separately.',
  },
  meanIncome: { zh: '平均入息', en: 'Mean income' },
  baselineTax: { zh: '基線稅款', en: 'Baseline tax' },
  avgChange: { zh: '每人平均變動', en: 'Average change per person' },
  avgChangeHousehold: { zh: '每戶平均變動', en: 'Average change per household' },
  pctIncome: { zh: '佔入息', en: 'Of income' },
  top1: { zh: '最高 1%', en: 'Top 1%' },
  winnersLosers: { zh: '得益者與受損者', en: 'Winners and losers' },
  winners: { zh: '少繳稅（得益）', en: 'Pay less (winners)' },
  losers: { zh: '多繳稅（受損）', en: 'Pay more (losers)' },
  wlHint: { zh: '各組別中稅款減少及增加的人所佔比例。', en: 'Share of each decile whose tax falls or rises.' },
  share: { zh: '比例', en: 'Share' },
  detail: { zh: '按組別細分', en: 'By band' },
  profitsBand: { zh: '利得稅：按應評稅利潤', en: 'Profits tax by assessable profits' },
  propertyBand: { zh: '物業印花稅：按樓價', en: 'Stamp duty on property by price' },
  buyerBand: { zh: '物業印花稅：按買家', en: 'Stamp duty on property by buyer' },
  stockTurnover: { zh: '股票成交額', en: 'Stock turnover' },
  band_: { zh: '組別', en: 'Band' },
  count: { zh: '數目', en: 'Count' },
  turnover: { zh: '成交額（基線）', en: 'Turnover (baseline)' },
  turnoverB: { zh: '成交額（計及行為反應）', en: 'Turnover (with behaviour)' },
  hkpr: { zh: '香港永久性居民', en: 'HK permanent residents' },
  non_hkpr: { zh: '非香港永久性居民', en: 'Non-permanent residents' },
  company: { zh: '公司', en: 'Companies' },
  non_residential: { zh: '非住宅物業（所有買家）', en: 'Non-residential property (all buyers)' },
  fiveYear: { zh: '五年財政影響', en: 'Five-year effect' },
  fiveYearHint: {
    zh: '以 {year} 課稅年度的人口估算（計及行為反應），自 {start} 年度起計入中期預測（{vintage} 年度預算）。',
    en: 'Costed on the {year} population (with behaviour) and booked to each year of the medium-range forecast ({vintage} Budget) from {start}.',
  },
  fiveYearNone: { zh: '修改最少一項參數後，此處會顯示五年財政影響。', en: 'Change at least one parameter to see its five-year effect.' },
  fyear: { zh: '財政年度', en: 'Financial year' },
  byYear: { zh: '逐年影響', en: 'Year by year' },
  table: { zh: '表格', en: 'table' },
  effect: { zh: '對綜合結餘的影響', en: 'Effect on the balance' },
  balanceBase: { zh: '綜合結餘（基線）', en: 'Balance, baseline' },
  balanceScen: { zh: '綜合結餘（改革後）', en: 'Balance, reform' },
  reservesBase: { zh: '財政儲備（基線）', en: 'Reserves, baseline' },
  reservesScen: { zh: '財政儲備（改革後）', en: 'Reserves, reform' },
  reservesChart: { zh: '財政儲備：基線與改革後（十億港元）', en: 'Fiscal reserves: baseline and reform (HK$bn)' },
  notes: { zh: '附註', en: 'Notes' },
  applyHousehold: { zh: '把此改革套用於我的家庭', en: 'Apply this reform to my household' },
  saveName: { zh: '我的改革方案', en: 'My reform' },
  loadingParams: { zh: '載入參數中…', en: 'Loading the parameters…' },
  skipResults: { zh: '跳至結果', en: 'Jump to the results' },
  perPerson: { zh: '港元／人', en: 'HK$ per person' },
  noReformChart: { zh: '修改參數後，此處會以圖表顯示各組別的變動。', en: 'Change a parameter to chart the change in each decile.' },
  dock: { zh: '稅收變動', en: 'Revenue change' },
  dockUnit: { zh: '十億港元', en: 'HK$bn' },
} as const;

const GROUPS: Record<string, Bilingual> = {
  salaries_tax: { zh: '薪俸稅', en: 'Salaries tax' },
  personal_assessment: { zh: '個人入息課稅', en: 'Personal assessment' },
  profits_tax: { zh: '利得稅', en: 'Profits tax' },
  property_tax: { zh: '物業稅', en: 'Property tax' },
  stamp_duty: { zh: '印花稅', en: 'Stamp duty' },
  rates: { zh: '差餉', en: 'Rates' },
};
const GROUP_ORDER = ['salaries_tax', 'personal_assessment', 'profits_tax', 'property_tax', 'stamp_duty', 'rates'];

const UNIT: Record<string, Bilingual> = {
  hkd: { zh: '港元', en: 'HK$' },
  rate: { zh: '%', en: '%' },
  count: { zh: '數目', en: 'count' },
  years: { zh: '年', en: 'years' },
};

export const REFORM_YEARS = ['2025/26', '2024/25', '2023/24', '2022/23', '2021/22', '2020/21', '2019/20', '2018/19', '2017/18'];
const DEFAULT_YEAR = '2025/26';

type Behaviour = {
  enabled?: boolean;
  salaries_eti?: number;
  profits_eti?: number;
  stock_turnover_elasticity?: number;
  property_volume_semi_elasticity?: number;
};

const ELASTICITIES: { key: Exclude<keyof Behaviour, 'enabled'>; min: number; max: number; step: number }[] = [
  { key: 'salaries_eti', min: 0, max: 2, step: 0.05 },
  { key: 'profits_eti', min: 0, max: 2, step: 0.05 },
  { key: 'stock_turnover_elasticity', min: -3, max: 0, step: 0.1 },
  { key: 'property_volume_semi_elasticity', min: -30, max: 0, step: 0.5 },
];

interface State {
  year: string;
  /** Parameter path (a node or one field of one row) → value for the year. */
  changes: Record<string, unknown>;
  behaviour?: Behaviour;
  q?: string;
  /** What the deciles rank: earners (the default) or households. */
  by?: 'earner' | 'household';
}

interface Param {
  path: string;
  label: Bilingual;
  unit: string;
  period: 'year_of_assessment' | 'financial_year' | 'date';
  value: any;
  value_text?: string | null;
  status?: string | null;
  reference: Bilingual;
}

interface Check {
  population: string;
  target: Bilingual;
  published: number;
  model: number;
  error_pct: number;
  role: 'calibrated' | 'validation';
  status?: string;
  note?: string;
  source?: { document: string; url?: string };
}

function s(k: keyof typeof S, lang: Lang, vars?: Record<string, string | number>): string {
  let x: string = S[k][lang];
  if (vars) for (const [a, b] of Object.entries(vars)) x = x.replace(`{${a}}`, String(b));
  return x;
}

// ---------------------------------------------------------------------------------------------
// The reform as the API takes it.

/** The period key of a change for a year of assessment, in the node's own kind of period. */
export function periodKey(kind: string, year: string): string {
  const a = Number(year.slice(0, 4));
  if (kind === 'financial_year') return `${a}-${year.slice(5, 7)}`;
  if (kind === 'date') return `${a}-04-01..${a + 1}-03-31`;
  return year;
}

/** The node a change path belongs to (`x.bands[2].rate` → `x`). */
export function nodeOf(path: string): string {
  return path.replace(/\.(bands|tiers)\[\d+\]\.\w+$/, '');
}

/** The ReformSpec of the page's changes (undefined when there is nothing to change). */
export function buildSpec(
  changes: Record<string, unknown>,
  behaviour: Behaviour | undefined,
  year: string,
  kinds: Record<string, string>,
): Schemas['ReformSpec'] | undefined {
  const paths = Object.keys(changes).sort();
  const b = behaviour && Object.keys(behaviour).length > 0 ? behaviour : undefined;
  if (paths.length === 0 && !b) return undefined;
  const out: Record<string, Record<string, unknown>> = {};
  for (const p of paths) out[p] = { [periodKey(kinds[nodeOf(p)] ?? 'year_of_assessment', year)]: changes[p] };
  return b ? { changes: out, behaviour: b } : { changes: out };
}

/** The year of assessment a period key falls in (null if it cannot tell). */
export function yearOfKey(k: string): string | null {
  const two = (n: number) => String(n % 100).padStart(2, '0');
  let m = /^(\d{4})\/(\d{2})/.exec(k);
  if (m) return `${m[1]}/${m[2]}`;
  m = /^(\d{4})-(\d{2})-(\d{2})/.exec(k);
  if (m) {
    const y = Number(m[1]);
    return Number(m[2]) >= 4 ? `${y}/${two(y + 1)}` : `${y - 1}/${two(y)}`;
  }
  m = /^(\d{4})-(\d{2})(?!\d)/.exec(k);
  if (m) return `${m[1]}/${m[2]}`;
  return null;
}

/** The page's state for a ReformSpec (a saved reform, a link from another page). */
export function stateFromSpec(spec: any): Pick<State, 'year' | 'changes' | 'behaviour'> {
  const changes: Record<string, unknown> = {};
  let year: string | null = null;
  for (const [path, periods] of Object.entries((spec?.changes ?? {}) as Record<string, Record<string, unknown>>)) {
    const keys = Object.keys(periods ?? {});
    if (keys.length === 0) continue;
    const k = (year && keys.find((x) => yearOfKey(x) === year)) || keys[0];
    year ??= yearOfKey(k);
    changes[path] = periods[k];
  }
  const behaviour = spec?.behaviour && typeof spec.behaviour === 'object' ? (spec.behaviour as Behaviour) : undefined;
  return { year: year && REFORM_YEARS.includes(year) ? year : DEFAULT_YEAR, changes, behaviour };
}

function yamlKey(k: string): string {
  return /^[a-z_][a-z0-9_.]*$/i.test(k) ? k : JSON.stringify(k);
}

/** The reform as the YAML file the command line reads. */
export function reformYaml(spec: Schemas['ReformSpec'] | undefined): string {
  if (!spec) return 'changes: {}\n';
  const lines: string[] = ['changes:'];
  for (const [path, periods] of Object.entries(spec.changes ?? {})) {
    lines.push(`  ${yamlKey(path)}:`);
    for (const [k, v] of Object.entries(periods as Record<string, unknown>)) lines.push(`    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  }
  if (spec.behaviour) {
    lines.push('behaviour:');
    for (const [k, v] of Object.entries(spec.behaviour)) if (v !== undefined && v !== null) lines.push(`  ${k}: ${JSON.stringify(v)}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Society-wide requests of this page, one at a time, the most urgent first. Each holds one of the
 * server's few workers until it finishes (even when the browser gives up on it), and past them
 * the server answers 429; the microsimulation itself uses every core, so one at a time is also
 * the fastest way through. Priorities: 0 the figures on screen, 1 the five-year run, 2 the rest.
 */
const heavyQueue: { pri: number; go: () => void }[] = [];
let heavyRunning = 0;
function heavy<T>(pri: number, f: () => Promise<T>): Promise<T> {
  return new Promise<T>((ok, fail) => {
    heavyQueue.push({
      pri,
      go: () => {
        heavyRunning++;
        const end = () => {
          heavyRunning--;
          // After the answer's handlers have queued what they want next.
          setTimeout(nextHeavy, 0);
        };
        f().then(
          (v) => {
            end();
            ok(v);
          },
          (e) => {
            end();
            fail(e);
          },
        );
      },
    });
    heavyQueue.sort((x, y) => x.pri - y.pri);
    nextHeavy();
  });
}
function nextHeavy() {
  while (heavyRunning < 1 && heavyQueue.length > 0) heavyQueue.shift()!.go();
}

interface LatestRun<T> {
  data: T | null;
  error: unknown;
  busy: boolean;
  ms: number | null;
}

/**
 * Runs `f(key)` for the latest `key`, one request at a time and at most one per `gap` ms: the
 * first edit after a quiet spell is sent at once, edits made while a request is out are
 * coalesced and the latest of them sent when it answers. A society-wide computation holds one of
 * the server's few workers until it finishes even when the browser gives up on it (past them the
 * server answers 429), so a superseded request is left to finish and its answer dropped or shown
 * as an intermediate step rather than cancelled and sent again.
 */
function useLatestRun<T>(key: string, f: (key: string) => Promise<T>, gap: number): LatestRun<T> {
  const [state, setState] = useState<LatestRun<T>>({ data: null, error: null, busy: key !== '', ms: null });
  const wanted = useRef(key);
  wanted.current = key;
  const sent = useRef<string | null>(null);
  const inflight = useRef(false);
  const lastSent = useRef(-Infinity);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const alive = useRef(true);
  const fn = useRef(f);
  fn.current = f;
  const pump = () => {
    if (!alive.current || inflight.current) return;
    const k = wanted.current;
    if (k === sent.current) return;
    if (k === '') {
      sent.current = '';
      setState({ data: null, error: null, busy: false, ms: null });
      return;
    }
    const wait = lastSent.current + gap - performance.now();
    if (wait > 0) {
      if (timer.current === undefined)
        timer.current = setTimeout(() => {
          timer.current = undefined;
          pump();
        }, wait);
      return;
    }
    inflight.current = true;
    sent.current = k;
    const t0 = performance.now();
    lastSent.current = t0;
    setState((x) => (x.busy ? x : { ...x, busy: true }));
    const done = (data: T | null, error: unknown) => {
      inflight.current = false;
      if (!alive.current) return;
      const current = wanted.current === k;
      const ms = performance.now() - t0;
      if (current && !error) performance.mark(`hkbudget:answer:${location.pathname}`, { detail: { ms } });
      if (!error) setState({ data, error: null, busy: !current, ms });
      else if (current) setState((x) => ({ ...x, error, busy: false }));
      if (!current) pump();
    };
    fn.current(k).then(
      (d) => done(d, null),
      (e) => done(null, e ?? new Error('failed')),
    );
  };
  // Before paint and before the charts' own effects: the request goes out first.
  useLayoutEffect(pump, [key]);
  useEffect(
    () => () => {
      alive.current = false;
      clearTimeout(timer.current);
    },
    [],
  );
  return state;
}

// ---------------------------------------------------------------------------------------------
// Formatting the law's values.

function fmtScalar(unit: string, v: unknown, lang: Lang): string {
  if (v === null || v === undefined) return s('notInForce', lang);
  if (unit === 'bool') return v ? s('yes', lang) : s('no', lang);
  if (typeof v !== 'number') return String(v);
  if (unit === 'hkd') return hkd(v);
  if (unit === 'rate') return pct(v, rateDecimals(v));
  return num(v, Number.isInteger(v) ? 0 : 2);
}

function rateDecimals(v: number): number {
  const p = Math.round(v * 1e6) / 1e4;
  return Number.isInteger(p) ? 0 : Number.isInteger(p * 10) ? 1 : 2;
}

function fmtRate(v: number): string {
  return pct(v, rateDecimals(v));
}

/** A list node's value in the page's language (falls back on the engine's text). */
function fmtList(p: Param, lang: Lang): { text: string; en?: boolean } {
  const v = p.value;
  const zh = lang === 'zh';
  const sep = zh ? '；' : '; ';
  try {
    if (v === null || v === undefined) return { text: s('notInForce', lang) };
    if (p.unit === 'bands')
      return {
        text: (v as { width: number | null; rate: number }[])
          .map((r, i) => (r.width === null ? `${s('remainder', lang)} @ ${fmtRate(r.rate)}` : `${i === 0 ? s('first', lang) + ' ' : ''}${num(r.width)} @ ${fmtRate(r.rate)}`))
          .join(sep),
      };
    if (p.unit === 'tiers')
      return {
        text: (v as { upto: number | null; rate: number }[])
          .map((r) => (r.upto === null ? `${s('above', lang)} @ ${fmtRate(r.rate)}` : `${s('upto', lang)} ${num(r.upto)} @ ${fmtRate(r.rate)}`))
          .join(sep),
      };
    if (p.unit === 'quarterly') return { text: (v as number[]).map((x, i) => `${s('quarter', lang, { n: i + 1 })} ${hkd(x)}`).join(' / ') };
    if (p.unit === 'holding_schedule')
      return { text: (v as [number, number][]).map(([m, r]) => `≤${m} ${s('months', lang)} @ ${fmtRate(r)}`).join(sep) };
    if (p.unit === 'duty_bands') {
      let lo = 0;
      const parts = (v as { upto: number | null; charge: any }[]).map((r) => {
        const c = r.charge ?? {};
        const charge =
          'fixed' in c
            ? hkd(c.fixed)
            : 'flat' in c
              ? fmtRate(c.flat)
              : 'marginal' in c
                ? `${hkd(c.marginal.base)} + ${zh ? `${s('excessOver', lang, { x: num(lo) })}的 ${fmtRate(c.marginal.rate)}` : `${fmtRate(c.marginal.rate)} ${s('excessOver', lang, { x: num(lo) })}`}`
                : JSON.stringify(c);
        const range = r.upto === null ? `${s('over', lang)} ${num(lo)}` : `${num(lo)}–${num(r.upto)}`;
        if (r.upto !== null) lo = r.upto;
        return `${range}: ${charge}`;
      });
      return { text: parts.join(sep) };
    }
  } catch {
    /* an unexpected shape: the engine's own text below */
  }
  return { text: p.value_text ?? JSON.stringify(v), en: true };
}

/** A "nice" slider step: about a two-hundredth of the range, rounded to 1, 2 or 5 × 10^k. */
function niceStep(range: number): number {
  const raw = Math.max(range / 200, 1);
  const k = 10 ** Math.floor(Math.log10(raw));
  const m = raw / k;
  return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * k;
}

function clean(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}

// ---------------------------------------------------------------------------------------------
// The page.

export function Reform({ lang }: PageProps) {
  const [st, setSt] = useState<State>(() => {
    const saved = readState<Partial<State> & { reform?: unknown }>();
    if (saved?.reform) return { ...stateFromSpec(saved.reform), q: '' };
    return {
      year: saved?.year && REFORM_YEARS.includes(saved.year) ? saved.year : DEFAULT_YEAR,
      changes: saved?.changes && typeof saved.changes === 'object' ? saved.changes : {},
      behaviour: saved?.behaviour,
      q: saved?.q ?? '',
      by: saved?.by === 'household' ? 'household' : undefined,
    };
  });
  useEffect(() => {
    loadScenario().then(
      (sc) => sc && sc.kind === 'reform' && setSt((x) => ({ ...x, ...stateFromSpec(sc.body) })),
      () => undefined,
    );
  }, []);
  const setBy = useCallback((by: 'earner' | 'household') => setSt((x) => ({ ...x, by: by === 'household' ? 'household' : undefined })), []);
  useEffect(() => writeState({ year: st.year, changes: st.changes, behaviour: st.behaviour, q: st.q || undefined, by: st.by }), [st]);

  const params = useRun<{ parameters: Param[] }>(`params:${st.year}`, (signal) => get('/params', { query: { year: st.year }, signal }) as never);
  const version = useRun<{ default_vintage: string }>('version', (signal) => get('/version', { signal }) as never);
  const validation = useRun<{ years: { year: string; checks: Check[] }[] }>('validation', () => heavy(2, () => get('/validation')) as never);

  // The period kind of every node (the same in every year): needed to key a change.
  const kinds = useRef<Record<string, string> | null>(null);
  if (params.data && !kinds.current) kinds.current = Object.fromEntries(params.data.parameters.map((p) => [p.path, p.period]));
  const ready = !!kinds.current;

  const spec = useMemo(() => (ready ? buildSpec(st.changes, st.behaviour, st.year, kinds.current!) : undefined), [ready, st.changes, st.behaviour, st.year]);
  const hasChanges = Object.keys(st.changes).length > 0;
  const societyBody = useMemo(
    () => ({ year: st.year, ...(spec ? { reform: spec } : {}), ...(st.by === 'household' ? { deciles_by: 'household' } : {}) }),
    [spec, st.year, st.by],
  );
  const vintage = version.data?.default_vintage;

  const societyKey = ready ? JSON.stringify(societyBody) : '';
  const society = useLatestRun<{ key: string; d: any }>(societyKey, (k) => heavy(0, () => post('/society', JSON.parse(k))).then((d) => ({ key: k, d })), 250);
  // The five-year run follows the society-wide answer (the headline figure comes first on a
  // busy machine), for the reform that answer was for; only when something changed.
  const answered = society.data?.key ? (JSON.parse(society.data.key) as { year: string; reform?: Schemas['ReformSpec'] }) : null;
  const packageBody =
    answered?.reform && Object.keys(answered.reform.changes ?? {}).length > 0 && vintage
      ? { package: { reforms: [{ year: answered.year, reform: answered.reform, start: vintage }] } }
      : null;
  // Only for the latest answer: not for the intermediate ones of a slider being dragged.
  const lastPackageKey = useRef('');
  if (!society.busy) lastPackageKey.current = hasChanges && packageBody ? JSON.stringify(packageBody) : '';
  const packageKey = hasChanges ? lastPackageKey.current : '';
  const pkg = useLatestRun<any>(packageKey, (k) => heavy(1, () => post('/packages/run', JSON.parse(k))), 250);

  const setChange = (path: string, v: unknown, law: unknown) =>
    setSt((x) => {
      const changes = { ...x.changes };
      if (v === law) delete changes[path];
      else changes[path] = v;
      return { ...x, changes };
    });
  const setBehaviour = (patch: Behaviour | null) =>
    setSt((x) => {
      if (patch === null) return { ...x, behaviour: undefined };
      const b = { ...(x.behaviour ?? {}), ...patch };
      if (b.enabled === true) delete b.enabled;
      return { ...x, behaviour: Object.keys(b).length ? b : undefined };
    });

  const checks = useMemo(() => validation.data?.years.find((y) => y.year === st.year)?.checks ?? [], [validation.data, st.year]);

  return (
    <>
      <h1>{s('title', lang)}</h1>
      <p class="lede">{s('lede', lang)}</p>
      <a class="rf-jump" href="#rf-results-h">
        {s('skipResults', lang)}
      </a>
      <div class="rf-layout">
        <div class="rf-editor">
          <Section title={s('params', lang)} id="rf-params" actions={hasChanges ? <button type="button" onClick={() => setSt((x) => ({ ...x, changes: {} }))}>{s('resetAll', lang)}</button> : undefined}>
            <div class="rf-top">
              <div class="field">
                <label for="rf-year">{s('year', lang)}</label>
                <select id="rf-year" value={st.year} aria-describedby="rf-year-hint" onChange={(e) => setSt((x) => ({ ...x, year: (e.target as HTMLSelectElement).value }))}>
                  {REFORM_YEARS.map((y) => (
                    <option value={y} key={y}>
                      {y}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="rf-q">{s('search', lang)}</label>
                <input id="rf-q" type="search" value={st.q ?? ''} placeholder={s('searchPh', lang)} onInput={(e) => setSt((x) => ({ ...x, q: (e.target as HTMLInputElement).value }))} />
              </div>
            </div>
            <p class="hint" id="rf-year-hint">
              {s('yearHint', lang)}
            </p>
            <ErrorBox error={params.error} lang={lang} />
            {!params.data && !params.error && <p class="busy">{s('loadingParams', lang)}</p>}
            {params.data && (
              <ParamList
                params={params.data.parameters}
                changes={st.changes}
                q={st.q ?? ''}
                lang={lang}
                setChange={setChange}
                modelled={society.data ? Object.keys(society.data.d.taxes ?? {}) : null}
                remove={(p) =>
                  setSt((x) => {
                    const changes = { ...x.changes };
                    delete changes[p];
                    return { ...x, changes };
                  })
                }
              />
            )}
          </Section>
          <BehaviourBox st={st} settings={society.data?.d.behaviour} set={setBehaviour} lang={lang} />
        </div>
        <div class="rf-results">
          <Results
            lang={lang}
            st={st}
            spec={spec}
            society={{ ...society, data: society.data?.d ?? null }}
            societyBody={societyBody}
            hasChanges={hasChanges}
            checks={checks}
            setBy={setBy}
            fiveYear={<FiveYear lang={lang} run={pkg} show={hasChanges} year={answered?.year ?? st.year} body={packageKey} />}
          />
        </div>
      </div>
      {hasChanges && society.data && (
        <>
          <div class="rf-dock-space" aria-hidden="true" />
          <a class="rf-dock no-print" href="#rf-results-h">
            <span>{s('dock', lang)}</span> <strong>{bnS(society.data.d.total_change)}</strong> <span>{s('dockUnit', lang)}</span>
            {society.busy && <span class="rf-dock-busy"> · {t('loading', lang)}</span>}
            <span aria-hidden="true"> ↓</span>
          </a>
        </>
      )}
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// The editor.

const SUBGROUPS: Record<string, Bilingual> = {
  allowances: { zh: '免稅額', en: 'Allowances' },
  deductions: { zh: '扣除項目', en: 'Deductions' },
  one_off_reduction: { zh: '一次性寬減', en: 'One-off reduction' },
  corporation: { zh: '法團', en: 'Corporations' },
  unincorporated: { zh: '非法團業務', en: 'Unincorporated businesses' },
  avd: { zh: '從價印花稅', en: 'Ad valorem stamp duty' },
  ssd: { zh: '額外印花稅', en: 'Special stamp duty' },
  stock: { zh: '股票印花稅', en: 'Stamp duty on stock' },
  concession: { zh: '差餉寬減', en: 'Rates concession' },
};

/** A group's parameters in sub-groups by the second segment of the path (the rest first). */
function subgroups(list: Param[]): { key: string; params: Param[] }[] {
  if (list.length <= 8) return [{ key: '', params: list }];
  const by = new Map<string, Param[]>();
  for (const p of list) {
    const seg = p.path.split('.').length > 2 ? p.path.split('.')[1] : '';
    if (!by.has(seg)) by.set(seg, []);
    by.get(seg)!.push(p);
  }
  const general: Param[] = [];
  const out: { key: string; params: Param[] }[] = [];
  for (const [k, ps] of by) {
    if (k === '' || ps.length < 2) general.push(...ps);
    else out.push({ key: k, params: ps });
  }
  return general.length ? [{ key: '', params: general }, ...out] : out;
}

function ParamList(props: {
  params: Param[];
  changes: Record<string, unknown>;
  q: string;
  lang: Lang;
  setChange: (path: string, v: unknown, law: unknown) => void;
  remove: (path: string) => void;
  modelled: string[] | null;
}) {
  const { params, changes, lang } = props;
  const q = props.q.trim().toLowerCase();
  const match = (p: Param) => !q || p.path.toLowerCase().includes(q) || p.label.en.toLowerCase().includes(q) || p.label.zh.includes(props.q.trim());
  const groups = new Map<string, Param[]>();
  for (const p of [...params].sort((a, b) => a.path.localeCompare(b.path))) {
    if (!match(p)) continue;
    const g = p.path.split('.')[0];
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(p);
  }
  const order = [...groups.keys()].sort((a, b) => (GROUP_ORDER.indexOf(a) + 1 || 99) - (GROUP_ORDER.indexOf(b) + 1 || 99));
  // Changes with no field of their own here (a whole list replaced, a path from elsewhere).
  const byPath = new Map(params.map((p) => [p.path, p]));
  const other = Object.keys(changes).filter((c) => {
    const p = byPath.get(c);
    if (p) return !['hkd', 'rate', 'count', 'years', 'bool'].includes(p.unit);
    const m = /^(.*)\.(bands|tiers)\[(\d+)\]\.(rate|width|upto)$/.exec(c);
    const n = m && byPath.get(m[1]);
    return !(n && Array.isArray(n.value) && Number(m![3]) < n.value.length);
  });
  const editedIn = (prefix: string) => Object.keys(changes).filter((c) => c.startsWith(prefix + '.')).length;
  const rows = (list: Param[]) => list.map((p) => <ParamRow key={p.path} p={p} changes={changes} sig={rowSig(p.path, changes)} lang={lang} setChange={props.setChange} />);
  return (
    <>
      {other.length > 0 && (
        <div class="rf-other">
          <h3>{s('otherChanges', lang)}</h3>
          <ul>
            {other.map((c) => (
              <li key={c}>
                <code>{c}</code> = <code>{JSON.stringify(changes[c])}</code>{' '}
                <button type="button" class="rf-small" onClick={() => props.remove(c)}>
                  {s('remove', lang)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {order.length === 0 && <p class="muted">{s('noMatch', lang)}</p>}
      {order.map((g) => {
        const list = groups.get(g)!;
        const edited = editedIn(g);
        const notModelled = props.modelled && !props.modelled.some((k) => k.startsWith(g));
        return (
          <details class="rf-group" key={g} open={g === 'salaries_tax' || !!q || edited > 0}>
            <summary>
              <span class="rf-group-title">{pick(GROUPS[g] ?? { zh: g, en: g }, lang)}</span>
              <span class="muted"> · {list.length}</span>
              {edited > 0 && (
                <span class="badge info rf-count">
                  {edited} {s('nEdited', lang)}
                </span>
              )}
            </summary>
            {notModelled && <p class="hint rf-notmodelled">{s('notModelled', lang)}</p>}
            {subgroups(list).map((sg) => {
              if (!sg.key) return <div key="">{rows(sg.params)}</div>;
              const n = editedIn(`${g}.${sg.key}`);
              return (
                <details class="rf-sub" key={sg.key} open={sg.key === 'allowances' || !!q || n > 0}>
                  <summary>
                    {pick(SUBGROUPS[sg.key] ?? { zh: sg.key, en: sg.key }, lang)}
                    <span class="muted"> · {sg.params.length}</span>
                    {n > 0 && (
                      <span class="badge info rf-count">
                        {n} {s('nEdited', lang)}
                      </span>
                    )}
                  </summary>
                  {rows(sg.params)}
                </details>
              );
            })}
          </details>
        );
      })}
    </>
  );
}

/** The changes that concern one parameter, as text (a row re-renders only when they change). */
function rowSig(path: string, changes: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(changes).filter((c) => c === path || c.startsWith(path + '.')).map((c) => [c, changes[c]]));
}

const ParamRow = memo(ParamRowView, (a, b) => a.p === b.p && a.lang === b.lang && a.sig === b.sig);

function ParamRowView(props: { p: Param; changes: Record<string, unknown>; sig: string; lang: Lang; setChange: (path: string, v: unknown, law: unknown) => void }) {
  const { p, changes, lang } = props;
  const edited = props.sig !== '[]';
  const lblId = `lbl-${domId(p.path)}`;
  const head = (
    <div class="rf-head">
      <span class="rf-label" id={lblId}>
        {pick(p.label, lang)}
      </span>
      {p.status && <StatusBadge status={p.status} lang={lang} />}
      {edited && <StatusBadge status="reform" lang={lang} />}
    </div>
  );
  const meta = (
    <div class="rf-meta muted" title={pick(p.reference, lang)}>
      <code>{p.path}</code>
    </div>
  );
  if (['hkd', 'rate', 'count', 'years'].includes(p.unit)) {
    return (
      <div class={`rf-param${edited ? ' edited' : ''}`}>
        {head}
        <ScalarEditor path={p.path} unit={p.unit} law={p.value} value={p.path in changes ? changes[p.path] : p.value} label={pick(p.label, lang)} labelledBy={lblId} lang={lang} onChange={(v) => props.setChange(p.path, v, p.value)} />
        {meta}
      </div>
    );
  }
  if (p.unit === 'bool') {
    const v = p.path in changes ? !!changes[p.path] : !!p.value;
    const id = `input-${domId(p.path)}`;
    return (
      <div class={`rf-param${edited ? ' edited' : ''}`}>
        {head}
        <div class="rf-ctl">
          <label class="check rf-bool" for={id}>
            <input id={id} type="checkbox" checked={v} data-testid={`param-${p.path}`} aria-labelledby={lblId} onChange={(e) => props.setChange(p.path, (e.target as HTMLInputElement).checked, p.value)} />
            <span aria-hidden="true">{v ? s('yes', lang) : s('no', lang)}</span>
          </label>
          <span class="muted rf-law">
            {s('law', lang)}: {fmtScalar('bool', p.value, lang)}
          </span>
          {p.path in changes && <ResetButton lang={lang} label={pick(p.label, lang)} law={fmtScalar('bool', p.value, lang)} onClick={() => props.setChange(p.path, p.value, p.value)} />}
        </div>
        {meta}
      </div>
    );
  }
  // A list: read-only, except the rates (and widths, limits) of bands and tiers.
  const rows = (p.unit === 'bands' || p.unit === 'tiers') && Array.isArray(p.value) ? (p.value as any[]) : null;
  const text = fmtList(p, lang);
  const list = p.unit === 'bands' ? 'bands' : 'tiers';
  const amountField = p.unit === 'bands' ? 'width' : 'upto';
  return (
    <div class={`rf-param${edited ? ' edited' : ''}`}>
      {head}
      <p class="rf-list">
        <span class="muted">{s('law', lang)}: </span>
        <span lang={text.en && lang === 'zh' ? 'en' : undefined}>{text.text}</span>
        {!rows && <span class="badge info rf-ro">{s('readOnly', lang)}</span>}
      </p>
      {rows && (
        <table class="rf-rowtable">
          <thead>
            <tr>
              <th scope="col">{s(p.unit === 'bands' ? 'bandCol' : 'tierCol', lang)}</th>
              <th scope="col">
                {s('rate', lang)} (%)
              </th>
              <th scope="col">
                {s(amountField, lang)} ({pick(UNIT.hkd, lang)})
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const name = s(p.unit === 'bands' ? 'band' : 'tier', lang, { n: i + 1 });
              const ratePath = `${p.path}.${list}[${i}].rate`;
              const amtPath = `${p.path}.${list}[${i}].${amountField}`;
              const amt = r[amountField];
              return (
                <tr key={i}>
                  <th scope="row">{i + 1}</th>
                  <td>
                    <RowField path={ratePath} unit="rate" law={r.rate} value={ratePath in changes ? changes[ratePath] : r.rate} label={`${pick(p.label, lang)} · ${name} ${s('rate', lang)}`} lang={lang} onChange={(v) => props.setChange(ratePath, v, r.rate)} />
                  </td>
                  <td>
                    {amt === null || amt === undefined ? (
                      <span class="muted">{s(p.unit === 'bands' ? 'remainder' : 'above', lang)}</span>
                    ) : (
                      <RowField path={amtPath} unit="hkd" law={amt} value={amtPath in changes ? changes[amtPath] : amt} label={`${pick(p.label, lang)} · ${name} ${s(amountField, lang)}`} lang={lang} onChange={(v) => props.setChange(amtPath, v, amt)} />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {meta}
    </div>
  );
}

function domId(path: string): string {
  return path.replace(/[^a-z0-9_]+/gi, '-');
}

function ResetButton(props: { lang: Lang; label: string; law: string; onClick: () => void; compact?: boolean }) {
  return (
    <button
      type="button"
      class="rf-small"
      aria-label={`${s('resetTo', props.lang)}${props.law} · ${props.label}`}
      title={`${s('resetTo', props.lang)}${props.law}`}
      onClick={props.onClick}
    >
      {props.compact ? '↺' : s('reset', props.lang)}
    </button>
  );
}

/** Clamps and rounds a value typed or slid into the unit's lawful range. */
function lawful(unit: string, v: number): number {
  let x = unit === 'rate' ? clean(Math.min(1, v)) : v;
  if (unit === 'count' || unit === 'years') x = Math.round(x);
  return Math.max(0, x);
}

/** The number box of a value (rates typed in per cent), keeping what is being typed. */
function NumberBox(props: { id: string; path: string; unit: string; value: number | null; label?: string; labelledBy?: string; lang: Lang; onChange: (v: number) => void }) {
  const { unit, value, lang } = props;
  const isRate = unit === 'rate';
  const whole = unit === 'count' || unit === 'years';
  const shown = value === null ? '' : String(isRate ? clean(value * 100) : value);
  const [text, setText] = useState(shown);
  useEffect(() => {
    const cur = text.trim() === '' ? null : Number(text);
    const want = value === null ? null : isRate ? clean(value * 100) : value;
    if (cur !== want) setText(shown);
  }, [value]);
  return (
    <input
      id={props.id}
      type="number"
      inputMode="decimal"
      value={text}
      min={0}
      max={isRate ? 100 : undefined}
      step={isRate ? 0.25 : whole ? 1 : 'any'}
      placeholder={value === null ? s('notInForce', lang) : undefined}
      aria-label={props.label}
      aria-labelledby={props.labelledBy}
      data-testid={`input-${props.path}`}
      onInput={(e) => {
        const t = (e.target as HTMLInputElement).value;
        setText(t);
        const v = Number(t);
        if (t.trim() !== '' && Number.isFinite(v)) props.onChange(lawful(unit, isRate ? v / 100 : v));
      }}
    />
  );
}

/** A number box and a slider for one scalar parameter. */
function ScalarEditor(props: {
  path: string;
  unit: string;
  law: number | null;
  value: unknown;
  label: string;
  labelledBy: string;
  lang: Lang;
  onChange: (v: number | null) => void;
}) {
  const { unit, law, lang } = props;
  const value = typeof props.value === 'number' ? props.value : null;
  const isRate = unit === 'rate';
  const whole = unit === 'count' || unit === 'years';
  const max = isRate ? Math.max(0.5, law ?? 0) : unit === 'hkd' ? (law ? law * 2 : 200000) : Math.max(10, (law ?? 0) * 2);
  const step = isRate ? 0.0025 : whole ? 1 : niceStep(max);
  const id = `input-${domId(props.path)}`;
  return (
    <div class="rf-scalar">
      <div class="rf-ctl">
        <input
          type="range"
          min={0}
          max={max}
          step={step}
          value={value ?? 0}
          aria-label={props.label}
          aria-valuetext={value === null ? s('notInForce', lang) : fmtScalar(unit, value, lang)}
          data-testid={`param-${props.path}`}
          onInput={(e) => props.onChange(lawful(unit, Number((e.target as HTMLInputElement).value)))}
        />
        <span class="rf-num">
          <NumberBox id={id} path={props.path} unit={unit} value={value} labelledBy={props.labelledBy} lang={lang} onChange={props.onChange} />
          <span class="unit" aria-hidden="true">
            {pick(UNIT[unit], lang)}
          </span>
        </span>
      </div>
      <div class="rf-lawline">
        <span class="muted">
          {s('law', lang)}: {fmtScalar(unit, law, lang)}
          {law === null && <> · {s('notInForceHint', lang)}</>}
        </span>
        {value !== law && value !== null && <ResetButton lang={lang} label={props.label} law={fmtScalar(unit, law, lang)} onClick={() => props.onChange(law)} />}
      </div>
    </div>
  );
}

/** One field of one row of a list (a band's rate, a tier's limit), without a slider. */
function RowField(props: { path: string; unit: string; law: number; value: unknown; label: string; lang: Lang; onChange: (v: number) => void }) {
  const value = typeof props.value === 'number' ? props.value : null;
  const changed = value !== props.law;
  return (
    <div class="rf-rowfield">
      <NumberBox id={`input-${domId(props.path)}`} path={props.path} unit={props.unit} value={value} label={props.label} lang={props.lang} onChange={props.onChange} />
      {changed && (
        <span class="rf-was">
          <span class="muted">{fmtScalar(props.unit, props.law, props.lang)}</span>
          <ResetButton compact lang={props.lang} label={props.label} law={fmtScalar(props.unit, props.law, props.lang)} onClick={() => props.onChange(props.law)} />
        </span>
      )}
    </div>
  );
}

function BehaviourBox(props: { st: State; settings: any; set: (b: Behaviour | null) => void; lang: Lang }) {
  const { st, settings, lang } = props;
  const b = st.behaviour ?? {};
  const enabled = b.enabled ?? true;
  return (
    <Section
      title={s('behaviour', lang)}
      id="rf-behaviour"
      actions={
        st.behaviour ? (
          <button type="button" onClick={() => props.set(null)}>
            {s('resetBehaviour', lang)}
          </button>
        ) : undefined
      }
    >
      <div class="check">
        <input id="rf-beh-on" type="checkbox" checked={enabled} onChange={(e) => props.set({ enabled: (e.target as HTMLInputElement).checked })} />
        <label for="rf-beh-on">{s('behaviourOn', lang)}</label>
      </div>
      <p class="hint">{s('behaviourHint', lang)}</p>
      {enabled && (
        <div class="rf-beh">
          {ELASTICITIES.map((e) => {
            const v = b[e.key] ?? settings?.[e.key];
            if (typeof v !== 'number') return null;
            return (
              <NumberField
                key={e.key}
                id={`rf-beh-${e.key}`}
                label={s(e.key, lang)}
                value={v}
                min={e.min}
                max={e.max}
                step={e.step}
                hint={`${num(e.min, 0)} … ${num(e.max, 0)}`}
                onInput={(x) => props.set({ [e.key]: Math.min(e.max, Math.max(e.min, x)) })}
              />
            );
          })}
        </div>
      )}
    </Section>
  );
}

// ---------------------------------------------------------------------------------------------
// The results.

// Rates have no published revenue by class (only the total, a calibration target), so their
// rows show no per-head check; docs/VALIDATION.md lists the tenement checks.
const TAX_POP: Record<string, string> = {
  salaries_tax: 'earners',
  profits_tax: 'businesses',
  stamp_duty_stock: 'stock',
  stamp_duty_property: 'property',
  property_tax: 'tenements',
};
/** The published figures that are a head's revenue (not a count of payers or a measure's cost). */
const REVENUE_TARGET = /^(salaries tax|profits tax|stamp duty|property tax)\b/i;

export function checksForTax(tax: string, checks: Check[]): Check[] {
  return checks.filter((c) => c.population === TAX_POP[tax] && REVENUE_TARGET.test(c.target.en));
}

function checkClass(c: Check): string {
  if (c.role === 'calibrated') return 'info';
  const e = Math.abs(c.error_pct);
  return e < 5 ? 'ok' : e < 15 ? 'warn' : 'bad';
}

function signedPct(x: number): string {
  const a = num(Math.abs(x), Math.abs(x) < 10 ? 1 : 0);
  return (x < 0 && a !== num(0, 1) ? '−' : x > 0 && a !== num(0, 1) ? '+' : '±') + a + '%';
}

function checkTitle(c: Check, lang: Lang): string {
  return `${pick(c.target, lang)}: ${s('published', lang)} ${num(c.published)}, ${s('model', lang)} ${num(c.model)}${c.source ? ` (${c.source.document})` : ''}${c.role === 'calibrated' ? ' — ' + s('calibratedTitle', lang) : ''}`;
}

function TrustBadges({ tax, checks, lang }: { tax: string; checks: Check[]; lang: Lang }) {
  const mine = checksForTax(tax, checks);
  if (mine.length === 0) return <span class="muted rf-nocheck">{s('noCheck', lang)}</span>;
  const shown = mine.every((c) => c.role === 'calibrated') ? [mine[0]] : mine.filter((c) => c.role !== 'calibrated');
  return (
    <span class="rf-badges">
      {shown.map((c, i) => {
        const title = mine.every((x) => x.role === 'calibrated') ? mine.map((x) => checkTitle(x, lang)).join('\n') : checkTitle(c, lang);
        const vs = /\bIRD\b/.test(c.source?.document ?? '') ? s('vsIRD', lang) : s('vsPublished', lang);
        return (
          <span key={i} class={`badge ${checkClass(c)}`} title={title} data-testid={`trust-${tax}`}>
            {c.role === 'calibrated' ? s('calibrated', lang) : `${signedPct(c.error_pct)} ${vs}`}
            <span class="sr-only"> ({pick(c.target, lang)}: {s('published', lang)} {checkValue(c.published, lang)}, {s('model', lang)} {checkValue(c.model, lang)})</span>
          </span>
        );
      })}
    </span>
  );
}

function bnS(x: number | null | undefined, d = 2): string {
  return x === null || x === undefined ? '—' : bn(x / 1e9, d, true);
}

function signedHkd(x: number): string {
  const t = hkd(x);
  // A change that rounds to nothing shows as HK$0, without a sign.
  if (t === 'HK$0' || t === '−HK$0' || t === '-HK$0') return 'HK$0';
  return x > 0 ? '+' + t : t;
}

function Results(props: {
  lang: Lang;
  st: State;
  spec: Schemas['ReformSpec'] | undefined;
  society: { data: any; error: unknown; busy: boolean; ms: number | null };
  societyBody: unknown;
  hasChanges: boolean;
  checks: Check[];
  setBy: (by: 'earner' | 'household') => void;
  fiveYear: ComponentChildren;
}) {
  const { lang, st, spec, society, hasChanges } = props;
  const d = society.data;
  const [exportError, setExportError] = useState<unknown>(null);
  const exp = (fmt: 'csv' | 'xlsx') => {
    setExportError(null);
    heavy(0, () => download(`/export/society/${fmt}`, props.societyBody, `hkbudget-reform.${fmt}`)).catch(setExportError);
  };
  const actions = (
    <>
      {hasChanges && spec && (
        <button type="button" class="primary" onClick={() => go(link('/household', lang, { compare: 'reform', reform: spec, form: { year: st.year } }))}>
          {s('applyHousehold', lang)}
        </button>
      )}
      {hasChanges && spec && <SaveButton lang={lang} kind="reform" name={s('saveName', lang)} body={spec} />}
      <button type="button" onClick={() => exp('csv')}>
        {t('exportCsv', lang)}
      </button>
      <button type="button" onClick={() => exp('xlsx')}>
        {t('exportXlsx', lang)}
      </button>
    </>
  );
  const by = st.by === 'household' ? ' --by household' : '';
  const cli = `cat > reform.yaml <<'EOF'\n${reformYaml(spec)}EOF\nhkbudget reform reform.yaml --year ${st.year}${by}`;
  return (
    <>
      <Section title={`${s('results', lang)} · ${st.year}`} id="rf-results" actions={actions}>
        <div class="rf-status">
          {d && society.ms !== null && !society.busy && <span class="muted">{s('computedIn', lang, { ms: Math.round(society.ms) })}</span>}
          <Busy busy={society.busy} lang={lang} />
        </div>
        <ErrorBox error={society.error} lang={lang} />
        <ErrorBox error={exportError} lang={lang} />
        {!hasChanges && <p class="hint">{s('noReform', lang)}</p>}
        {d && (
          <>
            <div class="grid-3 rf-kpis">
              <div class="kpi">
                <span class="label">{s('totalChange', lang)}</span>
                <span class="big" data-testid="revenue-change" data-value={d.total_change}>
                  {bnS(d.total_change)}
                </span>
                <span class="hint">{s('sign', lang)}</span>
              </div>
              <div class="kpi">
                <span class="label">{s('totalWithBehaviour', lang)}</span>
                <span class="big rf-big2" data-testid="revenue-change-behaviour">
                  {bnS(d.total_change_with_behaviour)}
                </span>
                <span class="hint">{s('sign', lang)}</span>
              </div>
            </div>
            <TaxTable d={d} checks={props.checks} lang={lang} />
            <ChecksTable checks={props.checks} year={st.year} lang={lang} />
          </>
        )}
        <Reproduce lang={lang} cli={cli} path="/society" body={props.societyBody} />
      </Section>
      {props.fiveYear}
      {d && <Deciles d={d} lang={lang} reform={hasChanges} setBy={props.setBy} />}
      {d && <WinnersLosers d={d} lang={lang} reform={hasChanges} />}
      {d && <Bands d={d} lang={lang} />}
      {d && (d.notes?.length ?? 0) > 0 && (
        <Section title={s('notes', lang)} id="rf-notes">
          <ul class="rf-notes">
            {(d.notes as Bilingual[]).map((n, i) => (
              <li key={i}>{pick(n, lang)}</li>
            ))}
            {d.provenance?.population && (
              <li>
                {s('population', lang, { p: num(d.provenance.population.persons), b: num(d.provenance.population.businesses) })}
              </li>
            )}
          </ul>
        </Section>
      )}
    </>
  );
}

const TaxTable = memo(TaxTableView);

function TaxTableView({ d, checks, lang }: { d: any; checks: Check[]; lang: Lang }) {
  const taxes = Object.entries(d.taxes ?? {}) as [string, any][];
  return (
    <>
      <h3>{s('byTax', lang)}</h3>
      <p class="hint">{s('byTaxUnit', lang)}</p>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={`${s('byTax', lang)} · ${s('table', lang)}`}>
        <table class="rf-taxes">
          <thead>
            <tr>
              <th scope="col">{s('tax', lang)}</th>
              <th scope="col" class="n">{s('change', lang)}</th>
              <th scope="col" class="n">{s('withBehaviour', lang)}</th>
              <th scope="col" class="n">{s('baseline', lang)}</th>
              <th scope="col" class="n">{s('reform', lang)}</th>
              <th scope="col" class="n">{s('affected', lang)}</th>
            </tr>
          </thead>
          <tbody>
            {taxes.map(([k, r]) => (
              <tr key={k} data-testid={`tax-${k}`}>
                <th scope="row">
                  {k in S ? s(k as keyof typeof S, lang) : k}
                  <div class="rf-trust">
                    <TrustBadges tax={k} checks={checks} lang={lang} />
                  </div>
                </th>
                <td class="n">{bnS(r.change)}</td>
                <td class="n">{bnS(r.change_with_behaviour)}</td>
                <td class="n">{bn(r.baseline / 1e9, 2)}</td>
                <td class="n">{bn(r.reform / 1e9, 2)}</td>
                <td class="n">{num(r.affected)}</td>
              </tr>
            )).flatMap((row, i) => [
              row,
              // The head's types of duty under it (no behavioural response by type).
              ...(Object.entries(taxes[i][1].by_type ?? {}) as [string, any][]).map(([tk, tr]) => (
                <tr key={`${taxes[i][0]}-${tk}`} class="rf-subrow" data-testid={`tax-${taxes[i][0]}-${tk}`}>
                  <th scope="row">{pick(tr.label, lang)}</th>
                  <td class="n">{bnS(tr.change)}</td>
                  <td class="n" />
                  <td class="n">{bn(tr.baseline / 1e9, 2)}</td>
                  <td class="n">{bn(tr.reform / 1e9, 2)}</td>
                  <td class="n">{num(tr.affected)}</td>
                </tr>
              )),
            ])}
            <tr class="total">
              <th scope="row">{s('total', lang)}</th>
              <td class="n">{bnS(d.total_change)}</td>
              <td class="n">{bnS(d.total_change_with_behaviour)}</td>
              <td class="n" />
              <td class="n" />
              <td class="n" />
            </tr>
          </tbody>
        </table>
      </div>
      <p class="hint">{s('trustHint', lang)}</p>
      <CollectionsTable d={d} lang={lang} />
    </>
  );
}

function CollectionsTable({ d, lang }: { d: any; lang: Lang }) {
  const rows = (Object.entries(d.taxes ?? {}) as [string, any][]).filter(([, r]) => r.collections);
  if (!rows.length) return null;
  const fy = String(d.year ?? '').replace('/', '-');
  const cell = (v: number | null | undefined) => (v == null ? '—' : bn(v / 1e9, 2));
  return (
    <>
      <h3>
        {s('collectionsTitle', lang)} {fy}
      </h3>
      <p class="hint">{s('collectionsHint', lang)}</p>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={`${s('collectionsTitle', lang)} · ${s('table', lang)}`}>
        <table class="rf-collections">
          <thead>
            <tr>
              <th scope="col">{s('tax', lang)}</th>
              <th scope="col" class="n">{s('colModel', lang)}</th>
              <th scope="col" class="n">{s('colPublished', lang)}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([k, r]) => (
              <tr key={k} data-testid={`collections-${k}`}>
                <th scope="row" title={r.collections.basis?.[lang] ?? ''}>
                  {k in S ? s(k as keyof typeof S, lang) : k}
                </th>
                <td class="n">{cell(r.collections.model)}</td>
                <td class="n">{cell(r.collections.published)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

const ChecksTable = memo(ChecksTableView);

function ChecksTableView({ checks, year, lang }: { checks: Check[]; year: string; lang: Lang }) {
  return (
    <details class="rf-checks">
      <summary>{s('checks', lang, { year })}</summary>
      {checks.length === 0 ? (
        <p class="muted">{s('noChecks', lang)}</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={`${s('checks', lang, { year })} · ${s('table', lang)}`}>
          <table>
            <thead>
              <tr>
                <th scope="col">{s('target', lang)}</th>
                <th scope="col">{s('popKind', lang)}</th>
                <th scope="col" class="n">{s('published', lang)}</th>
                <th scope="col" class="n">{s('model', lang)}</th>
                <th scope="col" class="n">{s('error', lang)}</th>
                <th scope="col">{s('role', lang)}</th>
              </tr>
            </thead>
            <tbody>
              {checks.map((c, i) => (
                <tr key={i}>
                  <th scope="row">
                    {pick(c.target, lang)}
                    {c.source && (
                      <div class="muted source">
                        {c.source.url ? (
                          <a href={c.source.url} rel="noreferrer">
                            {c.source.document}
                          </a>
                        ) : (
                          c.source.document
                        )}
                      </div>
                    )}
                    {c.note && (
                      <div class="muted source" lang="en">
                        {c.note}
                      </div>
                    )}
                  </th>
                  <td>{c.population in S ? s(c.population as keyof typeof S, lang) : c.population}</td>
                  <td class="n">{checkValue(c.published, lang)}</td>
                  <td class="n">{checkValue(c.model, lang)}</td>
                  <td class="n">{signedPct(c.error_pct)}</td>
                  <td>
                    <span class={`badge ${checkClass(c)}`} title={c.role === 'calibrated' ? s('calibratedTitle', lang) : undefined}>
                      {c.role === 'calibrated' ? s('calibrated', lang) : s('validation', lang)}
                    </span>
                    {c.status && c.status !== 'published' && (
                      <>
                        {' '}
                        <StatusBadge status={c.status} lang={lang} />
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="hint">{s('calibratedTitle', lang)}</p>
    </details>
  );
}

/** A published figure: money in HK$bn (no count of people or firms in Hong Kong reaches 10^8). */
function checkValue(v: number, lang: Lang): string {
  return Math.abs(v) >= 1e8 ? `${bn(v / 1e9, 2)} ${t('hkdbn', lang)}` : num(v);
}

function decileName(r: any, lang: Lang): string {
  return r.decile === null || r.decile === undefined ? s('top1', lang) : String(r.decile);
}

const Deciles = memo(DecilesView);

function DecilesView({ d, lang, reform, setBy }: { d: any; lang: Lang; reform: boolean; setBy: (by: 'earner' | 'household') => void }) {
  const rows = d.deciles as any[];
  const household = d.deciles_by === 'household';
  const byPicker = (
    <div class="rf-by" role="group" aria-label={s('decilesBy', lang)}>
      {(['earner', 'household'] as const).map((b) => (
        <button
          type="button"
          key={b}
          data-testid={`deciles-by-${b}`}
          aria-pressed={(b === 'household') === household}
          class={(b === 'household') === household ? 'primary' : ''}
          onClick={() => setBy(b)}
        >
          {s(b === 'household' ? 'byHousehold' : 'byEarner', lang)}
        </button>
      ))}
    </div>
  );
  const values = rows.map((r) => r.avg_change as number);
  const option: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => signedHkd(v) },
      grid: { left: 64, right: 16, top: 30, bottom: 44 },
      xAxis: { type: 'category', data: rows.map((r) => String(r.decile)), name: s('decile', lang), nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'value', name: s(d.deciles_by === 'household' ? 'perHousehold' : 'perPerson', lang), axisLabel: { formatter: (v: number) => num(v) } },
      series: [
        {
          name: s(d.deciles_by === 'household' ? 'avgChangeHousehold' : 'avgChange', lang),
          type: 'bar',
          data: values.map((v) => ({ value: v, itemStyle: { color: v <= 0 ? PALETTE[2] : PALETTE[1] } })),
        },
      ],
    }),
    [d, lang],
  );
  return (
    <Section title={s(household ? 'decilesHousehold' : 'deciles', lang)} id="rf-deciles" actions={byPicker}>
      {household && <p class="hint">{s('householdHint', lang)}</p>}
      {reform ? (
        <>
          <div class="rf-chart" data-values={JSON.stringify(values)}>
            <Chart option={option} label={s(household ? 'decilesChartHousehold' : 'decilesChart', lang)} height={260} testId="deciles-chart" />
          </div>
          <p class="hint">{s(household ? 'decilesChartHousehold' : 'decilesChart', lang)}</p>
        </>
      ) : (
        <p class="hint">{s('noReformChart', lang)}</p>
      )}
      <div class="table-wrap" tabIndex={0} role="region" aria-label={`${s('deciles', lang)} · ${s('table', lang)}`}>
        <table>
          <thead>
            <tr>
              <th scope="col">{s('decile', lang)}</th>
              <th scope="col" class="n">{s(household ? 'avgChangeHousehold' : 'avgChange', lang)}</th>
              <th scope="col" class="n">{s('pctIncome', lang)}</th>
              <th scope="col" class="n">{s('meanIncome', lang)}</th>
              <th scope="col" class="n">{s('baselineTax', lang)}</th>
              <th scope="col" class="n">{s(household ? 'households' : 'persons', lang)}</th>
            </tr>
          </thead>
          <tbody>
            {[...rows, ...(d.top1 ? [d.top1] : [])].map((r, i) => (
              <tr key={i} class={r.decile === null ? 'sub' : ''}>
                <th scope="row">{decileName(r, lang)}</th>
                <td class="n">{signedHkd(r.avg_change)}</td>
                <td class="n">{signedPct(r.change_pct_of_income).replace('±', '')}</td>
                <td class="n">{hkd(r.mean_income)}</td>
                <td class="n">{bn(r.baseline_tax / 1e9, 2)}</td>
                <td class="n">{num(r.persons)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="hint">{lang === 'zh' ? '基線稅款以十億港元計。' : 'Baseline tax in HK$bn.'}</p>
    </Section>
  );
}

const WinnersLosers = memo(WinnersLosersView);

function WinnersLosersView({ d, lang, reform }: { d: any; lang: Lang; reform: boolean }) {
  const rows = d.deciles as any[];
  const option: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => pct(v, 0) },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 34, bottom: 44 },
      xAxis: { type: 'category', data: rows.map((r) => String(r.decile)), name: s('decile', lang), nameLocation: 'middle', nameGap: 28 },
      yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => pct(v, 0) } },
      series: [
        { name: s('winners', lang), type: 'bar', data: rows.map((r) => r.winners_share), itemStyle: { color: PALETTE[2] } },
        { name: s('losers', lang), type: 'bar', data: rows.map((r) => r.losers_share), itemStyle: { color: PALETTE[1] } },
      ],
    }),
    [d, lang],
  );
  return (
    <Section title={s('winnersLosers', lang)} id="rf-wl">
      <p class="hint">{s(reform ? 'wlHint' : 'noReformChart', lang)}</p>
      {reform && (
        <div data-values={JSON.stringify(rows.map((r) => [r.winners_share, r.losers_share]))}>
          <Chart option={option} label={s('winnersLosers', lang)} height={240} testId="winners-chart" />
        </div>
      )}
      <div class="table-wrap" tabIndex={0} role="region" aria-label={`${s('winnersLosers', lang)} · ${s('table', lang)}`}>
        <table>
          <thead>
            <tr>
              <th scope="col">{s('decile', lang)}</th>
              <th scope="col" class="n">{s('winners', lang)}</th>
              <th scope="col" class="n">{s('losers', lang)}</th>
            </tr>
          </thead>
          <tbody>
            {[...rows, ...(d.top1 ? [d.top1] : [])].map((r, i) => (
              <tr key={i} class={r.decile === null ? 'sub' : ''}>
                <th scope="row">{decileName(r, lang)}</th>
                <td class="n">{pct(r.winners_share, 1)}</td>
                <td class="n">{pct(r.losers_share, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

/** "<=2m", "2m-10m", "4-10m", ">100m": price bands in the page's language. */
function bandLabel(b: string, lang: Lang): string {
  if (b in S) return s(b as keyof typeof S, lang);
  const m = /^(<=|>)?(\d+(?:\.\d+)?)m?(?:-(\d+(?:\.\d+)?)m)?$/.exec(b);
  if (!m) return b;
  const amt = (x: string) => {
    const v = Number(x);
    if (lang === 'en') return `HK$${num(v, v % 1 ? 1 : 0)}m`;
    return v >= 100 ? `${num(v / 100, (v / 100) % 1 ? 1 : 0)}億元` : `${num(v * 100)}萬元`;
  };
  if (m[1] === '<=') return `≤ ${amt(m[2])}`;
  if (m[1] === '>') return `> ${amt(m[2])}`;
  if (m[3]) return `${amt(m[2])}–${amt(m[3])}`;
  return b;
}

const Bands = memo(BandsView);

function BandsView({ d, lang }: { d: any; lang: Lang }) {
  const tables: [keyof typeof S, any[]][] = [
    ['profitsBand', d.profits_by_band ?? []],
    ['propertyBand', d.property_by_price_band ?? []],
    ['buyerBand', d.property_by_buyer ?? []],
  ];
  const st = d.stock_turnover;
  return (
    <Section title={s('detail', lang)} id="rf-bands">
      <p class="hint">{s('byTaxUnit', lang)}</p>
      <div class="rf-band-grid">
        {tables
          .filter(([, rows]) => rows.length > 0)
          .map(([title, rows]) => (
            <div key={title} class="table-wrap" tabIndex={0} role="region" aria-label={`${s(title, lang)} · ${s('table', lang)}`}>
              <table>
                <caption>{s(title, lang)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{s('band_', lang)}</th>
                    <th scope="col" class="n">{s('count', lang)}</th>
                    <th scope="col" class="n">{s('baseline', lang)}</th>
                    <th scope="col" class="n">{s('change', lang)}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.band}>
                      <th scope="row">{bandLabel(r.band, lang)}</th>
                      <td class="n">{num(r.count)}</td>
                      <td class="n">{bn(r.baseline / 1e9, 2)}</td>
                      <td class="n">{bnS(r.change)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        {st && (
          <div class="table-wrap" tabIndex={0} role="region" aria-label={`${s('stockTurnover', lang)} · ${s('table', lang)}`}>
            <table>
              <caption>{s('stockTurnover', lang)}</caption>
              <tbody>
                <tr>
                  <th scope="row">{s('turnover', lang)}</th>
                  <td class="n">{bn(st.turnover / 1e9, 0)}</td>
                </tr>
                <tr>
                  <th scope="row">{s('turnoverB', lang)}</th>
                  <td class="n">{bn(st.turnover_with_behaviour / 1e9, 0)}</td>
                </tr>
                <tr>
                  <th scope="row">{s('change', lang)}</th>
                  <td class="n">{bnS(st.change)}</td>
                </tr>
                <tr>
                  <th scope="row">{s('withBehaviour', lang)}</th>
                  <td class="n">{bnS(st.change_with_behaviour)}</td>
                </tr>
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Section>
  );
}

const FiveYear = memo(FiveYearView);

function FiveYearView(props: { lang: Lang; run: { data: any; error: unknown; busy: boolean }; show: boolean; year: string; body: string }) {
  const { lang, run } = props;
  const r = props.show ? run.data : null;
  const option: ChartOption | null = useMemo(
    () =>
      r
        ? {
            tooltip: { trigger: 'axis', valueFormatter: (v: number) => bn(v, 1) },
            legend: { bottom: 0 },
            grid: { left: 56, right: 16, top: 30, bottom: 56 },
            xAxis: { type: 'category', data: r.years },
            yAxis: { type: 'value', scale: true, name: t('hkdbn', lang), axisLabel: { formatter: (v: number) => num(v) } },
            series: [
              { name: s('reservesBase', lang), type: 'line', data: r.baseline.reserves.values, lineStyle: { type: 'dashed' } },
              { name: s('reservesScen', lang), type: 'line', data: r.scenario.reserves.values },
            ],
          }
        : null,
    [r, lang],
  );
  return (
    <Section title={s('fiveYear', lang)} id="rf-five">
      {!props.show && <p class="hint">{s('fiveYearNone', lang)}</p>}
      {props.show && (
        <>
          <Busy busy={run.busy} lang={lang} />
          <ErrorBox error={run.error} lang={lang} />
        </>
      )}
      {r && option && (
        <>
          <p class="hint">{s('fiveYearHint', lang, { year: props.year, start: r.years[0], vintage: r.vintage })}</p>
          <h3>{s('byYear', lang)}</h3>
          <div data-values={JSON.stringify(r.totals.change_in_balance)}>
            <Chart option={option} label={s('reservesChart', lang)} height={240} testId="reserves-chart" />
          </div>
          <div class="table-wrap" tabIndex={0} role="region" aria-label={`${s('fiveYear', lang)} · ${s('table', lang)}`}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{s('fyear', lang)}</th>
                  <th scope="col" class="n">{s('effect', lang)}</th>
                  <th scope="col" class="n">{s('balanceBase', lang)}</th>
                  <th scope="col" class="n">{s('balanceScen', lang)}</th>
                  <th scope="col" class="n">{s('reservesBase', lang)}</th>
                  <th scope="col" class="n">{s('reservesScen', lang)}</th>
                </tr>
              </thead>
              <tbody>
                {(r.years as string[]).map((y, i) => (
                  <tr key={y}>
                    <th scope="row">
                      {y} <StatusBadge status={r.scenario.balance.status[i]} lang={lang} />
                    </th>
                    <td class="n" data-testid="five-year-effect" data-year={y} data-value={r.totals.change_in_balance[i]}>
                      {bn(r.totals.change_in_balance[i], 2, true)}
                    </td>
                    <td class="n">{bn(r.baseline.balance.values[i], 1, true)}</td>
                    <td class="n">{bn(r.scenario.balance.values[i], 1, true)}</td>
                    <td class="n">{bn(r.baseline.reserves.values[i], 1)}</td>
                    <td class="n">{bn(r.scenario.reserves.values[i], 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {r.units && <p class="hint">{pick(r.units, lang)}</p>}
          {props.body && <Reproduce lang={lang} path="/packages/run" body={JSON.parse(props.body)} />}
        </>
      )}
    </Section>
  );
}
