// 建議 Proposals: the Chinese General Chamber of Commerce's proposals for the 2024-25 Budget, with
// each Budget's response (2024-25, 2025-26, 2026-27), their costings at every setting with
// editable parameters, and packages of them: each item's contribution to the consolidated balance
// by year, the totals, the baseline against the scenario, exports, a printable report. Every
// figure comes from the server; this page only chooses what to show and formats it.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, download, get, post, type Schemas } from '../api/client';
import { Chart, type ChartOption } from '../components/Chart';
import { Busy, ErrorBox, Reproduce, Section, StatusBadge, useRun } from '../components/ui';
import { bn, num } from '../format';
import { type Bilingual, type Lang, pick, t } from '../i18n';
import type { PageProps } from '../nav';
import { link, readState, writeState } from '../state';
import { loadScenario, SaveButton } from './Saved';
import './Proposals.css';

const S = {
  title: { zh: '中總建議', en: 'The Chamber’s proposals' },
  lede: {
    zh: '香港中華總商會（中總）就 2024-25 年度財政預算案提出 {n} 項建議。此頁列出三份預算案（2024-25、2025-26、2026-27）對每項建議的回應；其中 {c} 項附有估算，可調整參數，並組合成方案計算對綜合帳目的影響。',
    en: 'The Chinese General Chamber of Commerce (CGCC) made {n} proposals for the 2024-25 Budget. Here is how each Budget (2024-25, 2025-26, 2026-27) responded; {c} of them are costed: change their parameters and combine them into a package to see its effect on the consolidated accounts.',
  },
  tabList: { zh: '建議一覽', en: 'Proposals' },
  tabPackage: { zh: '組合', en: 'Package' },
  views: { zh: '檢視', en: 'View' },
  filters: { zh: '篩選', en: 'Filters' },
  search: { zh: '搜尋', en: 'Search' },
  searchHint: { zh: '編號、標題或內容', en: 'Id, title or text' },
  section: { zh: '章節', en: 'Section' },
  kind: { zh: '類別', en: 'Kind' },
  quantifiable: { zh: '可否量化', en: 'Quantifiable' },
  latest: { zh: '最新回應', en: 'Latest response' },
  costed: { zh: '估算', en: 'Costing' },
  all: { zh: '全部', en: 'All' },
  costedYes: { zh: '已估算', en: 'Costed' },
  costedNo: { zh: '未估算', en: 'Not costed' },
  resetFilters: { zh: '清除篩選', en: 'Clear filters' },
  shown: { zh: '顯示 {k} / {n} 項', en: 'Showing {k} of {n}' },
  noMatch: { zh: '沒有符合篩選條件的建議。', en: 'No proposal matches the filters.' },
  listLabel: { zh: '建議列表', en: 'List of proposals' },
  inPackage: { zh: '已在組合', en: 'In package' },
  choose: { zh: '請從列表選擇一項建議。', en: 'Choose a proposal from the list.' },
  chamberText: { zh: '中總原文', en: 'The Chamber’s text' },
  chineseText: { zh: '中文', en: 'Chinese' },
  englishText: { zh: '英文', en: 'English' },
  subsection: { zh: '分節', en: 'Subsection' },
  weight: { zh: '財政影響', en: 'Fiscal weight' },
  direction: { zh: '影響方向', en: 'Direction' },
  top10: { zh: '十大建議第 {r} 位', en: 'No. {r} of the top ten' },
  components: { zh: '組成部分', en: 'Components' },
  responses: { zh: '政府回應（按預算案）', en: 'The government’s response, Budget by Budget' },
  budget: { zh: '{b} 年度預算案', en: 'The {b} Budget' },
  noSources: { zh: '此年度未有另列來源。', en: 'No separate source for this Budget.' },
  costing: { zh: '估算', en: 'Costing' },
  notCosted: {
    zh: '此建議沒有估算（不可量化，或資料不足），不能加入組合。',
    en: 'This proposal has no costing (not quantifiable, or the data are missing), so it cannot go into a package.',
  },
  method: { zh: '方法', en: 'Method' },
  settings: { zh: '各設定下對綜合帳目盈虧的影響', en: 'Effect on the consolidated balance at each setting' },
  setting: { zh: '設定', en: 'Setting' },
  staticCentral: { zh: '中間設定（不計行為反應）', en: 'Central, without behaviour' },
  byLine: { zh: '中間設定按項目', en: 'Central setting by line' },
  line: { zh: '項目', en: 'Line' },
  parameters: { zh: '參數', en: 'Parameters' },
  paramsHint: {
    zh: '可修改參數數值（須在容許範圍內）；修改在所有設定下生效。標示「假設」的參數沒有資料來源。',
    en: 'Change a parameter (within its allowed range); a change holds in every setting. Parameters marked “assumption” have no source.',
  },
  range: { zh: '低至高', en: 'Low to high' },
  allowed: { zh: '容許範圍', en: 'Allowed' },
  outOfRange: { zh: '超出容許範圍', en: 'Outside the allowed range' },
  reset: { zh: '還原', en: 'Reset' },
  resetAll: { zh: '還原所有參數', en: 'Reset every parameter' },
  overridden: { zh: '已修改', en: 'changed' },
  addToPackage: { zh: '加入組合', en: 'Add to package' },
  updatePackage: { zh: '更新組合中的設定', en: 'Update it in the package' },
  removeFromPackage: { zh: '從組合移除', en: 'Remove from package' },
  added: { zh: '已加入組合（共 {n} 項）。', en: 'Added to the package ({n} items).' },
  updated: { zh: '已更新組合中的設定。', en: 'Updated in the package.' },
  openPackage: { zh: '查看組合', en: 'See the package' },
  fixFirst: { zh: '請先修正超出範圍的參數。', en: 'Fix the parameters outside their range first.' },
  notes: { zh: '附註', en: 'Notes' },
  source: { zh: '來源', en: 'Source' },
  noSource: { zh: '沒有來源（假設）', en: 'No source (assumption)' },
  // Package
  packageTitle: { zh: '組合', en: 'Package' },
  startFrom: { zh: '開始自', en: 'Start from' },
  startMine: { zh: '我加入的建議（{n} 項）', en: 'The proposals I added ({n})' },
  pickStart: { zh: '選擇…', en: 'Choose…' },
  load: { zh: '載入', en: 'Load' },
  clear: { zh: '清空組合', en: 'Empty the package' },
  unnamed: { zh: '我的組合', en: 'My package' },
  vintage: { zh: '中期預測年份', en: 'Forecast vintage' },
  newest: { zh: '最新', en: 'newest' },
  fromShipped: { zh: '來自隨附組合：{id}', en: 'From the shipped package {id}' },
  modified: { zh: '（已修改）', en: '(changed)' },
  items: { zh: '組合內容', en: 'What is in it' },
  emptyPackage: {
    zh: '組合尚未有項目。請載入隨附的組合，或在「建議一覽」中選擇已估算的建議並按「加入組合」。',
    en: 'The package is empty. Load a shipped package, or choose a costed proposal under “Proposals” and press “Add to package”.',
  },
  remove: { zh: '移除', en: 'Remove' },
  edit: { zh: '查看及修改', en: 'Open and edit' },
  reformItem: { zh: '法例改革', en: 'Reform of the law' },
  lineItem: { zh: '財政項目', en: 'Fiscal line' },
  customItem: { zh: '自訂估算', en: 'Own costing' },
  proposalItem: { zh: '建議', en: 'Proposal' },
  contributions: { zh: '各項對綜合帳目盈虧的貢獻', en: 'Each item’s contribution to the consolidated balance' },
  item: { zh: '項目', en: 'Item' },
  total: { zh: '組合合計（盈虧變動）', en: 'Package total (change in balance)' },
  allLow: { zh: '所有建議取低設定', en: 'Every proposal at its low setting' },
  allHigh: { zh: '所有建議取高設定', en: 'Every proposal at its high setting' },
  exBonds: { zh: '不計債券淨收入', en: 'Excluding net bond proceeds' },
  inBaseline: { zh: '已計入基線', en: 'already in the baseline' },
  inBaselineNote: {
    zh: '已計入基線的項目不會加入合計，其估算僅供參考：',
    en: 'Items already in the baseline do not add into the total; their costing, for reference:',
  },
  reference: { zh: '已計入基線的項目（僅供參考）', en: 'Items already in the baseline (for reference)' },
  counterfactual: {
    zh: '此組合的措施已包括在預測之內。下表的「基線」是反事實情況：{cf}；「情景」則為已公布的預測。',
    en: 'This package’s measures are already in the forecast. The “baseline” below is the counterfactual: {cf}; the “scenario” is the published forecast.',
  },
  cfShort: {
    zh: '「基線」為反事實情況（預測剔除此組合的措施），「情景」為已公布的預測。',
    en: 'The “baseline” is the counterfactual (the forecast without this package’s measures); the “scenario” is the published forecast.',
  },
  showAll: { zh: '顯示 {n} 項', en: 'Show {n}' },
  chart: { zh: '各項貢獻及組合合計', en: 'Contributions and the package total' },
  chartLabel: {
    zh: '棒形圖：各項目每年對綜合帳目盈虧的貢獻（堆疊）；折線：組合合計。數字見上表。',
    en: 'Bar chart: each item’s contribution to the consolidated balance by year (stacked); line: the package total. The figures are in the table above.',
  },
  accounts: { zh: '基線與情景', en: 'Baseline and scenario' },
  baselineBalance: { zh: '基線綜合帳目盈虧', en: 'Baseline consolidated balance' },
  scenarioBalance: { zh: '情景綜合帳目盈虧', en: 'Scenario consolidated balance' },
  baselineReserves: { zh: '基線財政儲備', en: 'Baseline fiscal reserves' },
  scenarioReserves: { zh: '情景財政儲備', en: 'Scenario fiscal reserves' },
  reserveMonths: { zh: '情景儲備（相當於開支月數）', en: 'Scenario reserves (months of expenditure)' },
  assumptions: { zh: '所依據的假設', en: 'Assumptions it rests on' },
  assumptionsHint: {
    zh: '以下參數沒有資料來源，屬明確的模型假設（數值為中間設定）。',
    en: 'These parameters have no source: they are explicit modelling assumptions (values at the central setting).',
  },
  noAssumptions: { zh: '此組合沒有標示為假設的參數。', en: 'No parameter of this package is an assumption.' },
  value: { zh: '數值', en: 'Value' },
  unit: { zh: '單位', en: 'Unit' },
  parameter: { zh: '參數', en: 'Parameter' },
  sources: { zh: '資料來源', en: 'Sources' },
  itemNotes: { zh: '各項附註', en: 'Notes on the items' },
  notInPackage: { zh: '另有 {n} 項可量化建議不在此組合內', en: '{n} quantifiable proposals are not in this package' },
  add: { zh: '加入', en: 'Add' },
  provenance: { zh: '引擎 {e} · 法例指紋 {f} · 預測年份 {v}', en: 'Engine {e} · law fingerprint {f} · vintage {v}' },
  exportError: { zh: '匯出失敗', en: 'Export failed' },
  hkdbnNote: { zh: '單位：十億港元', en: 'HK$bn' },
} as const;

