// 總覽 Overview, the lab's landing page: the current outlook (the newest Medium Range Forecast
// year by year with each value's status, the reserves' fan chart and the headline probabilities),
// the government's and the Chamber's packages (each one's change in the consolidated balance), the
// Chamber's proposals scorecard in brief, and what each page of the lab does. The outlook is drawn
// as soon as /project answers; the packages and the scorecard arrive on their own.
import { useMemo } from 'preact/hooks';
import { get, post, type Schemas } from '../api/client';
import { Chart, type ChartOption } from '../components/Chart';
import { Busy, ErrorBox, Reproduce, type Run, Section, StatusBadge, useRun } from '../components/ui';
import { bn, num, prob } from '../format';
import { type Lang, pick, t, type UiKey } from '../i18n';
import { go, type PageProps } from '../nav';
import { link } from '../state';
import { FanChart, type FanSpec, FanTable, fmtLine, l, Mark, type Projection, retryBusy, tableLabel } from './Outlook';
import './Outlook.css';

const S = {
  title: { zh: '香港財政政策實驗室', en: 'Hong Kong fiscal policy lab' },
  lede: {
    zh: '以現行法例及政府公布的預算數字，計算個人及企業稅款、政策改革的成本、政府財政前景及其風險，以及香港中華總商會預算建議的財政影響。每個數字都附來源；推算及假設均有標示。',
    en: "Tax for a household or a business under current law, the cost of a reform, the government's fiscal outlook and its risks, and what the Chinese General Chamber of Commerce's Budget proposals would do to the public finances — from the law and the government's published figures. Every figure carries its source; derived figures and assumptions are labelled.",
  },
  outlook: { zh: '目前財政前景', en: 'The current outlook' },
  outlookOf: { zh: '{v} 年度中期預測', en: 'Medium Range Forecast {v}' },
  balanceFirst: { zh: '{y} 年度綜合帳目盈虧', en: 'Consolidated balance {y}' },
  reservesLast: { zh: '{y} 年度終結時財政儲備', en: 'Fiscal reserves at the end of {y}' },
  pMonths: { zh: '儲備低於 {n} 個月開支的機會', en: 'Chance of reserves below {n} months of spending' },
  pSurplus: { zh: '綜合帳目錄得盈餘的機會', en: 'Chance of a consolidated surplus' },
  yearToYear: { zh: '{a} 年度 → {b} 年度', en: '{a} → {b}' },
  hkdbn: { zh: '十億港元', en: 'HK$bn' },
  byYear: { zh: '逐年數字（十億港元）', en: 'Year by year (HK$bn)' },
  hRevenue: { zh: '收入', en: 'Revenue' },
  hExpenditure: { zh: '開支', en: 'Spending' },
  hBalance: { zh: '綜合帳目盈虧', en: 'Consolidated balance' },
  hReserves: { zh: '儲備（3月31日）', en: 'Reserves at 31 March' },
  hDebt: { zh: '未償還債券', en: 'Bonds outstanding' },
  fan: { zh: '財政儲備的可能範圍（3月31日）', en: 'Fiscal reserves at 31 March: likely range' },
  fanNote: {
    zh: '{n} 條模擬路徑按歷史經濟衝擊抽樣；深色陰影為 50% 區間（第25至75百分位），淺色為 90% 區間（第5至95百分位）；實線為中位數，虛線為基線，黑線為過往年度的實際數字。',
    en: '{n} simulated paths drawing historical economic shocks; dark shading: the 50% band (25th to 75th percentile); light: the 90% band (5th to 95th); solid: the median; dashed: the baseline; black: the years before, actual.',
  },
  moreOutlook: { zh: '在「財政前景」頁設定門檻、看盈虧及債務的風險 →', en: 'Set thresholds and see the balance and debt risks on the Outlook page →' },
  packages: { zh: '政府及中總的方案', en: "The government's and the Chamber's packages" },
  packagesNote: {
    zh: '各方案對綜合帳目盈虧的影響（十億港元；正數為改善，負數為惡化）。',
    en: 'Each package’s effect on the consolidated balance (HK$bn; positive improves it, negative worsens it).',
  },
  counterfactual: { zh: '這是反事實比較：基線為不計預算案措施的預測——', en: 'A counterfactual: its baseline is the forecast without the Budget’s measures — ' },
  onTop: {
    zh: '基線為中期預測；數字為這些建議若在預測之上實行所帶來的變化（中間設定）。',
    en: 'Its baseline is the forecast; the figures are what the proposals would change on top of it (central settings).',
  },
  openPackage: { zh: '在「建議」頁查看逐項影響 →', en: 'See each item on the Proposals page →' },
  change: { zh: '盈虧變化', en: 'Change in the balance' },
  chartPackages: { zh: '各方案每年對綜合帳目盈虧的影響', en: 'Each package’s effect on the consolidated balance by year' },
  scorecard: { zh: '中總建議記分卡', en: 'The Chamber’s proposals: scorecard' },
  scorecardOf: { zh: '{b} 年度財政預算案對 {n} 項建議的回應', en: 'The {b} Budget’s response to {n} proposals' },
  responseCol: { zh: '政府回應', en: 'Government response' },
  count: { zh: '項數', en: 'Proposals' },
  share: { zh: '比例', en: 'Share' },
  openScorecard: { zh: '在「建議」頁查看每項建議及歷年回應 →', en: 'Every proposal and each Budget’s response on the Proposals page →' },
  pages: { zh: '實驗室各頁', en: 'In the lab' },
  total: { zh: '合共', en: 'Total' },
} as const;

