// 參數 Parameters: the law as data. Every parameter node grouped by tax, with its value in a year
// of assessment (searchable in Chinese or English); one node opens with its description, legal
// references, and its whole dated history: a step chart and a table for a single figure, a table
// per period for bands, tiers and duty tables. Every value comes from GET /params and
// GET /params/{path}; the page only formats them and picks what to show.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, get, type Schemas } from '../api/client';
import { Chart, type ChartOption } from '../components/Chart';
import { Busy, ErrorBox, Reproduce, StatusBadge, useRun } from '../components/ui';
import { hkd, num } from '../format';
import { type Bilingual, type Lang, pick } from '../i18n';
import type { PageProps } from '../nav';
import { readState, writeState } from '../state';
import './Params.css';

const S = {
  title: { zh: '參數', en: 'Parameters' },
  lede: {
    zh: '以數據形式呈現的稅法：每項免稅額、扣除上限、稅率及稅率表，連同法律依據、來源文件及歷年數值。',
    en: 'The law as data: every allowance, deduction ceiling, rate and duty table, with its legal reference, its source documents and its values over the years.',
  },
  find: { zh: '尋找參數', en: 'Find a parameter' },
  yearOfAssessment: { zh: '課稅年度', en: 'Year of assessment' },
  search: { zh: '搜尋', en: 'Search' },
  searchHint: { zh: '中文或英文字詞，或參數路徑，例如「子女」、「stamp」。', en: 'Chinese or English words, or a path: “child”, “印花”, “stamp_duty.avd”.' },
  count: { zh: '項參數', en: 'parameters' },
  noMatch: { zh: '沒有參數符合搜尋字詞。', en: 'No parameter matches the search.' },
  clear: { zh: '清除搜尋', en: 'Clear the search' },
  atNote: {
    zh: '所列數值為該課稅年度適用者；按日期計算的印花稅及差餉取該年度首日（{at}）的數值，差餉寬減取 {fy} 財政年度。',
    en: 'Values in force in the year of assessment; stamp duty and rates keyed by date are as on its first day ({at}), rates concessions for the financial year {fy}.',
  },
  list: { zh: '參數一覽', en: 'All parameters' },
  listNav: { zh: '參數列表', en: 'Parameter list' },
  skipToDetail: { zh: '跳至參數詳情', en: 'Skip to the parameter' },
  choose: { zh: '請從列表選擇一項參數。', en: 'Choose a parameter from the list.' },
  detail: { zh: '參數詳情', en: 'The parameter' },
  path: { zh: '路徑', en: 'Path' },
  file: { zh: '檔案', en: 'File' },
  unit: { zh: '單位', en: 'Unit' },
  periodKind: { zh: '數值按', en: 'Values keyed by' },
  inForceNow: { zh: '{year} 適用', en: 'In force {year}' },
  references: { zh: '法律依據', en: 'Legal references' },
  ordinance: { zh: '條例', en: 'Ordinance' },
  section: { zh: '條文', en: 'Section' },
  verified: { zh: '已核實', en: 'verified' },
  unverified: { zh: '未核實', en: 'unverified' },
  unverifiedNote: {
    zh: '條文編號尚未與條例文本逐一核對。',
    en: 'The section has not yet been checked against the text of the ordinance.',
  },
  notes: { zh: '附註', en: 'Notes' },
  reviewed: { zh: '覆核', en: 'Reviewed' },
  reviewedThrough: { zh: '已按財政預算案覆核至 {through}', en: 'Checked against the Budgets through {through}' },
  history: { zh: '歷年數值', en: 'History' },
  historyChart: { zh: '{label}：歷年數值', en: '{label}: values over time' },
  periodCol: { zh: '適用期間', en: 'Period' },
  value: { zh: '數值', en: 'Value' },
  status: { zh: '狀態', en: 'Status' },
  source: { zh: '來源', en: 'Source' },
  note: { zh: '附註', en: 'Note' },
  tableOf: { zh: '{period} 的稅率表', en: 'Table for {period}' },
  tableInForce: { zh: '見下表「{period}」', en: 'See the table {period} below' },
  notInForce: { zh: '未生效', en: 'not in force' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  years: { zh: '{n} 年', en: '{n} years' },
  year1: { zh: '1 年', en: '1 year' },
  from: { zh: '{from} 起', en: 'from {from}' },
  fromTo: { zh: '{from} 至 {to}', en: '{from} to {to}' },
  band: { zh: '稅階', en: 'Band' },
  first: { zh: '首 {n}', en: 'First {n}' },
  next: { zh: '次 {n}', en: 'Next {n}' },
  remainder: { zh: '餘額', en: 'Remainder' },
  rate: { zh: '稅率', en: 'Rate' },
  amountRange: { zh: '金額（港元）', en: 'Amount (HK$)' },
  considerationRange: { zh: '代價或價值（港元）', en: 'Consideration or value (HK$)' },
  duty: { zh: '印花稅', en: 'Duty' },
  above: { zh: '{n} 以上', en: 'above {n}' },
  all: { zh: '全數', en: 'all of it' },
  flat: { zh: '代價的 {rate}', en: '{rate} of the consideration' },
  marginal: { zh: '{base} + 超出 {lower} 之數的 {rate}', en: '{base} + {rate} of the excess over {lower}' },
  held: { zh: '持有期', en: 'Held' },
  heldUpTo: { zh: '{n} 個月或以下', en: '{n} months or less' },
  heldOver: { zh: '超過 {a} 個月至 {b} 個月', en: 'over {a}, up to {b} months' },
  quarter: { zh: '季度', en: 'Quarter' },
  q1: { zh: '第一季', en: 'Q1' },
  q2: { zh: '第二季', en: 'Q2' },
  q3: { zh: '第三季', en: 'Q3' },
  q4: { zh: '第四季', en: 'Q4' },
  quarterlyCaption: { zh: '每季每個物業的寬減上限（港元）', en: 'Ceiling per tenement per quarter (HK$)' },
  didYouMean: { zh: '是否指：', en: 'Did you mean:' },
  otherParam: { zh: '參數 {path}', en: 'parameter {path}' },
  listReproduce: { zh: '參數一覽', en: 'The list' },
  englishOnly: { zh: '（原文為英文）', en: '' },
} as const;

type Key = keyof typeof S;

function s(k: Key, lang: Lang, vars: Record<string, string | number> = {}): string {
  return S[k][lang].replace(/\{(\w+)\}/g, (_, v: string) => String(vars[v] ?? ''));
}

const YEARS = ['2026/27', '2025/26', '2024/25', '2023/24', '2022/23', '2021/22', '2020/21', '2019/20', '2018/19', '2017/18'];
const LATEST = YEARS[0];
const DEFAULT_PATH = 'salaries_tax.allowances.basic';

/** The titles of the tree's first segments, in the order the page lists them. */
const GROUPS: Record<string, Bilingual> = {
  salaries_tax: { zh: '薪俸稅', en: 'Salaries tax' },
  personal_assessment: { zh: '個人入息課稅', en: 'Personal assessment' },
  profits_tax: { zh: '利得稅', en: 'Profits tax' },
  property_tax: { zh: '物業稅', en: 'Property tax' },
  stamp_duty: { zh: '印花稅', en: 'Stamp duty' },
  rates: { zh: '差餉', en: 'Rates' },
};

/** Unit names as the API's node endpoint gives them (the list gives only the unit's code). */
const UNITS: Record<string, Bilingual> = {
  hkd: { zh: '港元', en: 'HK$' },
  rate: { zh: '比率', en: 'rate' },
  count: { zh: '數目', en: 'count' },
  years: { zh: '課稅年度數目', en: 'years of assessment' },
  bool: { zh: '是／否', en: 'yes/no' },
  date: { zh: '是／否（按日期）', en: 'yes/no by date' },
  bands: { zh: '累進稅階', en: 'progressive bands' },
  tiers: { zh: '分級', en: 'tiers' },
  duty_bands: { zh: '按代價劃分的稅率表', en: 'duty table by consideration' },
  holding_schedule: { zh: '按持有期劃分的稅率', en: 'rates by holding period' },
  quarterly: { zh: '每季港元', en: 'HK$ per quarter' },
};

const SCALAR = new Set(['hkd', 'rate', 'count', 'years']);
const LISTS = new Set(['bands', 'tiers', 'duty_bands', 'holding_schedule', 'quarterly']);

interface State {
  year: string;
  search: string;
  path: string;
}

type Summary = Schemas['ParamSummary'];
type ListReply = { year: string; at: string; parameters: Summary[] };
type Node = Schemas['Response2'];
type Dated = Schemas['DatedValue'];

// ---- formatting (no arithmetic beyond choosing digits) ----

/** A rate as a percentage with the digits it needs: 0.0825 → "8.25%", 0.001 → "0.1%". */
export function rateText(r: number): string {
  const p = r * 100;
  let d = 0;
  while (d < 4 && Math.abs(p - Number(p.toFixed(d))) > 1e-9) d++;
  return num(p, d) + '%';
}

function periodText(from: string, to: string | null | undefined, lang: Lang): string {
  const f = from.replace('T', ' ');
  if (!to) return s('from', lang, { from: f });
  const t = to.replace('T', ' ');
  return f === t ? f : s('fromTo', lang, { from: f, to: t });
}

/** The financial year that starts with a year of assessment: 2026/27 → 2026-27. */
function fyOf(year: string): string {
  return year.replace('/', '-');
}

/** The first day of a year of assessment: 2026/27 → 2026-04-01. */
function firstDay(year: string): string {
  return `${year.slice(0, 4)}-04-01`;
}

/** Whether a dated value is the one in force in the page's year (as the list takes it). */
function inForce(v: Dated, kind: string, year: string, at: string): boolean {
  if (kind === 'year_of_assessment') return v.from <= year && (!v.to || v.to >= year);
  if (kind === 'financial_year') {
    const fy = fyOf(year);
    return v.from <= fy && (!v.to || v.to >= fy);
  }
  // Dates: `to` is inclusive for a day and exclusive for an instant (2023-02-22T11:00).
  return v.from <= at && (!v.to || (v.to.includes('T') ? v.to > at : v.to >= at));
}

interface Rows {
  head: [string, string];
  rows: [string, string][];
}

/** A list value as a two-column table (bands, tiers, duty tables, holding schedules). */
function listRows(unit: string, value: any, lang: Lang): Rows | null {
  if (!Array.isArray(value)) return null;
  if (unit === 'bands') {
    return {
      head: [s('band', lang), s('rate', lang)],
      rows: value.map((b: any, i: number) => [
        b.width == null ? s('remainder', lang) : s(i === 0 ? 'first' : 'next', lang, { n: num(b.width) }),
        rateText(b.rate),
      ]),
    };
  }
  if (unit === 'tiers') {
    let lower = 0;
    return {
      head: [s('amountRange', lang), s('rate', lang)],
      rows: value.map((t: any) => {
        const k = t.upto == null ? (lower === 0 ? s('all', lang) : s('above', lang, { n: num(lower) })) : `${num(lower)} – ${num(t.upto)}`;
        if (t.upto != null) lower = t.upto;
        return [k, rateText(t.rate)] as [string, string];
      }),
    };
  }
  if (unit === 'duty_bands') {
    let lower = 0;
    return {
      head: [s('considerationRange', lang), s('duty', lang)],
      rows: value.map((b: any) => {
        const k = b.upto == null ? s('above', lang, { n: num(lower) }) : `${num(lower)} – ${num(b.upto)}`;
        const c = b.charge ?? {};
        const v =
          c.fixed !== undefined
            ? hkd(c.fixed)
            : c.flat !== undefined
              ? s('flat', lang, { rate: rateText(c.flat) })
              : c.marginal
                ? s('marginal', lang, { base: hkd(c.marginal.base), rate: rateText(c.marginal.rate), lower: num(lower) })
                : JSON.stringify(c);
        if (b.upto != null) lower = b.upto;
        return [k, v] as [string, string];
      }),
    };
  }
  if (unit === 'holding_schedule') {
    let prev = 0;
    return {
      head: [s('held', lang), s('rate', lang)],
      rows: value.map((pair: any) => {
        const [months, rate] = pair as [number, number];
        const k = prev === 0 ? s('heldUpTo', lang, { n: months }) : s('heldOver', lang, { a: prev, b: months });
        prev = months;
        return [k, rateText(rate)] as [string, string];
      }),
    };
  }
  if (unit === 'quarterly') {
    return {
      head: [s('quarter', lang), s('value', lang)],
      rows: value.map((x: number, i: number) => [s((['q1', 'q2', 'q3', 'q4'] as const)[i] ?? 'q4', lang), num(x)]),
    };
  }
  return null;
}

/** A value on one line, in the page's language. */
export function valueText(unit: string, value: any, lang: Lang): string {
  if (value === null || value === undefined) return s('notInForce', lang);
  if (typeof value === 'boolean') return s(value ? 'yes' : 'no', lang);
  if (unit === 'hkd' && typeof value === 'number') return hkd(value);
  if (unit === 'rate' && typeof value === 'number') return rateText(value);
  if (unit === 'years' && typeof value === 'number') return value === 1 ? s('year1', lang) : s('years', lang, { n: num(value) });
  if (typeof value === 'number') return num(value);
  if (typeof value === 'string') return value;
  const r = listRows(unit, value, lang);
  if (!r) return JSON.stringify(value);
  const sep = lang === 'zh' ? '；' : '; ';
  if (unit === 'quarterly') return r.rows.map(([k, v]) => `${k} ${v}`).join(lang === 'zh' ? '／' : ' / ');
  const join = unit === 'duty_bands' ? (lang === 'zh' ? '：' : ': ') : ' @ ';
  return r.rows.map(([k, v]) => `${k}${join}${v}`).join(sep);
}

/** What the list shows for a node: the engine's one-line text in English, ours in Chinese. */
function summaryText(p: Summary, lang: Lang): string {
  if (lang === 'en' && p.value_text) return p.value_text;
  if (lang === 'zh' && p.value_text && SCALAR.has(p.unit) && p.unit !== 'years' && p.value !== null) return p.value_text;
  return valueText(p.unit, p.value, lang);
}

function groupOf(path: string): string {
  return path.split('.')[0];
}

function groupTitle(g: string, lang: Lang): string {
  return GROUPS[g] ? pick(GROUPS[g], lang) : g.replace(/_/g, ' ');
}

const PATH_RE = /\b([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\b/g;

/** A source note with the paths of other parameters it names turned into links. */
function NoteText(props: { text: string; known: Set<string>; lang: Lang; open: (p: string) => void }) {
  const parts: ComponentChildren[] = [];
  let last = 0;
  for (const m of props.text.matchAll(PATH_RE)) {
    const p = m[1];
    if (!props.known.has(p)) continue;
    const i = m.index ?? 0;
    parts.push(props.text.slice(last, i));
    parts.push(
      <a key={i} href={href(props.lang, p)} onClick={(e) => (e.preventDefault(), props.open(p))} aria-label={s('otherParam', props.lang, { path: p })}>
        <code>{p}</code>
      </a>,
    );
    last = i + p.length;
  }
  parts.push(props.text.slice(last));
  // Source notes are written in English only.
  return <span lang="en">{parts}</span>;
}

/** A word for a POSIX shell, in single quotes. */
function shq(x: string): string {
  return `'${x.replace(/'/g, "'\\''")}'`;
}

function href(lang: Lang, path: string): string {
  return `/params?lang=${lang}&q=${encodeURIComponent(path)}`;
}

function SourceLink({ src }: { src: Schemas['SourceOut'] | undefined }) {
  if (!src) return null;
  return (
    <>
      {src.url ? (
        <a href={src.url} rel="noreferrer">
          {src.document}
        </a>
      ) : (
        src.document
      )}
      {src.date && <span class="muted"> ({src.date})</span>}
    </>
  );
}

// ---- the page ----

export function Params({ lang }: PageProps) {
  const [st, setSt] = useState<State>(() => {
    const saved = readState<Partial<State>>() ?? {};
    const q = new URLSearchParams(location.search).get('q');
    const year = YEARS.includes(saved.year ?? '') ? (saved.year as string) : LATEST;
    return { year, search: typeof saved.search === 'string' ? saved.search : '', path: q || saved.path || DEFAULT_PATH };
  });
  useEffect(() => {
    // `?q=` opens a node once; from then on the path lives in the page's state.
    const u = new URL(location.href);
    if (u.searchParams.has('q')) {
      u.searchParams.delete('q');
      history.replaceState(history.state, '', `${u.pathname}?${u.searchParams}${u.hash}`);
    }
    writeState(st);
  }, [st]);
  const set = (patch: Partial<State>) => setSt((x) => ({ ...x, ...patch }));

  const search = st.search.trim();
  const list = useRun<ListReply>(
    `${st.year}|${search}`,
    (signal) => get('/params', { query: { year: st.year, search: search || undefined }, signal }) as Promise<ListReply>,
    search ? 200 : 0,
  );
  // Every node of the year (to link the paths that notes name): the list itself unless it is
  // filtered by a search.
  const all = useRun<ListReply | null>(search ? `all|${st.year}` : '-', (signal) =>
    search ? (get('/params', { query: { year: st.year }, signal }) as Promise<ListReply>) : Promise.resolve(null),
  );
  const every = search ? all.data : list.data;
  const known = useMemo(() => new Set((every?.parameters ?? []).map((p) => p.path)), [every]);
  const node = useRun<Node | null>(st.path, (signal) =>
    st.path ? (get('/params/{path}', { params: { path: st.path }, signal }) as Promise<Node>) : Promise.resolve(null),
  );

  const detailRef = useRef<HTMLElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const open = (path: string, fromList = false) => {
    set({ path });
    if (fromList && matchMedia('(max-width: 60rem)').matches) detailRef.current?.focus();
    else if (!fromList) detailRef.current?.focus();
  };

  // Keep the selected item in view inside the list's own scroll box (not the page's).
  useEffect(() => {
    const box = listRef.current;
    const item = box?.querySelector<HTMLElement>('[aria-current="true"]');
    if (!box || !item) return;
    const top = item.offsetTop - box.offsetTop;
    if (top < box.scrollTop || top + item.offsetHeight > box.scrollTop + box.clientHeight) box.scrollTop = top - box.clientHeight / 3;
  }, [list.data, st.path]);

  const at = list.data?.at ?? firstDay(st.year);
  const summary = (every?.parameters ?? []).find((p) => p.path === st.path);

  return (
    <>
      <h1>{s('title', lang)}</h1>
      <p class="lede">{s('lede', lang)}</p>
      <p class="hint">{s('atNote', lang, { at, fy: fyOf(st.year) })}</p>
      <div class="pm-layout">
        <section class="card pm-list" aria-labelledby="pm-list-h">
          <h2 id="pm-list-h">{s('list', lang)}</h2>
          <div class="pm-controls" role="search" aria-label={s('find', lang)}>
            <div class="field">
              <label for="pm-year">{s('yearOfAssessment', lang)}</label>
              <select id="pm-year" data-testid="params-year" value={st.year} onChange={(e) => set({ year: (e.target as HTMLSelectElement).value })}>
                {YEARS.map((y) => (
                  <option value={y} key={y}>
                    {y}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="pm-search">{s('search', lang)}</label>
              <input
                id="pm-search"
                type="search"
                data-testid="params-search"
                value={st.search}
                aria-describedby="pm-search-hint"
                autocomplete="off"
                onInput={(e) => set({ search: (e.target as HTMLInputElement).value })}
              />
            </div>
          </div>
          <p class="hint" id="pm-search-hint">
            {s('searchHint', lang)}
          </p>
          <div class="pm-status">
            <Busy busy={list.busy} lang={lang} />
            <span aria-live="polite" data-testid="params-count">
              {list.data && `${list.data.parameters.length} ${s('count', lang)}`}
            </span>
          </div>
          <ErrorBox error={list.error} lang={lang} />
          <a
            class="pm-skip"
            href="#pm-detail"
            onClick={(e) => {
              e.preventDefault();
              detailRef.current?.focus();
            }}
          >
            {s('skipToDetail', lang)}
          </a>
          <div class="pm-scroll" ref={listRef}>
            {list.data && (
              <ParamList
                params={list.data.parameters}
                selected={st.path}
                at={at}
                year={st.year}
                lang={lang}
                onOpen={(p) => open(p, true)}
              />
            )}
            {list.data && list.data.parameters.length === 0 && (
              <p>
                {s('noMatch', lang)}{' '}
                <button type="button" onClick={() => set({ search: '' })}>
                  {s('clear', lang)}
                </button>
              </p>
            )}
          </div>
          <Reproduce
            lang={lang}
            cli={`hkbudget params list --year ${st.year}${search ? ` --search ${shq(search)}` : ''}`}
            path={`/params -G --data-urlencode 'year=${st.year}'${search ? ` --data-urlencode ${shq(`search=${search}`)}` : ''}`}
            method="GET"
          />
        </section>
        <section class="card pm-detail" id="pm-detail" tabIndex={-1} ref={detailRef} aria-labelledby="pm-detail-h" data-testid="param-detail">
          {!st.path && (
            <>
              <h2 id="pm-detail-h">{s('detail', lang)}</h2>
              <p>{s('choose', lang)}</p>
            </>
          )}
          {st.path && node.error != null && (
            <>
              <h2 id="pm-detail-h">
                <code>{st.path}</code>
              </h2>
              <ErrorBox error={node.error} lang={lang} />
              <Suggestions error={node.error} lang={lang} open={(p) => open(p)} />
            </>
          )}
          {st.path && !node.error && !node.data && (
            <>
              <h2 id="pm-detail-h">{s('detail', lang)}</h2>
              <Busy busy lang={lang} />
            </>
          )}
          {st.path && !node.error && node.data && (
            <NodeView n={node.data} summary={summary} year={st.year} at={at} lang={lang} known={known} open={(p) => open(p)} busy={node.busy} />
          )}
        </section>
      </div>
    </>
  );
}

function Suggestions({ error, lang, open }: { error: unknown; lang: Lang; open: (p: string) => void }) {
  if (!(error instanceof ApiError) || !error.allowed) return null;
  const paths = error.allowed.split(',').map((x) => x.trim()).filter((x) => /^[a-z0-9_.]+$/.test(x));
  if (paths.length === 0) return null;
  return (
    <p>
      {s('didYouMean', lang)}{' '}
      {paths.map((p, i) => (
        <span key={p}>
          {i > 0 && ', '}
          <a href={href(lang, p)} onClick={(e) => (e.preventDefault(), open(p))}>
            <code>{p}</code>
          </a>
        </span>
      ))}
    </p>
  );
}

function ParamList(props: { params: Summary[]; selected: string; at: string; year: string; lang: Lang; onOpen: (p: string) => void }) {
  const { lang } = props;
  const groups = useMemo(() => {
    const order = Object.keys(GROUPS);
    const m = new Map<string, Summary[]>();
    for (const p of props.params) {
      const g = groupOf(p.path);
      if (!m.has(g)) m.set(g, []);
      m.get(g)!.push(p);
    }
    const rank = (g: string) => (order.indexOf(g) < 0 ? order.length : order.indexOf(g));
    return [...m.entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
  }, [props.params]);
  // Up and down arrows move between the items; Tab leaves the list as usual.
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const links = [...(e.currentTarget as HTMLElement).querySelectorAll<HTMLAnchorElement>('a.pm-item')];
    const i = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (i < 0) return;
    e.preventDefault();
    links[Math.max(0, Math.min(links.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))].focus();
  };
  return (
    <nav aria-label={s('listNav', lang)} onKeyDown={onKey} data-testid="params-list">
      {groups.map(([g, items]) => (
        <div class="pm-group" key={g}>
          <h3>
            {groupTitle(g, lang)} <span class="muted">({items.length})</span>
          </h3>
          <ul>
            {items.map((p) => {
              const sel = p.path === props.selected;
              const when = p.period === 'financial_year' ? fyOf(props.year) : p.period === 'date' ? props.at : null;
              return (
                <li key={p.path}>
                  <a
                    class="pm-item"
                    href={href(lang, p.path)}
                    aria-current={sel ? 'true' : undefined}
                    data-path={p.path}
                    onClick={(e) => {
                      e.preventDefault();
                      props.onOpen(p.path);
                    }}
                  >
                    <span class="pm-label">{pick(p.label, lang)}</span>
                    <span class="pm-value">
                      <span class="pm-vt">{summaryText(p, lang)}</span>
                      {p.status && <StatusBadge status={p.status} lang={lang} />}
                    </span>
                    <span class="pm-meta">
                      <code>{p.path}</code> · {pick(UNITS[p.unit], lang) || p.unit}
                      {when && ` · ${when}`}
                    </span>
                  </a>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}

function NodeView(props: {
  n: Node;
  summary: Summary | undefined;
  year: string;
  at: string;
  lang: Lang;
  known: Set<string>;
  open: (p: string) => void;
  busy: boolean;
}) {
  const { n, lang } = props;
  const values = n.values ?? [];
  const current = values.find((v) => inForce(v, n.period, props.year, props.at));
  const isScalar = SCALAR.has(n.unit) && values.some((v) => typeof v.value === 'number');
  const isList = LISTS.has(n.unit);
  return (
    <>
      <div class="card-head">
        <h2 id="pm-detail-h" data-testid="param-label">
          {pick(n.label, lang)}
        </h2>
        <Busy busy={props.busy} lang={lang} />
      </div>
      <p class="pm-current">
        {current ? (
          <>
            {isList && current.value !== null ? (
              <span class="pm-current-list" data-testid="param-value">
                {n.unit === 'quarterly' ? valueText(n.unit, current.value, lang) : s('tableInForce', lang, { period: periodText(current.from, current.to, lang) })}
              </span>
            ) : (
              <span class="pm-big" data-testid="param-value">
                {valueText(n.unit, current.value, lang)}
              </span>
            )}{' '}
            <StatusBadge status={current.status} lang={lang} /> <span class="muted">{s('inForceNow', lang, { year: n.period === 'date' ? props.at : n.period === 'financial_year' ? fyOf(props.year) : props.year })}</span>
          </>
        ) : (
          <span class="muted">{s('notInForce', lang)}</span>
        )}
      </p>
      <p>{pick(n.description, lang)}</p>
      <dl class="pm-facts">
        <div>
          <dt>{s('path', lang)}</dt>
          <dd>
            <code>{n.path}</code>
          </dd>
        </div>
        <div>
          <dt>{s('unit', lang)}</dt>
          <dd>{pick(n.unit_label, lang)}</dd>
        </div>
        <div>
          <dt>{s('periodKind', lang)}</dt>
          <dd>{pick(n.period_label, lang)}</dd>
        </div>
        <div>
          <dt>{s('file', lang)}</dt>
          <dd>
            <code>{n.file}</code>
          </dd>
        </div>
      </dl>

      <h3>{s('references', lang)}</h3>
      <ul class="pm-refs">
        {n.references.map((r, i) => {
          // One reference: the engine's citation in the page's language; several: each as filed.
          const text = n.references.length === 1 ? pick(n.reference, lang) : [r.ordinance, r.section].filter(Boolean).join(' ');
          return (
            <li key={i}>
              {r.url ? (
                <a href={r.url} rel="noreferrer">
                  {text}
                </a>
              ) : (
                text
              )}{' '}
              {r.verified ? (
                <span class="badge ok">{s('verified', lang)}</span>
              ) : (
                <>
                  <span class="badge warn">{s('unverified', lang)}</span> <span class="hint">{s('unverifiedNote', lang)}</span>
                </>
              )}
            </li>
          );
        })}
      </ul>
      {n.notes && (
        <>
          <h3>{s('notes', lang)}</h3>
          <p>
            <NoteText text={n.notes} known={props.known} lang={lang} open={props.open} />
          </p>
        </>
      )}

      <h3>{s('history', lang)}</h3>
      {isScalar && <HistoryChart n={n} lang={lang} />}
      {n.unit === 'quarterly' ? (
        <QuarterlyTable n={n} lang={lang} current={current} known={props.known} open={props.open} />
      ) : isList ? (
        values.map((v, i) => <PeriodTable key={i} n={n} v={v} lang={lang} current={v === current} known={props.known} open={props.open} />)
      ) : (
        <HistoryTable n={n} lang={lang} current={current} known={props.known} open={props.open} />
      )}

      {n.reviewed && (
        <>
          <h3>{s('reviewed', lang)}</h3>
          <p>
            <strong>{s('reviewedThrough', lang, { through: n.reviewed.through })}</strong>
            {': '}
            <NoteText text={n.reviewed.note} known={props.known} lang={lang} open={props.open} />
          </p>
          <p class="muted">
            {s('source', lang)}: <SourceLink src={n.reviewed.source} />
          </p>
        </>
      )}
      <Reproduce lang={lang} cli={`hkbudget params show ${n.path}`} path={`/params/${n.path}`} method="GET" />
    </>
  );
}

function SourceCell(props: { v: Dated; lang: Lang; known: Set<string>; open: (p: string) => void }) {
  return (
    <>
      <SourceLink src={props.v.source} />
      {props.v.note && (
        <div class="muted pm-note">
          <NoteText text={props.v.note} known={props.known} lang={props.lang} open={props.open} />
        </div>
      )}
    </>
  );
}

function SourceRow(props: { v: Dated; span: number; lang: Lang; known: Set<string>; open: (p: string) => void }) {
  return (
    <tr class="pm-src-row">
      <td colSpan={props.span}>
        <span class="muted">{s('source', props.lang)}: </span>
        <SourceCell v={props.v} lang={props.lang} known={props.known} open={props.open} />
      </td>
    </tr>
  );
}

/** The dated values of a single figure: one group of rows per period, its source below. */
function HistoryTable(props: { n: Node; lang: Lang; current: Dated | undefined; known: Set<string>; open: (p: string) => void }) {
  const { n, lang } = props;
  return (
    <div class="table-wrap">
      <table class="pm-history" data-testid="param-history">
        <caption class="sr-only">{s('history', lang)}</caption>
        <thead>
          <tr>
            <th scope="col">{s('periodCol', lang)}</th>
            <th scope="col" class="n">
              {s('value', lang)}
            </th>
            <th scope="col">{s('status', lang)}</th>
          </tr>
        </thead>
        {n.values.map((v, i) => (
          <tbody key={i} class={v === props.current ? 'pm-now' : ''} aria-current={v === props.current ? 'true' : undefined}>
            <tr>
              <th scope="row">{periodText(v.from, v.to, lang)}</th>
              <td class="n">{valueText(n.unit, v.value, lang)}</td>
              <td>
                <StatusBadge status={v.status} lang={lang} />
              </td>
            </tr>
            <SourceRow v={v} span={3} lang={lang} known={props.known} open={props.open} />
          </tbody>
        ))}
      </table>
    </div>
  );
}

function QuarterlyTable(props: { n: Node; lang: Lang; current: Dated | undefined; known: Set<string>; open: (p: string) => void }) {
  const { n, lang } = props;
  const qs = ['q1', 'q2', 'q3', 'q4'] as const;
  return (
    <div class="table-wrap">
      <table class="pm-history" data-testid="param-history">
        <caption class="pm-caption">{s('quarterlyCaption', lang)}</caption>
        <thead>
          <tr>
            <th scope="col">
              {s('periodCol', lang)} · {s('status', lang)}
            </th>
            {qs.map((q) => (
              <th scope="col" class="n" key={q}>
                {s(q, lang)}
              </th>
            ))}
          </tr>
        </thead>
        {n.values.map((v, i) => {
          const xs = Array.isArray(v.value) ? (v.value as number[]) : null;
          return (
            <tbody key={i} class={v === props.current ? 'pm-now' : ''} aria-current={v === props.current ? 'true' : undefined}>
              <tr>
                <th scope="row" class="pm-fy">
                  {periodText(v.from, v.to, lang)} <StatusBadge status={v.status} lang={lang} />
                </th>
                {xs ? (
                  qs.map((q, j) => (
                    <td class="n" key={q}>
                      {num(xs[j])}
                    </td>
                  ))
                ) : (
                  <td colSpan={4}>{valueText(n.unit, v.value, lang)}</td>
                )}
              </tr>
              <SourceRow v={v} span={5} lang={lang} known={props.known} open={props.open} />
            </tbody>
          );
        })}
      </table>
    </div>
  );
}

function PeriodTable(props: { n: Node; v: Dated; lang: Lang; current: boolean; known: Set<string>; open: (p: string) => void }) {
  const { n, v, lang } = props;
  const period = periodText(v.from, v.to, lang);
  const rows = listRows(n.unit, v.value, lang);
  return (
    <div class={`pm-period${props.current ? ' pm-now' : ''}`} data-testid="param-period">
      <h4>
        {period} <StatusBadge status={v.status} lang={lang} />
      </h4>
      {rows ? (
        <div class="table-wrap">
          <table>
            <caption class="sr-only">{s('tableOf', lang, { period })}</caption>
            <thead>
              <tr>
                <th scope="col">{rows.head[0]}</th>
                <th scope="col" class="n">
                  {rows.head[1]}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.rows.map(([k, x], i) => (
                <tr key={i}>
                  <th scope="row">{k}</th>
                  <td class="n pm-wrap">{x}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{valueText(n.unit, v.value, lang)}</p>
      )}
      <p class="pm-period-src">
        {s('source', lang)}: <SourceCell v={v} lang={lang} known={props.known} open={props.open} />
      </p>
    </div>
  );
}

/** The label of the year starting in `y`, as the node's period kind writes it. */
function yearLabel(y: number, kind: string): string {
  const yy = String((y + 1) % 100).padStart(2, '0');
  return kind === 'financial_year' ? `${y}-${yy}` : `${y}/${yy}`;
}

/**
 * A step line of a single figure over its periods, a gap where it was not in force. Years of
 * assessment and financial years: one point a year on a category axis; dates: a time axis, each
 * value drawn from its first day to the next value's.
 */
function HistoryChart({ n, lang }: { n: Node; lang: Lang }) {
  const option: ChartOption = useMemo(() => {
    const isRate = n.unit === 'rate';
    const fmt = (v: number) => (isRate ? rateText(v) : num(v));
    const yAxis = { type: 'value', name: pick(n.unit_label, lang), min: 0, axisLabel: { formatter: fmt } };
    const grid = { left: isRate ? 56 : 76, right: 24, top: 32, bottom: 36 };
    const name = pick(n.label, lang);
    const vs = n.values;
    if (n.period !== 'date') {
      const first = Number(vs[0]?.from.slice(0, 4) ?? LATEST.slice(0, 4));
      const last = Math.max(Number(LATEST.slice(0, 4)), ...vs.map((v) => Number((v.to ?? v.from).slice(0, 4))));
      const years: string[] = [];
      for (let y = first; y <= last; y++) years.push(yearLabel(y, n.period));
      const data = years.map((y) => {
        const v = vs.find((d) => d.from <= y && (!d.to || d.to >= y));
        return { value: v && typeof v.value === 'number' ? v.value : null, text: v ? valueText(n.unit, v.value, lang) : '—' };
      });
      return {
        tooltip: {
          trigger: 'axis',
          formatter: (ps: any) => {
            const p = Array.isArray(ps) ? ps[0] : ps;
            return `${p.axisValue ?? p.name}<br/><strong>${p.data?.text ?? ''}</strong>`;
          },
        },
        grid,
        xAxis: { type: 'category', data: years, axisLabel: { hideOverlap: true }, axisTick: { alignWithLabel: true } },
        yAxis,
        series: [{ name, type: 'line', step: 'middle', data, connectNulls: false, lineStyle: { width: 2.5 }, symbolSize: 7 }],
      };
    }
    const t = (p: string) => Date.parse(p.includes('T') ? p : `${p}T00:00`);
    const endOpen = Math.max(t(`${Number(LATEST.slice(0, 4)) + 1}-03-31`), Date.now());
    const data: any[] = [];
    vs.forEach((v, i) => {
      const end = i + 1 < vs.length ? t(vs[i + 1].from) : v.to ? t(v.to) : endOpen;
      const y = typeof v.value === 'number' ? v.value : null;
      const period = periodText(v.from, v.to, lang);
      const text = valueText(n.unit, v.value, lang);
      data.push({ value: [t(v.from), y], period, text, symbol: 'circle' });
      data.push({ value: [end, y], period, text, symbol: 'none' });
    });
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: any) => (p.data?.period ? `${p.data.period}<br/><strong>${p.data.text}</strong>` : ''),
      },
      grid,
      xAxis: { type: 'time', min: vs.length ? t(vs[0].from) : undefined, max: endOpen, axisLabel: { hideOverlap: true } },
      yAxis,
      series: [{ name, type: 'line', data, connectNulls: false, lineStyle: { width: 2.5 }, symbolSize: 7 }],
    };
  }, [n, lang]);
  return <Chart option={option} label={s('historyChart', lang, { label: pick(n.label, lang) })} height={240} testId="param-chart" />;
}