function s(k: keyof typeof S, lang: Lang, vars?: Record<string, string | number>): string {
  let x: string = S[k][lang];
  if (vars) for (const [a, b] of Object.entries(vars)) x = x.split(`{${a}}`).join(String(b));
  return x;
}

// The API returns enum keys; their labels in both languages.
type Label = { zh: string; en: string };
const KINDS: Record<string, Label> = {
  revenue_measure: { zh: '收入措施', en: 'Revenue measure' },
  spending_measure: { zh: '開支措施', en: 'Spending measure' },
  financing: { zh: '融資', en: 'Financing' },
  expenditure_control: { zh: '開支控制', en: 'Expenditure control' },
  regulatory_or_institutional: { zh: '規管或制度', en: 'Regulatory or institutional' },
  mixed: { zh: '混合', en: 'Mixed' },
};
const QUANT: Record<string, Label> = {
  yes: { zh: '可量化', en: 'Quantifiable' },
  partly: { zh: '部分可量化', en: 'Partly quantifiable' },
  no: { zh: '不可量化', en: 'Not quantifiable' },
};
const RESPONSES: Record<string, Label & { cls: string }> = {
  implemented: { zh: '已落實', en: 'Implemented', cls: 'ok' },
  partly_implemented: { zh: '部分落實', en: 'Partly implemented', cls: 'info' },
  related_action: { zh: '有相關措施', en: 'Related action', cls: 'info' },
  pre_existing: { zh: '早已實行', en: 'Already in place', cls: 'info' },
  not_adopted: { zh: '未採納', en: 'Not adopted', cls: 'warn' },
  rejected: { zh: '不予採納', en: 'Rejected', cls: 'bad' },
  no_evidence_found: { zh: '未見相關措施', en: 'No evidence found', cls: 'none' },
};
const WEIGHTS: Record<string, Label> = {
  none: { zh: '無', en: 'None' },
  low: { zh: '低', en: 'Low' },
  medium: { zh: '中', en: 'Medium' },
  high: { zh: '高', en: 'High' },
  very_high: { zh: '極高', en: 'Very high' },
};
const DIRECTIONS: Record<string, Label> = {
  none: { zh: '無', en: 'none' },
  spending_increase: { zh: '增加開支', en: 'more spending' },
  spending_saving: { zh: '節省開支', en: 'spending saved' },
  indirect_spending_saving: { zh: '間接節省開支', en: 'spending saved indirectly' },
  financing_inflow: { zh: '融資流入', en: 'financing inflow' },
  admin_cost: { zh: '行政成本', en: 'administrative cost' },
  revenue_loss: { zh: '收入減少', en: 'revenue lost' },
  revenue_loss_and_spending: { zh: '收入減少及增加開支', en: 'revenue lost and more spending' },
  spending_increase_and_revenue_loss: { zh: '增加開支及收入減少', en: 'more spending and revenue lost' },
  revenue_loss_static_with_positive_feedback: { zh: '靜態計收入減少，或有正面回饋', en: 'revenue lost statically, with positive feedback' },
  revenue_loss_and_reserve_risk: { zh: '收入減少及儲備風險', en: 'revenue lost and a risk to the reserves' },
  revenue_forgone_land: { zh: '放棄土地收入', en: 'land revenue forgone' },
  contingent_liability: { zh: '或有負債', en: 'contingent liability' },
  reserve_risk: { zh: '儲備風險', en: 'risk to the reserves' },
  balance_sheet: { zh: '資產負債表', en: 'balance sheet' },
  tax_expenditure: { zh: '稅式開支', en: 'tax expenditure' },
  capex_shift_vs_land_premium: { zh: '基本工程開支轉移，換取地價收入', en: 'capital spending moved off budget against land premium' },
  one_off_capital_receipt_vs_forgone_toll_revenue: {
    zh: '一次性資本收入，換取放棄的隧道費收入',
    en: 'a one-off capital receipt against toll revenue forgone',
  },
};
const METHODS: Record<string, Label> = {
  lines: { zh: '財政項目（收入、開支及融資）', en: 'Fiscal lines (revenue, spending, financing)' },
  reform: { zh: '法例改革的微觀模擬', en: 'Microsimulation of a change in the law' },
};
const SETTINGS: Record<string, Label> = {
  low: { zh: '低', en: 'Low' },
  central: { zh: '中間', en: 'Central' },
  high: { zh: '高', en: 'High' },
};
const LINE_KINDS: Record<string, Label> = {
  revenue: { zh: '收入', en: 'revenue' },
  expenditure: { zh: '開支', en: 'expenditure' },
  bond_issuance: { zh: '發行債券', en: 'bond issuance' },
  bond_repayment: { zh: '償還債券', en: 'bond repayment' },
};
const CONTRIB_KINDS: Record<string, keyof typeof S> = {
  proposal: 'proposalItem',
  custom: 'customItem',
  reform: 'reformItem',
  line: 'lineItem',
};

function label(table: Record<string, Label>, key: string | null | undefined, lang: Lang): string {
  if (!key) return '';
  const l = table[key];
  return l ? l[lang] : key.replace(/_/g, ' ');
}

function ResponseBadge({ status, lang }: { status: string; lang: Lang }) {
  const r = RESPONSES[status];
  return <span class={`badge ${r?.cls ?? 'info'}`}>{r ? r[lang] : status}</span>;
}