function s(k: keyof typeof S, lang: Lang): string {
  return S[k][lang];
}

function fill(text: string, v: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');
}

/** The Budget's responses to the Chamber's proposals, in the scorecard's order. */
export const RESPONSE: Record<string, { zh: string; en: string }> = {
  implemented: { zh: '已落實', en: 'Implemented' },
  partly_implemented: { zh: '部分落實', en: 'Partly implemented' },
  related_action: { zh: '有相關措施', en: 'Related action' },
  pre_existing: { zh: '早已實行', en: 'Already in place' },
  not_adopted: { zh: '未獲採納', en: 'Not adopted' },
  rejected: { zh: '明確拒絕', en: 'Rejected' },
  no_evidence_found: { zh: '未見回應', en: 'No evidence found' },
};

const PAGE_INFO: { path: string; key: UiKey; zh: string; en: string }[] = [
  { path: '/household', key: 'household', zh: '輸入家庭資料，按稅務局方法計算薪俸稅、個人入息課稅、印花稅及利得稅。', en: 'Salaries tax and personal assessment as IRD computes them; stamp duty and profits tax.' },
  { path: '/reform', key: 'reform', zh: '修改稅率、免稅額等參數，以微觀模擬估算成本及受影響人數。', en: 'Change rates and allowances; a microsimulation costs the reform and shows who gains.' },
  { path: '/outlook', key: 'outlook', zh: '中期預測的基線、推算方法、風險扇形圖及機率。', en: 'The forecast baseline, how it was derived, fan charts and probabilities.' },
  { path: '/proposals', key: 'proposals', zh: '中總建議、政府歷年回應及組合方案的財政影響。', en: 'The Chamber’s proposals, each Budget’s response, and packages’ fiscal effect.' },
  { path: '/params', key: 'params', zh: '所有稅務參數的數值、法律依據及來源。', en: 'Every tax parameter: its values, legal basis and source.' },
  { path: '/saved', key: 'saved', zh: '已儲存的情景，可再開啟或分享連結。', en: 'Saved scenarios, to reopen or share.' },
];

const PROJECT_REQUEST = { monte_carlo: { paths: 2000 } };
const PACKAGE_IDS = ['government-2026-27', 'cgcc-not-adopted-2026-27'];

type PackageRun = { id: string; spec: Schemas['PackageSpecOut']; run: Schemas['Response15'] };