type PackageSpec = Schemas['PackageSpec'];
type PackageProposal = Schemas['PackageProposal'];
type Overrides = Record<string, number>;

interface Filters {
  q: string;
  section: string;
  kind: string;
  quant: string;
  status: string;
  costed: '' | 'yes' | 'no';
}

interface State {
  view: 'list' | 'package';
  f: Filters;
  /** The selected proposal and its parameter overrides. */
  sel?: string;
  set: Overrides;
  /** The package being built; absent while it is a shipped package (`base`) unchanged. */
  package?: PackageSpec;
  /** The shipped package it started from. */
  base?: string;
  /** The proposals the user added (a package can start from them). */
  mine: PackageProposal[];
}

const NO_FILTERS: Filters = { q: '', section: '', kind: '', quant: '', status: '', costed: '' };
const DEFAULT: State = { view: 'list', f: NO_FILTERS, sel: '2.1(4)', set: {}, mine: [] };
const EMPTY: PackageSpec = { proposals: [] };

function initial(): State {
  const raw = readState<Partial<State> & { package?: PackageSpec | string }>();
  if (!raw) return DEFAULT;
  // The Overview links to a shipped package by its id: {package: 'government-2026-27'}.
  if (typeof raw.package === 'string') {
    return { ...DEFAULT, view: 'package', base: raw.package, package: undefined };
  }
  return {
    ...DEFAULT,
    ...(raw as Partial<State>),
    // A link from the Saved page carries only {package}: open the package.
    view: raw.view ?? (raw.package ? 'package' : 'list'),
    f: { ...NO_FILTERS, ...(raw.f ?? {}) },
    set: raw.set ?? {},
    mine: Array.isArray(raw.mine) ? raw.mine : [],
  };
}

function itemCount(p: PackageSpec): number {
  return (p.proposals?.length ?? 0) + (p.reforms?.length ?? 0) + (p.lines?.length ?? 0) + (p.custom?.length ?? 0);
}

/** A number as typed in a parameter (no grouping, up to 6 decimals). */
function pv(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** A colon in the page's language. */
function colon(lang: Lang): string {
  return lang === 'zh' ? '：' : ': ';
}

function cleanSet(set: Overrides | undefined): Overrides | undefined {
  return set && Object.keys(set).length > 0 ? set : undefined;
}

export function Proposals({ lang }: PageProps) {
  const [st, setSt] = useState<State>(initial);
  const [scenarioError, setScenarioError] = useState<unknown>(null);
  useEffect(() => {
    loadScenario().then(
      (sc) => {
        if (sc && sc.kind === 'package') setSt((x) => ({ ...x, view: 'package', package: sc.body as PackageSpec, base: undefined }));
      },
      (e) => setScenarioError(e),
    );
  }, []);
  useEffect(() => writeState(st), [st]);
  const set = (patch: Partial<State>) => setSt((x) => ({ ...x, ...patch }));

  const list = useRun<any>('list', (signal) => get('/proposals', { query: { leaves_only: true }, signal }) as Promise<any>);
  const card = useRun<any>('scorecard', (signal) => get('/scorecard', { signal }) as Promise<any>);
  const shipped = useRun<any>('shipped', (signal) => get('/packages', { signal }) as Promise<any>);

  const shippedById = useMemo(() => {
    const m: Record<string, PackageSpec> = {};
    for (const p of (shipped.data?.packages ?? []) as { id: string; package: PackageSpec }[]) m[p.id] = p.package;
    return m;
  }, [shipped.data]);
  const pkg: PackageSpec | null = st.package ?? (st.base ? (shippedById[st.base] ?? null) : EMPTY);
  /** Changes the package (a shipped one becomes the user's own copy). */
  const editPackage = (f: (p: PackageSpec) => PackageSpec) =>
    setSt((x) => {
      const cur = x.package ?? (x.base ? shippedById[x.base] : undefined) ?? EMPTY;
      return { ...x, package: f(structuredClone(cur)) };
    });
  const proposals = (list.data?.proposals ?? []) as any[];
  const byId = useMemo(() => Object.fromEntries(proposals.map((p) => [p.id, p])), [list.data]);
  const count = pkg ? itemCount(pkg) : 0;

  const addToPackage = (id: string, overrides: Overrides) => {
    const entry: PackageProposal = { id, ...(cleanSet(overrides) ? { set: { ...overrides } } : {}) };
    setSt((x) => {
      const cur = structuredClone(x.package ?? (x.base ? shippedById[x.base] : undefined) ?? EMPTY);
      const ps = cur.proposals ?? [];
      const i = ps.findIndex((p) => p.id === id);
      if (i >= 0) ps[i] = { ...ps[i], set: entry.set };
      else ps.push(entry);
      if (!entry.set && i >= 0) delete ps[i].set;
      cur.proposals = ps;
      const mine = x.mine.filter((p) => p.id !== id).concat([entry]);
      return { ...x, package: cur, mine };
    });
  };
  const removeProposal = (id: string) => {
    editPackage((p) => ({ ...p, proposals: (p.proposals ?? []).filter((q) => q.id !== id) }));
    setSt((x) => ({ ...x, mine: x.mine.filter((p) => p.id !== id) }));
  };

  const nProps = proposals.length;
  const nCosted = proposals.filter((p) => p.costing_method).length;

  return (
    <>
      <h1>{s('title', lang)}</h1>
      <p class="lede">{list.data ? s('lede', lang, { n: nProps, c: nCosted }) : '\u00a0'}</p>
      <ErrorBox error={list.error ?? scenarioError} lang={lang} />
      <div class="tabs no-print" role="tablist" aria-label={s('views', lang)}>
        <button type="button" role="tab" aria-selected={st.view === 'list'} onClick={() => set({ view: 'list' })}>
          {s('tabList', lang)}
        </button>
        <button type="button" role="tab" aria-selected={st.view === 'package'} onClick={() => set({ view: 'package' })} data-testid="tab-package">
          {s('tabPackage', lang)} ({count})
        </button>
      </div>
      {st.view === 'list' ? (
        <ListView
          lang={lang}
          st={st}
          set={set}
          proposals={proposals}
          busy={list.busy}
          sections={card.data?.sections ?? {}}
          pkg={pkg ?? EMPTY}
          onAdd={addToPackage}
          onRemove={removeProposal}
        />
      ) : (
        <PackageView
          lang={lang}
          st={st}
          set={set}
          pkg={pkg}
          byId={byId}
          shipped={(shipped.data?.packages ?? []) as { id: string; package: PackageSpec }[]}
          shippedError={shipped.error}
          editPackage={editPackage}
          onAdd={addToPackage}
          onRemove={removeProposal}
        />
      )}
    </>
  );
}

// ————————————————————————————————————————— the list and one proposal

function ListView(props: {
  lang: Lang;
  st: State;
  set: (p: Partial<State>) => void;
  proposals: any[];
  busy: boolean;
  sections: Record<string, Bilingual>;
  pkg: PackageSpec;
  onAdd: (id: string, set: Overrides) => void;
  onRemove: (id: string) => void;
}) {
  const { lang, st, set, proposals, sections, pkg } = props;
  const f = st.f;
  const setF = (patch: Partial<Filters>) => set({ f: { ...f, ...patch } });
  const shown = useMemo(() => {
    const q = f.q.trim().toLowerCase();
    return proposals.filter(
      (p) =>
        (!f.section || p.section === f.section) &&
        (!f.kind || p.kind === f.kind) &&
        (!f.quant || p.quantifiable === f.quant) &&
        (!f.status || p.latest_status === f.status) &&
        (!f.costed || (f.costed === 'yes') === !!p.costing_method) &&
        (!q || [p.id, p.title?.zh, p.title?.en, p.summary?.zh, p.summary?.en].some((x) => x && String(x).toLowerCase().includes(q))),
    );
  }, [proposals, f]);
  const countBy = (k: string) => {
    const m: Record<string, number> = {};
    for (const p of proposals) m[p[k]] = (m[p[k]] ?? 0) + 1;
    return m;
  };
  const nKind = countBy('kind');
  const nQuant = countBy('quantifiable');
  const nStatus = countBy('latest_status');
  const nSection = countBy('section');
  const inPkg = new Set((pkg.proposals ?? []).map((p) => p.id));
  const detailRef = useRef<HTMLDivElement>(null);
  const choose = (id: string) => {
    const entry = (pkg.proposals ?? []).find((p) => p.id === id);
    set({ sel: id, set: { ...(entry?.set ?? {}) } });
    if (window.matchMedia('(max-width: 63.99rem)').matches) {
      requestAnimationFrame(() => detailRef.current?.scrollIntoView({ block: 'start' }));
    }
  };
  // The selected proposal is visible in the list when the page opens.
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    const ul = listRef.current;
    const li = ul?.querySelector<HTMLElement>('li.on');
    if (ul && li) ul.scrollTop = Math.max(0, li.offsetTop - ul.offsetTop - ul.clientHeight / 3);
  }, [proposals.length > 0]);
  const filtered = f.q || f.section || f.kind || f.quant || f.status || f.costed;
  return (
    <div class="pr-layout">
      <div class="pr-side">
        <Section title={s('tabList', lang)} id="pr-list">
          <fieldset class="pr-filters">
            <legend class="sr-only">{s('filters', lang)}</legend>
            <div class="field pr-search">
              <label for="pr-q">{s('search', lang)}</label>
              <input id="pr-q" type="search" value={f.q} placeholder={s('searchHint', lang)} onInput={(e) => setF({ q: (e.target as HTMLInputElement).value })} />
            </div>
            <div class="field">
              <label for="pr-section">{s('section', lang)}</label>
              <select id="pr-section" value={f.section} onChange={(e) => setF({ section: (e.target as HTMLSelectElement).value })}>
                <option value="">{s('all', lang)}</option>
                {Object.keys(nSection)
                  .sort()
                  .map((k) => (
                    <option value={k} key={k}>
                      {k}
                      {sections[k] ? `. ${pick(sections[k], lang)}` : ''} ({nSection[k]})
                    </option>
                  ))}
              </select>
            </div>
            <div class="field">
              <label for="pr-kind">{s('kind', lang)}</label>
              <select id="pr-kind" value={f.kind} onChange={(e) => setF({ kind: (e.target as HTMLSelectElement).value })}>
                <option value="">{s('all', lang)}</option>
                {Object.keys(KINDS).map((k) => (
                  <option value={k} key={k}>
                    {KINDS[k][lang]} ({nKind[k] ?? 0})
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="pr-quant">{s('quantifiable', lang)}</label>
              <select id="pr-quant" value={f.quant} onChange={(e) => setF({ quant: (e.target as HTMLSelectElement).value })}>
                <option value="">{s('all', lang)}</option>
                {Object.keys(QUANT).map((k) => (
                  <option value={k} key={k}>
                    {QUANT[k][lang]} ({nQuant[k] ?? 0})
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="pr-status">{s('latest', lang)}</label>
              <select id="pr-status" value={f.status} onChange={(e) => setF({ status: (e.target as HTMLSelectElement).value })}>
                <option value="">{s('all', lang)}</option>
                {Object.keys(RESPONSES).map((k) => (
                  <option value={k} key={k}>
                    {RESPONSES[k][lang]} ({nStatus[k] ?? 0})
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="pr-costed">{s('costed', lang)}</label>
              <select id="pr-costed" value={f.costed} onChange={(e) => setF({ costed: (e.target as HTMLSelectElement).value as Filters['costed'] })}>
                <option value="">{s('all', lang)}</option>
                <option value="yes">{s('costedYes', lang)}</option>
                <option value="no">{s('costedNo', lang)}</option>
              </select>
            </div>
          </fieldset>
          <div class="pr-count">
            <span aria-live="polite" data-testid="proposal-count">
              {s('shown', lang, { k: shown.length, n: proposals.length })}
            </span>
            {filtered && (
              <button type="button" class="pr-link" onClick={() => setF(NO_FILTERS)}>
                {s('resetFilters', lang)}
              </button>
            )}
          </div>
          <Busy busy={props.busy} lang={lang} />
          {!props.busy && shown.length === 0 && <p class="muted">{s('noMatch', lang)}</p>}
          <ul class="pr-list" ref={listRef} aria-label={s('listLabel', lang)}>
            {shown.map((p) => (
              <li key={p.id} class={p.id === st.sel ? 'on' : ''}>
                <a
                  href={link('/proposals', lang, { view: 'list', f, sel: p.id })}
                  aria-current={p.id === st.sel ? 'true' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    choose(p.id);
                  }}
                  data-testid="proposal-item"
                >
                  <span class="pr-id">{p.id}</span> <span class="pr-title">{pick(p.title, lang)}</span>
                </a>
                <div class="pr-meta">
                  <span class="badge kind">{label(KINDS, p.kind, lang)}</span>
                  <ResponseBadge status={p.latest_status} lang={lang} />
                  {p.costing_method ? <span class="badge ok">{s('costedYes', lang)}</span> : <span class="pr-nocost">{s('costedNo', lang)}</span>}
                  {inPkg.has(p.id) && <span class="badge info">{s('inPackage', lang)}</span>}
                </div>
              </li>
            ))}
          </ul>
        </Section>
      </div>
      <div class="pr-main" ref={detailRef}>
        {st.sel ? (
          <Detail
            key={st.sel}
            id={st.sel}
            lang={lang}
            overrides={st.set}
            setOverrides={(o) => set({ set: o })}
            summary={proposals.find((p) => p.id === st.sel)}
            pkg={pkg}
            onAdd={props.onAdd}
            onRemove={props.onRemove}
            openPackage={() => set({ view: 'package' })}
          />
        ) : (
          <Section title={s('costing', lang)} id="pr-none">
            <p class="muted">{s('choose', lang)}</p>
          </Section>
        )}
      </div>
    </div>
  );
}

function SourceLink({ src }: { src: { document: string; url?: string; date?: string | null } }) {
  return (
    <span class="source">
      {src.url ? (
        <a href={src.url} rel="noreferrer" target="_blank">
          {src.document}
        </a>
      ) : (
        src.document
      )}
      {src.date ? ` (${src.date})` : ''}
    </span>
  );
}

function Detail(props: {
  id: string;
  lang: Lang;
  overrides: Overrides;
  setOverrides: (o: Overrides) => void;
  summary: any;
  pkg: PackageSpec;
  onAdd: (id: string, set: Overrides) => void;
  onRemove: (id: string) => void;
  openPackage: () => void;
}) {
  const { id, lang, overrides } = props;
  const detail = useRun<any>(`detail:${id}`, (signal) => get('/proposals/{id}', { params: { id }, signal }) as Promise<any>);
  const d = detail.data && detail.data.id === id ? detail.data : null;
  const hasCosting = d ? !!d.costing : !!props.summary?.costing_method;
  const body = useMemo(() => ({ id, set: overrides }), [id, overrides]);
  const cost = useRun<any>(
    hasCosting ? `cost:${JSON.stringify(body)}` : `nocost:${id}`,
    (signal) => (hasCosting ? (post('/proposals/cost', body as never, { signal }) as Promise<any>) : Promise.resolve(null)),
    150,
  );
  const c = cost.data && cost.data.id === id ? cost.data : null;
  const [msg, setMsg] = useState<string>('');
  const entry = (props.pkg.proposals ?? []).find((p) => p.id === id);
  const params: Record<string, any> = d?.costing?.parameters ?? {};
  const bad = Object.entries(overrides).some(([k, v]) => {
    const p = params[k];
    return p && (v < p.allowed[0] || v > p.allowed[1]);
  });
  const cli = `hkbudget proposals cost "${id}"` + Object.entries(overrides).map(([k, v]) => ` --set ${k}=${v}`).join('');
  return (
    <>
      <Section title={`${id} ${pick(d?.title ?? props.summary?.title, lang)}`} id="pr-detail">
        <Busy busy={detail.busy} lang={lang} />
        <ErrorBox error={detail.error} lang={lang} />
        {d && (
          <>
            <dl class="pr-facts">
              <div>
                <dt>{s('section', lang)}</dt>
                <dd>
                  {d.section_id}. {lang === 'zh' ? d.section_title_zh : d.section_title_en}
                  {d.subsection_id && d.subsection_id !== d.id && (
                    <div class="muted">
                      {d.subsection_id} {lang === 'zh' ? d.subsection_title_zh : d.subsection_title_en}
                    </div>
                  )}
                </dd>
              </div>
              <div>
                <dt>{s('kind', lang)}</dt>
                <dd>
                  {label(KINDS, d.kind, lang)} · {label(QUANT, d.quantifiable, lang)}
                </dd>
              </div>
              <div>
                <dt>{s('weight', lang)}</dt>
                <dd>
                  <strong>{label(WEIGHTS, d.fiscal_weight?.band, lang)}</strong>
                  {d.fiscal_weight?.top10_rank ? <span class="badge warn pr-top">{s('top10', lang, { r: d.fiscal_weight.top10_rank })}</span> : null}
                  <div>
                    {s('direction', lang)}{colon(lang)}{label(DIRECTIONS, d.fiscal_weight?.direction, lang)}
                  </div>
                  {d.fiscal_weight?.rationale && (
                    <div class="muted" lang="en">
                      {d.fiscal_weight.rationale}
                    </div>
                  )}
                </dd>
              </div>
            </dl>
            <h3>{s('chamberText', lang)}</h3>
            <div class="pr-texts">
              <div>
                <h4>{s('chineseText', lang)}</h4>
                <p lang="zh-Hant">{d.summary_zh}</p>
              </div>
              <div>
                <h4>{s('englishText', lang)}</h4>
                <p lang="en">{d.summary_en}</p>
              </div>
            </div>
            {Array.isArray(d.components) && d.components.length > 0 && (
              <>
                <h4>{s('components', lang)}</h4>
                <ul class="pr-components">
                  {d.components.map((x: any, i: number) => (
                    <li key={i}>
                      <span lang="en">{x.part}</span> · {label(KINDS, x.kind, lang)} · {label(QUANT, x.quantifiable, lang)}
                    </li>
                  ))}
                </ul>
              </>
            )}
            <h3>{s('responses', lang)}</h3>
            <ol class="pr-responses">
              {(d.responses ?? []).map((r: any) => (
                <li key={r.budget} data-testid="response">
                  <div class="pr-resp-head">
                    <strong>{s('budget', lang, { b: r.budget })}</strong> <ResponseBadge status={r.status} lang={lang} /> <span class="muted">{r.date}</span>
                  </div>
                  <p>{pick(r.summary, lang)}</p>
                  {r.sources?.length > 0 ? (
                    <ul class="pr-sources">
                      {r.sources.map((src: any, i: number) => (
                        <li key={i}>
                          <SourceLink src={src} />
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p class="hint">{s('noSources', lang)}</p>
                  )}
                </li>
              ))}
            </ol>
          </>
        )}
      </Section>
      {d && !hasCosting && (
        <Section title={s('costing', lang)} id="pr-cost">
          <p class="muted">{s('notCosted', lang)}</p>
        </Section>
      )}
      {d && hasCosting && (
        <Section
          title={s('costing', lang)}
          id="pr-cost"
          actions={
            <>
              <button type="button" class="primary" disabled={bad} onClick={() => (props.onAdd(id, overrides), setMsg(entry ? s('updated', lang) : s('added', lang, { n: itemCount(props.pkg) + 1 })))} data-testid="add-to-package">
                {entry ? s('updatePackage', lang) : s('addToPackage', lang)}
              </button>
              {entry && (
                <button type="button" onClick={() => (props.onRemove(id), setMsg(''))}>
                  {s('removeFromPackage', lang)}
                </button>
              )}
            </>
          }
        >
          {bad && <p class="hint">{s('fixFirst', lang)}</p>}
          {msg && (
            <p role="status" class="pr-msg">
              {msg}{' '}
              <button type="button" class="pr-link" onClick={props.openPackage}>
                {s('openPackage', lang)}
              </button>
            </p>
          )}
          <p>
            {pick(d.costing.description, lang)}
            <br />
            <span class="muted">
              {s('method', lang)}{colon(lang)}{label(METHODS, d.costing.method, lang)}
            </span>
          </p>
          <Busy busy={cost.busy} lang={lang} />
          <ErrorBox error={cost.error} lang={lang} />
          {c && (
            <div class={cost.error ? 'pr-stale' : ''}>
              <SettingsTable c={c} lang={lang} />
            </div>
          )}
          {c && (c.notes ?? []).length > 0 && (
            <ul class="pr-notes">
              {c.notes.map((n: Bilingual, i: number) => (
                <li key={i} class="muted">
                  {pick(n, lang)}
                </li>
              ))}
            </ul>
          )}
          <div class="pr-params-head">
            <h3>{s('parameters', lang)}</h3>
            {Object.keys(overrides).length > 0 && (
              <button type="button" onClick={() => props.setOverrides({})}>
                {s('resetAll', lang)}
              </button>
            )}
          </div>
          <p class="hint">{s('paramsHint', lang)}</p>
          <div class="pr-params">
            {Object.entries(params).map(([name, p]) => (
              <ParamField
                key={name}
                name={name}
                p={p}
                lang={lang}
                value={overrides[name] ?? p.value}
                changed={name in overrides}
                error={cost.error instanceof ApiError && cost.error.field === `/set/${name}` ? pick(cost.error.bilingual, lang) : ''}
                onChange={(v) => {
                  const o = { ...overrides };
                  if (v === p.value) delete o[name];
                  else o[name] = v;
                  props.setOverrides(o);
                }}
              />
            ))}
          </div>
          <Reproduce lang={lang} cli={cli} path="/proposals/cost" body={body} />
        </Section>
      )}
    </>
  );
}

function SettingsTable({ c, lang }: { c: any; lang: Lang }) {
  const years = c.years as string[];
  const settings = c.settings ?? {};
  const central = settings.central;
  return (
    <>
      <h3>{s('settings', lang)}</h3>
      <p class="hint">{s('hkdbnNote', lang)}</p>
      <div class="table-wrap">
        <table class="pr-yt pr-settings" data-testid="settings-table">
          <thead>
            <tr>
              <th scope="col">{s('setting', lang)}</th>
              {years.map((y) => (
                <th scope="col" class="n" key={y}>
                  {y}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(['low', 'central', 'high'] as const)
              .filter((k) => settings[k])
              .map((k) => (
                <tr key={k} class={k === 'central' ? 'pr-central' : ''}>
                  <th scope="row">{SETTINGS[k][lang]}</th>
                  {years.map((y, i) => (
                    <td class="n" key={y} data-testid={`setting-${k}`} data-year={y} data-value={String(settings[k].effect_bn[i])}>
                      {bn(settings[k].effect_bn[i], 2)}
                    </td>
                  ))}
                </tr>
              ))}
            {central?.static_bn && (
              <tr class="sub">
                <th scope="row">{s('staticCentral', lang)}</th>
                {years.map((y, i) => (
                  <td class="n" key={y}>
                    {bn(central.static_bn[i], 2)}
                  </td>
                ))}
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {Array.isArray(central?.lines) && central.lines.length > 0 && (
        <>
          <h4>{s('byLine', lang)}</h4>
          <div class="table-wrap">
            <table class="pr-yt">
              <thead>
                <tr>
                  <th scope="col">{s('line', lang)}</th>
                  {years.map((y) => (
                    <th scope="col" class="n" key={y}>
                      {y}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {central.lines.map((l: any, i: number) => (
                  <tr key={i}>
                    <th scope="row">
                      {pick(l.name, lang)} <span class="muted">({label(LINE_KINDS, l.kind, lang)})</span>
                    </th>
                    {years.map((y, j) => (
                      <td class="n" key={y}>
                        {bn(l.effect_bn[j], 2)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

function ParamField(props: { name: string; p: any; lang: Lang; value: number; changed: boolean; error: string; onChange: (v: number) => void }) {
  const { name, p, lang, value } = props;
  const id = `pp-${name}`;
  const [text, setText] = useState(String(value));
  useEffect(() => {
    if (Number(text) !== value) setText(String(value));
  }, [value]);
  const [lo, hi] = p.allowed as [number, number];
  const v = Number(text);
  const out = text.trim() !== '' && Number.isFinite(v) && (v < lo || v > hi);
  const assumption = p.status === 'assumption';
  return (
    <div class={`pr-param${assumption ? ' assumption' : ''}${props.changed ? ' changed' : ''}`} data-testid={`param-${name}`}>
      <div class="pr-param-head">
        <label for={id}>
          <code>{name}</code>
        </label>
        <StatusBadge status={p.status} lang={lang} />
        {props.changed && <span class="badge info">{s('overridden', lang)}</span>}
      </div>
      <div class="pr-param-input">
        <input
          id={id}
          type="number"
          inputMode="decimal"
          step="any"
          min={lo}
          max={hi}
          value={text}
          aria-invalid={out || props.error ? 'true' : undefined}
          aria-describedby={props.error ? `${id}-e ${id}-d` : `${id}-d`}
          data-testid={`input-${name}`}
          onInput={(e) => {
            const x = (e.target as HTMLInputElement).value;
            setText(x);
            const n = Number(x);
            if (x.trim() !== '' && Number.isFinite(n)) props.onChange(n);
          }}
        />
        {props.changed && (
          <button type="button" onClick={() => props.onChange(p.value)} aria-label={`${s('reset', lang)} ${name}`}>
            {s('reset', lang)}
          </button>
        )}
      </div>
      {props.error && (
        <div id={`${id}-e`} class="pr-field-error">
          {props.error}
        </div>
      )}
      <div id={`${id}-d`} class="hint">
        <span lang="en">{p.unit}</span>
        <br />
        {s('range', lang)}{colon(lang)}{pv(p.low)} – {pv(p.high)} · {s('allowed', lang)}{colon(lang)}{pv(lo)} – {pv(hi)}
        {out && <strong class="pr-bad"> · {s('outOfRange', lang)}</strong>}
      </div>
      {p.note && (
        <div class="hint" lang="en">
          {p.note}
        </div>
      )}
      <div class="hint">
        {s('source', lang)}{colon(lang)}{p.source?.url ? <SourceLink src={p.source} /> : <span class="source">{p.source?.document ?? s('noSource', lang)}</span>}
      </div>
    </div>
  );
}

// ————————————————————————————————————————— the package

/** A fold that is open when short, and always open in a printed report. */
function Fold(props: { summary: string; open: boolean; children: preact.ComponentChildren; testId?: string }) {
  const box = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const open = () => box.current && (box.current.open = true);
    addEventListener('beforeprint', open);
    return () => removeEventListener('beforeprint', open);
  }, []);
  return (
    <details class="pr-fold" ref={box} open={props.open} data-testid={props.testId}>
      <summary>{props.summary}</summary>
      {props.children}
    </details>
  );
}

function contributionLabel(c: any, lang: Lang, max = 22): string {
  const title = pick(c.title, lang);
  const short = title.length > max ? title.slice(0, max - 1) + '…' : title;
  return c.kind === 'proposal' || c.kind === 'custom' ? `${c.id} ${short}` : short;
}

function PackageView(props: {
  lang: Lang;
  st: State;
  set: (p: Partial<State>) => void;
  pkg: PackageSpec | null;
  byId: Record<string, any>;
  shipped: { id: string; package: PackageSpec }[];
  shippedError: unknown;
  editPackage: (f: (p: PackageSpec) => PackageSpec) => void;
  onAdd: (id: string, set: Overrides) => void;
  onRemove: (id: string) => void;
}) {
  const { lang, st, set, pkg, byId } = props;
  const [start, setStart] = useState<string>(st.base ?? '');
  const [exportError, setExportError] = useState<unknown>(null);
  const body = useMemo(() => (pkg ? { package: pkg } : null), [pkg]);
  const empty = !pkg || itemCount(pkg) === 0;
  const run = useRun<any>(
    body && !empty ? `run:${JSON.stringify(body)}` : 'run:none',
    (signal) => (body && !empty ? (post('/packages/run', body as never, { signal }) as Promise<any>) : Promise.resolve(null)),
    200,
  );
  const r = run.data;
  const unchangedShipped = !!st.base && !st.package;
  const cli = unchangedShipped
    ? `hkbudget package run packages/${st.base}.yaml`
    : `cat > package.yaml <<'EOF'\n${JSON.stringify(pkg ?? EMPTY, null, 1)}\nEOF\nhkbudget package run package.yaml`;
  const doExport = async (fmt: 'csv' | 'xlsx') => {
    setExportError(null);
    try {
      await download(`/export/package/${fmt}`, body, `hkbudget-package.${fmt}`);
    } catch (e) {
      setExportError(e);
    }
  };
  const loadStart = () => {
    if (start === 'mine') set({ package: { proposals: structuredClone(st.mine) }, base: undefined });
    else if (start) set({ package: undefined, base: start });
  };
  const name = pkg?.name ? pick(pkg.name as Bilingual, lang) : s('unnamed', lang);
  return (
    <div class="pr-package">
      <Section
        title={s('packageTitle', lang)}
        id="pk"
        actions={
          !empty && (
            <>
              <button type="button" onClick={() => doExport('csv')} data-testid="export-csv">
                {t('exportCsv', lang)}
              </button>
              <button type="button" onClick={() => doExport('xlsx')} data-testid="export-xlsx">
                {t('exportXlsx', lang)}
              </button>
              <button type="button" onClick={() => window.print()}>
                {t('print', lang)}
              </button>
              <SaveButton lang={lang} kind="package" name={name} body={pkg} />
            </>
          )
        }
      >
        <ErrorBox error={exportError ?? props.shippedError} lang={lang} />
        <div class="row no-print pr-start">
          <div class="field pr-start-pick">
            <label for="pk-start">{s('startFrom', lang)}</label>
            <select id="pk-start" value={start} onChange={(e) => setStart((e.target as HTMLSelectElement).value)}>
              <option value="">{s('pickStart', lang)}</option>
              <option value="mine" disabled={st.mine.length === 0}>
                {s('startMine', lang, { n: st.mine.length })}
              </option>
              {props.shipped.map((p) => (
                <option value={p.id} key={p.id}>
                  {pick(p.package.name as Bilingual, lang) || p.id}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <button type="button" class="primary" disabled={!start} onClick={loadStart} data-testid="load-package">
              {s('load', lang)}
            </button>
          </div>
          {!empty && (
            <div class="field">
              <button type="button" onClick={() => set({ package: { proposals: [] }, base: undefined })}>
                {s('clear', lang)}
              </button>
            </div>
          )}
        </div>
        <p class="pr-pkg-name">
          <strong data-testid="package-name">{name}</strong>
          {st.base && (
            <span class="muted">
              {' '}
              · {s('fromShipped', lang, { id: st.base })}
              {st.package ? ' ' + s('modified', lang) : ''}
            </span>
          )}
          <span class="muted">
            {' '}
            · {s('vintage', lang)}{colon(lang)}{pkg?.vintage ?? r?.vintage ?? s('newest', lang)}
          </span>
        </p>
        {empty ? <p class="muted">{s('emptyPackage', lang)}</p> : <Items pkg={pkg!} byId={byId} lang={lang} set={set} editPackage={props.editPackage} onRemove={props.onRemove} />}
      </Section>
      {!empty && (
        <>
          <Busy busy={run.busy} lang={lang} />
          <ErrorBox error={run.error} lang={lang} />
          {r && <Result r={r} lang={lang} byId={byId} onAdd={props.onAdd} />}
          <Reproduce lang={lang} cli={cli} path="/packages/run" body={body} />
        </>
      )}
    </div>
  );
}

function Items(props: {
  pkg: PackageSpec;
  byId: Record<string, any>;
  lang: Lang;
  set: (p: Partial<State>) => void;
  editPackage: (f: (p: PackageSpec) => PackageSpec) => void;
  onRemove: (id: string) => void;
}) {
  const { pkg, byId, lang } = props;
  // A printed report shows every item, even when the list was folded on screen.
  const box = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const open = () => box.current && (box.current.open = true);
    addEventListener('beforeprint', open);
    return () => removeEventListener('beforeprint', open);
  }, []);
  const removeAt = (key: 'reforms' | 'lines' | 'custom', i: number) =>
    props.editPackage((p) => ({ ...p, [key]: ((p[key] ?? []) as unknown[]).filter((_, j) => j !== i) }));
  return (
    <details class="pr-items" ref={box} open={itemCount(pkg) <= 12}>
      <summary>
        {s('items', lang)} ({itemCount(pkg)})
      </summary>
      <ul>
        {(pkg.proposals ?? []).map((p) => (
          <li key={`p:${p.id}`}>
            <span class="pr-item-text">
              <span class="badge kind">{s('proposalItem', lang)}</span> <strong>{p.id}</strong> {pick(byId[p.id]?.title, lang)}
              {p.set && Object.keys(p.set).length > 0 && (
                <code class="pr-set">
                  {Object.entries(p.set)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(', ')}
                </code>
              )}
              {p.in_baseline && <span class="badge info">{s('inBaseline', lang)}</span>}
            </span>
            <span class="pr-item-actions no-print">
              <button type="button" onClick={() => props.set({ view: 'list', sel: p.id, set: { ...(p.set ?? {}) } })}>
                {s('edit', lang)}
              </button>
              <button type="button" onClick={() => props.onRemove(p.id)} aria-label={`${s('remove', lang)} ${p.id}`}>
                {s('remove', lang)}
              </button>
            </span>
          </li>
        ))}
        {(pkg.reforms ?? []).map((x, i) => (
          <li key={`r:${i}`}>
            <span class="pr-item-text">
              <span class="badge kind">{s('reformItem', lang)}</span> {x.name ? pick(x.name as Bilingual, lang) : `reforms[${i}]`}
            </span>
            <span class="pr-item-actions no-print">
              <button type="button" onClick={() => removeAt('reforms', i)} aria-label={`${s('remove', lang)} ${x.name ? pick(x.name as Bilingual, lang) : i}`}>
                {s('remove', lang)}
              </button>
            </span>
          </li>
        ))}
        {(pkg.lines ?? []).map((x, i) => (
          <li key={`l:${i}`}>
            <span class="pr-item-text">
              <span class="badge kind">{s('lineItem', lang)}</span> {pick(x.name as Bilingual, lang)} <span class="muted">({label(LINE_KINDS, x.kind as string, lang)})</span>
              {x.in_baseline && <span class="badge info">{s('inBaseline', lang)}</span>}
            </span>
            <span class="pr-item-actions no-print">
              <button type="button" onClick={() => removeAt('lines', i)} aria-label={`${s('remove', lang)} ${pick(x.name as Bilingual, lang)}`}>
                {s('remove', lang)}
              </button>
            </span>
          </li>
        ))}
        {(pkg.custom ?? []).map((x, i) => (
          <li key={`c:${i}`}>
            <span class="pr-item-text">
              <span class="badge kind">{s('customItem', lang)}</span> <strong>{x.id}</strong> {pick(x.description as Bilingual, lang)}
            </span>
            <span class="pr-item-actions no-print">
              <button type="button" onClick={() => removeAt('custom', i)} aria-label={`${s('remove', lang)} ${x.id}`}>
                {s('remove', lang)}
              </button>
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}

function Result({ r, lang, byId, onAdd }: { r: any; lang: Lang; byId: Record<string, any>; onAdd: (id: string, set: Overrides) => void }) {
  const years = r.years as string[];
  const contribs = r.contributions as any[];
  const totals = r.totals;
  const inBase = contribs.filter((c) => c.in_baseline);
  const missing = (r.quantifiable_not_in_package ?? []) as string[];
  return (
    <>
      <Section title={s('contributions', lang)} id="pk-contrib">
        {r.counterfactual && (
          <p class="pr-cf" data-testid="counterfactual">
            {s('counterfactual', lang, { cf: pick(r.counterfactual, lang) })}
          </p>
        )}
        <p class="hint">{pick(r.units, lang)}</p>
        <div class="table-wrap">
          <table class="pr-yt pr-contrib" data-testid="contributions-table">
            <thead>
              <tr>
                <th scope="col">{s('item', lang)}</th>
                {years.map((y) => (
                  <th scope="col" class="n" key={y}>
                    {y}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {contribs.map((c, i) => (
                <tr key={`${c.id}:${i}`} class={c.in_baseline ? 'pr-inbase' : ''}>
                  <th scope="row">
                    {(c.kind === 'proposal' || c.kind === 'custom') && <strong>{c.id} </strong>}
                    {pick(c.title, lang)}
                    <div class="pr-row-meta">
                      <span class="badge kind">{s(CONTRIB_KINDS[c.kind] ?? 'proposalItem', lang)}</span>
                      {c.line_kind && <span class="muted"> {label(LINE_KINDS, c.line_kind, lang)}</span>}
                      {c.status && <StatusBadge status={c.status} lang={lang} />}
                      {c.in_baseline && <span class="badge info">{s('inBaseline', lang)}</span>}
                      {c.assumptions?.length > 0 && (
                        <span class="badge bad">
                          {t('assumption', lang)} × {c.assumptions.length}
                        </span>
                      )}
                    </div>
                  </th>
                  {years.map((y, j) => (
                    <td class="n" key={y} data-testid="contribution" data-year={y} data-value={String(c.effect_bn[j])}>
                      {bn(c.effect_bn[j], 2)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr class="total">
                <th scope="row">{s('total', lang)}</th>
                {years.map((y, j) => (
                  <td class="n" key={y} data-testid="package-total" data-year={y} data-value={String(totals.change_in_balance[j])}>
                    {bn(totals.change_in_balance[j], 2)}
                  </td>
                ))}
              </tr>
              <tr class="sub">
                <th scope="row">{s('allLow', lang)}</th>
                {years.map((y, j) => (
                  <td class="n" key={y} data-testid="package-all-low" data-year={y} data-value={String(totals.all_low[j])}>
                    {bn(totals.all_low[j], 2)}
                  </td>
                ))}
              </tr>
              <tr class="sub">
                <th scope="row">{s('allHigh', lang)}</th>
                {years.map((y, j) => (
                  <td class="n" key={y} data-testid="package-all-high" data-year={y} data-value={String(totals.all_high[j])}>
                    {bn(totals.all_high[j], 2)}
                  </td>
                ))}
              </tr>
              <tr class="sub">
                <th scope="row">{s('exBonds', lang)}</th>
                {years.map((y, j) => (
                  <td class="n" key={y} data-testid="package-ex-bonds" data-year={y} data-value={String(totals.excluding_net_bond_proceeds[j])}>
                    {bn(totals.excluding_net_bond_proceeds[j], 2)}
                  </td>
                ))}
              </tr>
            </tfoot>
          </table>
        </div>
        {inBase.length > 0 && (
          <>
            <h3>{s('reference', lang)}</h3>
            <p class="hint">{s('inBaselineNote', lang)}</p>
            <div class="table-wrap">
              <table class="pr-yt pr-contrib">
                <thead>
                  <tr>
                    <th scope="col">{s('item', lang)}</th>
                    {years.map((y) => (
                      <th scope="col" class="n" key={y}>
                        {y}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {inBase.map((c, i) => (
                    <tr key={`${c.id}:${i}`}>
                      <th scope="row">
                        {(c.kind === 'proposal' || c.kind === 'custom') && <strong>{c.id} </strong>}
                        {pick(c.title, lang)}
                        <div class="hint" lang="en">
                          {c.in_baseline}
                        </div>
                      </th>
                      {years.map((y, j) => (
                        <td class="n" key={y}>
                          {bn(c.costed_effect_bn[j], 2)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
        {missing.length > 0 && (
          <details class="pr-missing no-print">
            <summary>{s('notInPackage', lang, { n: missing.length })}</summary>
            <ul>
              {missing.map((id) => (
                <li key={id}>
                  <button type="button" onClick={() => onAdd(id, {})} aria-label={`${s('add', lang)} ${id}`}>
                    {s('add', lang)}
                  </button>{' '}
                  <strong>{id}</strong> {pick(byId[id]?.title, lang)}
                </li>
              ))}
            </ul>
          </details>
        )}
        <p class="hint">
          {s('provenance', lang, {
            e: r.provenance?.engine ?? '',
            f: String(r.provenance?.law_fingerprint ?? '').slice(0, 12),
            v: r.vintage,
          })}
        </p>
      </Section>
      <Section title={s('chart', lang)} id="pk-chart">
        <ContribChart r={r} lang={lang} />
      </Section>
      <Accounts r={r} lang={lang} />
      <Assumptions r={r} lang={lang} />
      <Sources r={r} lang={lang} />
    </>
  );
}

function ContribChart({ r, lang }: { r: any; lang: Lang }) {
  const years = r.years as string[];
  const contribs = (r.contributions as any[]).filter((c) => (c.effect_bn as number[]).some((v) => Math.abs(v) > 1e-9));
  const option: ChartOption = useMemo(() => {
    const unit = t('hkdbn', lang);
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: any) => {
          const c = p.seriesIndex < contribs.length ? contribs[p.seriesIndex] : null;
          const title = c ? contributionLabel(c, lang, 60) : s('total', lang);
          const esc = (x: string) => x.replace(/[&<>"]/g, (m) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[m] as string);
          return `${esc(title)}<br/>${p.name}: <b>${bn(p.value, 2)}</b> ${unit}`;
        },
      },
      // One scrolling line of legend: it never runs into the axis, however narrow the screen.
      legend: { type: 'scroll', bottom: 0, left: 0, right: 0 },
      grid: { left: 48, right: 12, top: 32, bottom: 56 },
      xAxis: { type: 'category', data: years, axisLabel: { interval: 0, fontSize: 11 } },
      yAxis: { type: 'value', name: unit, axisLabel: { formatter: (v: number) => bn(v, 0) } },
      series: [
        ...contribs.map((c) => ({
          name: contributionLabel(c, lang),
          type: 'bar',
          stack: 'contrib',
          data: c.effect_bn,
          barMaxWidth: 56,
        })),
        {
          name: s('total', lang),
          type: 'line',
          data: r.totals.change_in_balance,
          z: 10,
          symbol: 'circle',
          symbolSize: 9,
          lineStyle: { width: 3, color: '#17202a' },
          itemStyle: { color: '#17202a' },
        },
      ],
    };
  }, [r, lang]);
  return (
    <div class="pr-chart">
      <Chart option={option} label={s('chartLabel', lang)} height={340} testId="package-chart" />
      <p class="hint">{s('chartLabel', lang)}</p>
    </div>
  );
}

function Accounts({ r, lang }: { r: any; lang: Lang }) {
  const years = r.years as string[];
  const rows: [keyof typeof S, number[], number][] = [
    ['baselineBalance', r.baseline.balance.values, 1],
    ['scenarioBalance', r.scenario.balance.values, 1],
    ['baselineReserves', r.baseline.reserves.values, 1],
    ['scenarioReserves', r.scenario.reserves.values, 1],
  ];
  return (
    <Section title={s('accounts', lang)} id="pk-accounts">
      {r.counterfactual && <p class="hint">{s('cfShort', lang)}</p>}
      <p class="hint">{s('hkdbnNote', lang)}</p>
      <div class="table-wrap">
        <table class="pr-yt" data-testid="accounts-table">
          <thead>
            <tr>
              <th scope="col">{s('item', lang)}</th>
              {years.map((y) => (
                <th scope="col" class="n" key={y}>
                  {y}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(([k, vals, d]) => (
              <tr key={k} class={k.startsWith('scenario') ? 'pr-scen' : ''}>
                <th scope="row">{s(k, lang)}</th>
                {years.map((y, j) => (
                  <td class="n" key={y}>
                    {bn(vals[j], d)}
                  </td>
                ))}
              </tr>
            ))}
            <tr class="sub">
              <th scope="row">{s('reserveMonths', lang)}</th>
              {years.map((y, j) => (
                <td class="n" key={y}>
                  {num(r.scenario.reserves_months_of_expenditure.values[j], 1)}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
    </Section>
  );
}

function Assumptions({ r, lang }: { r: any; lang: Lang }) {
  const costings: Record<string, any> = Object.fromEntries(((r.costings_used ?? []) as any[]).map((c) => [c.id, c]));
  const items = (r.contributions as any[]).filter((c) => c.assumptions?.length > 0);
  const lines = (r.contributions as any[]).filter((c) => c.status === 'assumption');
  const n = items.reduce((a, c) => a + c.assumptions.length, 0) + lines.length;
  return (
    <Section title={s('assumptions', lang)} id="pk-assumptions">
      {n === 0 ? (
        <p class="muted">{s('noAssumptions', lang)}</p>
      ) : (
        <>
          <p class="hint">{s('assumptionsHint', lang)}</p>
          <Fold summary={s('showAll', lang, { n })} open={n <= 24} testId="assumptions">
            <div class="table-wrap">
              <table class="pr-assume" data-testid="assumptions-table">
                <thead>
                  <tr>
                    <th scope="col">{s('parameter', lang)}</th>
                    <th scope="col" class="n">
                      {s('value', lang)}
                    </th>
                    <th scope="col" class="n">
                      {s('range', lang)}
                    </th>
                  </tr>
                </thead>
                {items.map((c, i) => {
                  const costing = costings[c.id];
                  const used = c.costing?.settings?.central?.values ?? {};
                  return (
                    <tbody key={`${c.id}:${i}`}>
                      <tr class="pr-group">
                        <th scope="colgroup" colSpan={3}>
                          {c.id} {pick(c.title, lang)}
                        </th>
                      </tr>
                      {(c.assumptions as string[]).map((name) => {
                        const p = costing?.parameters?.[name];
                        return (
                          <tr key={name}>
                            <th scope="row">
                              <code>{name}</code> <StatusBadge status="assumption" lang={lang} />
                              {p?.unit && (
                                <div>
                                  {s('unit', lang)}{colon(lang)}<span lang="en">{p.unit}</span>
                                </div>
                              )}
                              {p?.note && (
                                <div class="hint" lang="en">
                                  {p.note}
                                </div>
                              )}
                              {p?.source && (
                                <div class="hint">
                                  <SourceLink src={p.source} />
                                </div>
                              )}
                            </th>
                            <td class="n">{pv(used[name] ?? p?.value)}</td>
                            <td class="n">{p ? `${pv(p.low)} – ${pv(p.high)}` : '—'}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  );
                })}
                {lines.length > 0 && (
                  <tbody>
                    <tr class="pr-group">
                      <th scope="colgroup" colSpan={3}>
                        {s('lineItem', lang)}
                      </th>
                    </tr>
                    {lines.map((c, i) => (
                      <tr key={`${c.id}:${i}`}>
                        <th scope="row">
                          {pick(c.title, lang)} <StatusBadge status="assumption" lang={lang} />
                          {c.note && <div class="hint">{pick(c.note, lang)}</div>}
                        </th>
                        <td class="n">{bn(c.amount_bn?.[0], 2)}</td>
                        <td class="n">—</td>
                      </tr>
                    ))}
                  </tbody>
                )}
              </table>
            </div>
          </Fold>
        </>
      )}
    </Section>
  );
}

function Sources({ r, lang }: { r: any; lang: Lang }) {
  const all = new Map<string, { document: string; url: string; date?: string | null }>();
  const addSrc = (x: any) => {
    if (!x?.document) return;
    const key = `${x.url ?? ''}|${x.document}`;
    if (!all.has(key)) all.set(key, x);
  };
  for (const c of r.contributions as any[]) addSrc(c.source);
  for (const c of (r.costings_used ?? []) as any[]) for (const p of Object.values(c.parameters ?? {}) as any[]) if (p.status !== 'assumption' || p.source?.url) addSrc(p.source);
  const notes = (r.contributions as any[]).filter((c) => c.note);
  const list = [...all.values()].sort((a, b) => (a.url ? 0 : 1) - (b.url ? 0 : 1) || a.document.localeCompare(b.document));
  return (
    <Section title={s('sources', lang)} id="pk-sources">
      <Fold summary={s('showAll', lang, { n: list.length })} open={list.length <= 24} testId="sources">
        <ul class="pr-srclist" data-testid="package-sources">
          {list.map((x, i) => (
            <li key={i}>
              <SourceLink src={x} />
            </li>
          ))}
        </ul>
      </Fold>
      {notes.length > 0 && (
        <>
          <h3>{s('itemNotes', lang)}</h3>
          <Fold summary={s('showAll', lang, { n: notes.length })} open={notes.length <= 16}>
            <ul class="pr-itemnotes">
              {notes.map((c, i) => (
                <li key={i}>
                  <strong>{pick(c.title, lang)}</strong>: {pick(c.note, lang)}
                </li>
              ))}
            </ul>
          </Fold>
        </>
      )}
    </Section>
  );
}