/** An in-app link (no reload; the language is in the href). */
function A(props: { href: string; children: preact.ComponentChildren; class?: string; testId?: string }) {
  return (
    <a
      href={props.href}
      class={props.class}
      data-testid={props.testId}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        go(props.href);
      }}
    >
      {props.children}
    </a>
  );
}

export function Overview({ lang }: PageProps) {
  // Three independent requests, started together: the outlook is drawn when /project answers.
  const project = useRun<Projection>('ov-project', (signal) =>
    retryBusy(() => post('/project', PROJECT_REQUEST as never, { signal }) as Promise<Projection>, signal),
  );
  const packages = useRun<PackageRun[]>('ov-packages', async (signal) => {
    const list = (await get('/packages', { signal })) as Schemas['Response19'];
    const chosen = PACKAGE_IDS.map((id) => list.packages.find((p) => p.id === id)).filter((p): p is Schemas['ShippedPackage'] => !!p);
    // One after the other: each is society-wide work on the server's few workers.
    const out: PackageRun[] = [];
    for (const p of chosen) {
      const run = await retryBusy(() => post('/packages/run', { package: p.package } as never, { signal }) as Promise<Schemas['Response15']>, signal);
      out.push({ id: p.id, spec: p.package, run });
    }
    return out;
  });
  const score = useRun<Schemas['Response13']>('ov-scorecard', (signal) => get('/scorecard', { signal }) as Promise<Schemas['Response13']>);
  return (
    <>
      <h1>{s('title', lang)}</h1>
      <p class="lede">{s('lede', lang)}</p>
      <div class="ov-layout">
        <div>
          <OutlookCard run={project} lang={lang} />
        </div>
        <div>
          <PackagesCard run={packages} lang={lang} />
          <ScorecardCard run={score} lang={lang} />
        </div>
      </div>
      <Section title={s('pages', lang)} id="ov-pages">
        <ul class="ov-links">
          {PAGE_INFO.map((p) => (
            <li key={p.path}>
              <A href={link(p.path, lang)}>
                <strong>{t(p.key, lang)}</strong>
                <span>{p[lang]}</span>
              </A>
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}

function OutlookCard({ run, lang }: { run: Run<Projection>; lang: Lang }) {
  const d = run.data;
  const title = d ? `${s('outlook', lang)} · ${fill(s('outlookOf', lang), { v: d.vintage })}` : s('outlook', lang);
  return (
    <Section title={title} id="ov-outlook">
      <Busy busy={run.busy && !d} lang={lang} />
      <ErrorBox error={run.error} lang={lang} />
      {d && <OutlookBody d={d} lang={lang} />}
    </Section>
  );
}

const OV_LINES = ['revenue', 'expenditure', 'balance', 'reserves', 'debt'] as const;
const OV_HEAD = {
  revenue: 'hRevenue',
  expenditure: 'hExpenditure',
  balance: 'hBalance',
  reserves: 'hReserves',
  debt: 'hDebt',
} as const;

function OutlookBody({ d, lang }: { d: Projection; lang: Lang }) {
  const b = d.baseline;
  const last = d.years.length - 1;
  const mc = d.monte_carlo;
  const p = mc?.probabilities;
  const first = d.years[0];
  const end = d.years[last];
  const n = p ? num(p.months_threshold, p.months_threshold % 1 ? 1 : 0) : '';
  const spec: FanSpec | null = useMemo(
    () =>
      mc
        ? { title: s('fan', lang), fan: mc.reserves, years: d.years, baseline: b.reserves, history: { years: d.history.years, line: d.history.reserves } }
        : null,
    [d, lang],
  );
  return (
    <>
      <div class="ov-kpis" data-testid="overview-kpis">
        <div class="kpi">
          <span class="label">{fill(s('balanceFirst', lang), { y: first })}</span>
          <span class="big">{bn(b.balance.values[0], 1, true)}</span>
          <span class="sub">
            {s('hkdbn', lang)} <StatusBadge status={b.balance.status[0]} lang={lang} />
          </span>
        </div>
        <div class="kpi">
          <span class="label">{fill(s('reservesLast', lang), { y: end })}</span>
          <span class="big">{bn(b.reserves.values[last], 1)}</span>
          <span class="sub">
            {s('hkdbn', lang)} <StatusBadge status={b.reserves.status[last]} lang={lang} />
          </span>
        </div>
        {p && (
          <>
            <div class="kpi" data-testid="overview-p-months">
              <span class="label">{fill(s('pMonths', lang), { n })}</span>
              <span class="big">
                {prob(p.reserves_below_months[0])} → {prob(p.reserves_below_months[last])}
              </span>
              <span class="sub">{fill(s('yearToYear', lang), { a: first, b: end })}</span>
            </div>
            <div class="kpi" data-testid="overview-p-surplus">
              <span class="label">{s('pSurplus', lang)}</span>
              <span class="big">
                {prob(p.consolidated_surplus[0])} → {prob(p.consolidated_surplus[last])}
              </span>
              <span class="sub">{fill(s('yearToYear', lang), { a: first, b: end })}</span>
            </div>
          </>
        )}
      </div>
      <h3>{s('byYear', lang)}</h3>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={tableLabel(s('byYear', lang), lang)}>
        <table class="yrows ov-table" data-testid="overview-outlook-table">
          <thead>
            <tr>
              <th scope="col">
                {t('year', lang)}
                <span class="sr-only"> · </span>
                <br />
                <span class="muted">{t('status', lang)}</span>
              </th>
              {OV_LINES.map((k) => (
                <th scope="col" class="n" key={k}>
                  {s(OV_HEAD[k], lang)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {d.years.map((y, i) => {
              const yearStatus = b.revenue.status[i];
              return (
                <tr key={y}>
                  <th scope="row">
                    {y}
                    <br />
                    <StatusBadge status={yearStatus} lang={lang} />
                  </th>
                  {OV_LINES.map((k) => (
                    <td class="n" key={k}>
                      {fmtLine(k, b[k].values[i])}
                      <Mark status={b[k].status[i]} base={yearStatus} lang={lang} />
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p class="hint">
        {l('derivedNote', lang)} {l('reservesAt', lang)}
      </p>
      {spec && mc && (
        <>
          <h3>{s('fan', lang)}</h3>
          <p class="hint">{fill(s('fanNote', lang), { n: num(mc.paths) })}</p>
          <FanChart spec={spec} lang={lang} testId="overview-fan" height={280} />
          <FanTable spec={spec} lang={lang} compact testId="overview-fan-table" />
        </>
      )}
      <A href={link('/outlook', lang, { vintage: d.vintage, paths: mc?.paths ?? 2000 })} class="more" testId="overview-to-outlook">
        {s('moreOutlook', lang)}
      </A>
      <Reproduce lang={lang} cli={`hkbudget project --vintage ${d.vintage} --paths ${mc?.paths ?? 2000}`} path="/project" body={PROJECT_REQUEST} />
    </>
  );
}

function PackagesCard({ run, lang }: { run: Run<PackageRun[]>; lang: Lang }) {
  const list = run.data;
  const years = list?.[0]?.run.years ?? [];
  const valueAt = (r: PackageRun, y: string) => {
    const i = r.run.years.indexOf(y);
    return i < 0 ? null : r.run.totals.change_in_balance[i];
  };
  const option: ChartOption | null = useMemo(
    () =>
      list && list.length
        ? {
            tooltip: { trigger: 'axis', valueFormatter: (v: number) => bn(v, 1, true) },
            legend: { top: 0, itemGap: 8, textStyle: { fontSize: 11 } },
            grid: { left: 48, right: 12, top: 72, bottom: 28 },
            xAxis: { type: 'category', data: years },
            yAxis: { type: 'value', name: t('hkdbn', lang), nameTextStyle: { align: 'left' }, axisLabel: { formatter: (v: number) => num(v) } },
            series: list.map((r) => ({
              name: shortName(r.id, lang),
              type: 'bar',
              data: years.map((y) => valueAt(r, y)),
            })),
          }
        : null,
    [list, lang],
  );
  return (
    <Section title={s('packages', lang)} id="ov-packages">
      <Busy busy={run.busy && !list} lang={lang} />
      <ErrorBox error={run.error} lang={lang} />
      {list && (
        <>
          <p class="hint">{s('packagesNote', lang)}</p>
          {list.map((r) => (
            <div class="pkg" key={r.id} data-testid={`overview-package-${r.id}`}>
              <h3>{pick(r.run.name ?? r.spec.name, lang) || r.id}</h3>
              <p class="hint">
                {r.run.counterfactual ? (
                  <>
                    {s('counterfactual', lang)}
                    {pick(r.run.counterfactual, lang)}
                    {lang === 'zh' ? '。' : '.'}
                  </>
                ) : (
                  s('onTop', lang)
                )}
              </p>
              <A href={link('/proposals', lang, { package: r.id })} testId={`overview-open-${r.id}`}>
                {s('openPackage', lang)}
              </A>
            </div>
          ))}
          <div class="table-wrap" tabIndex={0} role="region" aria-label={tableLabel(s('chartPackages', lang), lang)}>
            <table class="yrows" data-testid="overview-packages-table">
              <caption class="sr-only">{s('chartPackages', lang)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('year', lang)}</th>
                  {list.map((r) => (
                    <th scope="col" class="n" key={r.id}>
                      {shortName(r.id, lang)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {years.map((y) => (
                  <tr key={y}>
                    <th scope="row">{y}</th>
                    {list.map((r) => {
                      const v = valueAt(r, y);
                      return (
                        <td class={`n${v !== null && v < 0 ? ' neg' : ''}`} key={r.id}>
                          {bn(v, 1, true)}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {option && <Chart option={option} label={s('chartPackages', lang)} height={240} testId="overview-packages-chart" />}
        </>
      )}
    </Section>
  );
}

/** A short column name for a shipped package. */
function shortName(id: string, lang: Lang): string {
  if (id.startsWith('government-')) return lang === 'zh' ? `${id.slice(11)} 年度預算案措施` : `${id.slice(11)} Budget measures`;
  if (id.startsWith('cgcc-not-adopted-')) return lang === 'zh' ? '中總未獲採納的建議' : 'Chamber proposals not adopted';
  return id;
}

function ScorecardCard({ run, lang }: { run: Run<Schemas['Response13']>; lang: Lang }) {
  const d = run.data;
  const budgets = d ? Object.keys(d.by_status_per_budget).sort() : [];
  const latest = budgets[budgets.length - 1];
  const counts = (latest && d ? d.by_status_per_budget[latest] : {}) as Record<string, number | undefined>;
  const keys = [...Object.keys(RESPONSE), ...Object.keys(counts).filter((k) => !(k in RESPONSE))].filter((k) => (counts[k] ?? 0) > 0);
  const max = Math.max(1, ...keys.map((k) => counts[k] ?? 0));
  return (
    <Section title={s('scorecard', lang)} id="ov-scorecard">
      <Busy busy={run.busy && !d} lang={lang} />
      <ErrorBox error={run.error} lang={lang} />
      {d && latest && (
        <>
          <p class="hint">{fill(s('scorecardOf', lang), { b: latest, n: num(d.leaves) })}</p>
          <div class="table-wrap" tabIndex={0} role="region" aria-label={tableLabel(s('scorecard', lang), lang)}>
            <table class="score-bars" data-testid="overview-scorecard">
              <thead>
                <tr>
                  <th scope="col">{s('responseCol', lang)}</th>
                  <th scope="col" class="n">
                    {s('count', lang)}
                  </th>
                  <td aria-hidden="true" />
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k}>
                    <th scope="row">{RESPONSE[k]?.[lang] ?? k}</th>
                    <td class="n">{num(counts[k] ?? 0)}</td>
                    <td class="bar" aria-hidden="true">
                      <span style={{ width: `${((counts[k] ?? 0) / max) * 100}%` }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <A href={link('/proposals', lang)} class="more" testId="overview-to-proposals">
            {s('openScorecard', lang)}
          </A>
        </>
      )}
    </Section>
  );
}
