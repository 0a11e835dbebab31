// 個人計稅 Household: salaries tax and personal assessment for a household (every lawful option,
// the advice, the IRD-style computation with each parameter's source), before and after against
// another year or a reform, a chart of tax and rates as income varies; stamp duty for a deal;
// profits tax for a business. Every figure comes from the server.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { post, type Schemas } from '../api/client';
import { Chart, type ChartOption } from '../components/Chart';
import { Busy, ErrorBox, NumberField, Reproduce, Section, StatusBadge, useRun } from '../components/ui';
import { hkd, num, pct } from '../format';
import { type Lang, pick } from '../i18n';
import type { PageProps } from '../nav';
import { readState, writeState } from '../state';
import { loadScenario, SaveButton } from './Saved';

const S = {
  title: { zh: '個人計稅', en: 'Your tax' },
  lede: {
    zh: '輸入家庭資料，即時按稅務局的方法計算薪俸稅及個人入息課稅，列出所有合法選項及計算步驟。',
    en: 'Enter a household and see its salaries tax and personal assessment as IRD computes them: every lawful option, step by step.',
  },
  salaries: { zh: '薪俸稅', en: 'Salaries tax' },
  stamp: { zh: '印花稅', en: 'Stamp duty' },
  profits: { zh: '利得稅', en: 'Profits tax' },
  household: { zh: '家庭資料', en: 'The household' },
  yearOfAssessment: { zh: '課稅年度', en: 'Year of assessment' },
  married: { zh: '已婚', en: 'Married' },
  children: { zh: '子女人數', en: 'Children' },
  newborns: { zh: '其中本年度出生', en: 'Of whom born this year' },
  parents: { zh: '同住的 60 歲或以上父母', en: 'Parents aged 60+ living with you' },
  income: { zh: '受僱入息', en: 'Employment income' },
  mpf: { zh: '強積金強制性供款', en: 'MPF mandatory contributions' },
  mpfAuto: { zh: '按入息推算強積金供款（僱員）', en: 'Work out MPF from income (an employee)' },
  mpfAutoHint: {
    zh: '按有關入息的 5% 計算，並受每月 7,100 元至 30,000 元的入息水平所限；自僱或獲豁免人士請取消並輸入實際數字。',
    en: '5% of relevant income within the HK$7,100–30,000 monthly levels; the self-employed or exempt should untick and enter the actual figure.',
  },
  bill: { zh: '稅單', en: 'Your tax bill' },
  finalTax: { zh: '最終稅款', en: 'Final tax' },
  provisionalTax: { zh: '暫繳稅', en: 'Provisional tax' },
  due: { zh: '繳付', en: 'Due' },
  donations: { zh: '認可慈善捐款', en: 'Approved donations' },
  homeLoan: { zh: '居所貸款利息', en: 'Home loan interest' },
  spouseIncome: { zh: '配偶受僱入息', en: "Spouse's employment income" },
  spouseMpf: { zh: '配偶強積金供款', en: "Spouse's MPF contributions" },
  taxpayer: { zh: '納稅人', en: 'Taxpayer' },
  spouse: { zh: '配偶', en: 'Spouse' },
  compare: { zh: '比較', en: 'Compare with' },
  noCompare: { zh: '不比較', en: 'Nothing' },
  vsYear: { zh: '另一課稅年度', en: 'Another year' },
  vsReform: { zh: '改革頁的方案', en: 'The reform being edited' },
  noReform: { zh: '政策改革頁尚未有方案；請先在該頁修改參數。', en: 'No reform is being edited yet: change a parameter on the Reform page first.' },
  result: { zh: '結果', en: 'Result' },
  taxPayable: { zh: '應繳稅款', en: 'Tax payable' },
  recommended: { zh: '建議選擇', en: 'Recommended' },
  options: { zh: '各項合法選項', en: 'Every lawful option' },
  option: { zh: '選項', en: 'Option' },
  before: { zh: '寬減前', en: 'Before reduction' },
  reduction: { zh: '寬減', en: 'Reduction' },
  computation: { zh: '計算步驟', en: 'The computation' },
  step: { zh: '項目', en: 'Item' },
  amount: { zh: '金額', en: 'Amount' },
  params: { zh: '所用參數', en: 'Parameters used' },
  notes: { zh: '附註', en: 'Notes' },
  warnings: { zh: '注意', en: 'Warnings' },
  difference: { zh: '前後比較', en: 'Before and after' },
  change: { zh: '變動', en: 'Change' },
  curve: { zh: '稅款及稅率隨入息變化', en: 'Tax and tax rates as income varies' },
  avgRate: { zh: '平均稅率', en: 'Average rate' },
  margRate: { zh: '邊際稅率', en: 'Marginal rate' },
  tax: { zh: '稅款', en: 'Tax' },
  curveNote: {
    zh: '其他資料不變，只改變納稅人的受僱入息。',
    en: "Everything else as entered; only the taxpayer's employment income varies.",
  },
  date: { zh: '文書日期', en: 'Instrument date' },
  price: { zh: '代價', en: 'Consideration' },
  buyer: { zh: '買家', en: 'Buyer' },
  hkprFirst: { zh: '香港永久性居民，首置', en: 'HK permanent resident, first home' },
  hkprOther: { zh: '香港永久性居民，已有其他住宅', en: 'HK permanent resident, owns another home' },
  nonHkpr: { zh: '非香港永久性居民', en: 'Not a HK permanent resident' },
  company: { zh: '公司', en: 'A company' },
  residential: { zh: '住宅物業', en: 'Residential property' },
  totalDuty: { zh: '印花稅總額', en: 'Total stamp duty' },
  profitsAmount: { zh: '應評稅利潤', en: 'Assessable profits' },
  entity: { zh: '業務類別', en: 'Business' },
  corporation: { zh: '法團', en: 'Corporation' },
  unincorporated: { zh: '非法團業務', en: 'Unincorporated business' },
  nominated: { zh: '獲提名按兩級稅率（關連實體中只可一個）', en: 'Nominated for the two-tier rates (one per group of connected entities)' },
  saveName: { zh: '我的家庭', en: 'Our household' },
} as const;

const YEARS = ['2026/27', '2025/26', '2024/25', '2023/24', '2022/23', '2021/22', '2020/21', '2019/20', '2018/19', '2017/18'];

function s(k: keyof typeof S, lang: Lang): string {
  return S[k][lang];
}

export interface HouseholdForm {
  year: string;
  married: boolean;
  children: number;
  newborns: number;
  parents: number;
  income: number;
  mpf: number;
  donations: number;
  homeLoan: number;
  spouseIncome: number;
  spouseMpf: number;
  /** Work the MPF contributions out from income instead of `mpf` / `spouseMpf`. */
  mpfAuto?: boolean;
}

interface State {
  tab: 'salaries' | 'stamp' | 'profits';
  form: HouseholdForm;
  compare: 'none' | 'year' | 'reform';
  vsYear: string;
  reform?: Schemas['ReformSpec'];
  deal: { date: string; price: number; buyer: 'hkpr_first' | 'hkpr_other' | 'non_hkpr' | 'company' };
  business: { year: string; profits: number; entity: 'corporation' | 'unincorporated'; nominated: boolean };
}

/** The README household: PwC's published sample (tax 8,200 in 2024/25 after the reduction). */
export const README_FORM: HouseholdForm = {
  year: '2026/27',
  married: true,
  children: 2,
  newborns: 0,
  parents: 0,
  income: 700000,
  mpf: 18000,
  donations: 3000,
  homeLoan: 0,
  spouseIncome: 0,
  spouseMpf: 0,
  mpfAuto: true,
};

const DEFAULT: State = {
  tab: 'salaries',
  form: README_FORM,
  compare: 'year',
  vsYear: '2025/26',
  deal: { date: '2026-03-01', price: 8000000, buyer: 'hkpr_first' },
  business: { year: '2026/27', profits: 3000000, entity: 'corporation', nominated: true },
};

/** The calc/salaries request for a form (the same JSON the command line's files take). */
export function salariesRequest(f: HouseholdForm): Record<string, unknown> {
  const children = [
    ...Array.from({ length: Math.max(0, f.children - f.newborns) }, () => ({})),
    ...Array.from({ length: Math.min(f.newborns, f.children) }, () => ({ born_in_year: true })),
  ];
  const person = (income: number, mpf: number, extra: Record<string, number> = {}) => {
    const p: Record<string, number> = { employment_income: income, mpf_mandatory: f.mpfAuto ? 0 : mpf, ...extra };
    const out: Record<string, number | boolean> = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== 0));
    if (f.mpfAuto && income > 0) out.mpf_from_income = true;
    return out;
  };
  const req: Record<string, unknown> = {
    year: f.year,
    married: f.married,
    children: children.length === 0 ? 0 : f.newborns === 0 ? f.children : children,
    taxpayer: person(f.income, f.mpf, { charitable_donations: f.donations, home_loan_interest: f.homeLoan }),
  };
  if (f.parents > 0) req.dependent_parents = Array.from({ length: f.parents }, () => ({ age: 70, resides_with: true }));
  if (f.married) req.spouse = person(f.spouseIncome, f.spouseMpf);
  return req;
}

function cliCommand(f: HouseholdForm, compare: State['compare'], vsYear: string): string {
  const parts = ['hkbudget calc salaries', `--year ${f.year}`, `--income ${f.income}`];
  if (!f.mpfAuto) parts.push(`--mpf ${f.mpf}`);
  if (f.donations) parts.push(`--donations ${f.donations}`);
  if (f.homeLoan) parts.push(`--home-loan-interest ${f.homeLoan}`);
  if (f.married) parts.push('--married');
  if (f.spouseIncome) parts.push(`--spouse-income ${f.spouseIncome}`);
  if (!f.mpfAuto && f.married) parts.push(`--spouse-mpf ${f.spouseMpf}`);
  if (f.children) parts.push(`--children ${f.children}`);
  if (f.newborns) parts.push(`--newborns ${f.newborns}`);
  for (let i = 0; i < f.parents; i++) parts.push('--parent 70:residing');
  if (compare === 'year') parts.push(`--vs-year ${vsYear}`);
  if (compare === 'reform') parts.push('--reform reform.yaml');
  return parts.join(' ');
}

type Salaries = any;

/** The form for a calc/salaries request (the inverse of `salariesRequest`, for saved scenarios). */
export function formFromRequest(r: any): HouseholdForm {
  const children = r?.children;
  const list = Array.isArray(children) ? children : [];
  const tp = r?.taxpayer ?? {};
  const sp = r?.spouse ?? {};
  return {
    year: typeof r?.year === 'string' ? r.year : README_FORM.year,
    married: !!r?.married,
    children: Array.isArray(children) ? list.length : Number(children ?? 0),
    newborns: list.filter((c: any) => c?.born_in_year).length,
    parents: Array.isArray(r?.dependent_parents) ? r.dependent_parents.length : 0,
    income: Number(tp.employment_income ?? 0),
    mpf: Number(tp.mpf_mandatory ?? 0),
    donations: Number(tp.charitable_donations ?? 0),
    homeLoan: Number(tp.home_loan_interest ?? 0),
    spouseIncome: Number(sp.employment_income ?? 0),
    spouseMpf: Number(sp.mpf_mandatory ?? 0),
    mpfAuto: !!tp.mpf_from_income,
  };
}

export function Household({ lang }: PageProps) {
  const [st, setSt] = useState<State>(() => {
    const saved = readState<Partial<State> & { raw?: unknown }>();
    const form = saved?.raw ? formFromRequest(saved.raw) : { ...DEFAULT.form, ...(saved?.form ?? {}) };
    const { raw: _raw, ...rest } = saved ?? {};
    return { ...DEFAULT, ...rest, form };
  });
  // Opened from a saved scenario's link: its household, as saved.
  useEffect(() => {
    loadScenario().then(
      (sc) => sc && sc.kind === 'household' && setSt((x) => ({ ...x, tab: 'salaries', form: formFromRequest(sc.body) })),
      () => undefined,
    );
  }, []);
  useEffect(() => writeState(st), [st]);
  const set = (patch: Partial<State>) => setSt((x) => ({ ...x, ...patch }));
  const setForm = (patch: Partial<HouseholdForm>) => setSt((x) => ({ ...x, form: { ...x.form, ...patch } }));
  const tabs: State['tab'][] = ['salaries', 'stamp', 'profits'];
  return (
    <>
      <h1>{s('title', lang)}</h1>
      <p class="lede">{s('lede', lang)}</p>
      <div class="tabs" role="tablist" aria-label={s('title', lang)}>
        {tabs.map((k) => (
          <button type="button" role="tab" aria-selected={st.tab === k} onClick={() => set({ tab: k })} key={k}>
            {s(k, lang)}
          </button>
        ))}
      </div>
      {st.tab === 'salaries' && <SalariesTab st={st} set={set} setForm={setForm} lang={lang} />}
      {st.tab === 'stamp' && <StampTab st={st} set={set} lang={lang} />}
      {st.tab === 'profits' && <ProfitsTab st={st} set={set} lang={lang} />}
    </>
  );
}

function SalariesTab(props: {
  st: State;
  set: (p: Partial<State>) => void;
  setForm: (p: Partial<HouseholdForm>) => void;
  lang: Lang;
}) {
  const { st, set, setForm, lang } = props;
  const f = st.form;
  const req = useMemo(() => {
    const r = salariesRequest(f);
    if (st.compare === 'year' && st.vsYear !== f.year) r.vs_year = st.vsYear;
    if (st.compare === 'reform' && st.reform) r.reform = st.reform;
    return r;
  }, [f, st.compare, st.vsYear, st.reform]);
  const key = JSON.stringify(req);
  // No debounce: an answer takes well under a millisecond on the server; a stale one is cancelled.
  const run = useRun<Salaries>(key, (signal) => post('/calc/salaries', req as never, { signal }));
  const sweepReq = useMemo(() => ({ request: salariesRequest(f), from: 0, to: Math.max(1_500_000, f.income * 2), steps: 60 }), [f]);
  const sweep = useRun<any>(JSON.stringify(sweepReq), (signal) => post('/calc/salaries/sweep', sweepReq as never, { signal }), 250);
  const id = (x: string) => `hh-${x}`;
  return (
    <div class="grid">
      <Section title={s('household', lang)} id="hh-form">
        <div class="field">
          <label for={id('year')}>{s('yearOfAssessment', lang)}</label>
          <select id={id('year')} value={f.year} onChange={(e) => setForm({ year: (e.target as HTMLSelectElement).value })}>
            {YEARS.map((y) => (
              <option value={y} key={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <NumberField id={id('income')} label={s('income', lang)} unit="HK$" value={f.income} min={0} step={1000} onInput={(v) => setForm({ income: v })} />
        <div class="check">
          <input id={id('mpfAuto')} type="checkbox" checked={!!f.mpfAuto} aria-describedby={id('mpfAuto-hint')} onChange={(e) => setForm({ mpfAuto: (e.target as HTMLInputElement).checked })} />
          <label for={id('mpfAuto')}>{s('mpfAuto', lang)}</label>
        </div>
        <p class="hint" id={id('mpfAuto-hint')}>
          {s('mpfAutoHint', lang)}
        </p>
        {!f.mpfAuto && <NumberField id={id('mpf')} label={s('mpf', lang)} unit="HK$" value={f.mpf} min={0} step={100} onInput={(v) => setForm({ mpf: v })} />}
        <NumberField id={id('donations')} label={s('donations', lang)} unit="HK$" value={f.donations} min={0} step={100} onInput={(v) => setForm({ donations: v })} />
        <NumberField id={id('homeLoan')} label={s('homeLoan', lang)} unit="HK$" value={f.homeLoan} min={0} step={1000} onInput={(v) => setForm({ homeLoan: v })} />
        <div class="check">
          <input id={id('married')} type="checkbox" checked={f.married} onChange={(e) => setForm({ married: (e.target as HTMLInputElement).checked })} />
          <label for={id('married')}>{s('married', lang)}</label>
        </div>
        {f.married && (
          <>
            <NumberField id={id('spouseIncome')} label={s('spouseIncome', lang)} unit="HK$" value={f.spouseIncome} min={0} step={1000} onInput={(v) => setForm({ spouseIncome: v })} />
            {!f.mpfAuto && <NumberField id={id('spouseMpf')} label={s('spouseMpf', lang)} unit="HK$" value={f.spouseMpf} min={0} step={100} onInput={(v) => setForm({ spouseMpf: v })} />}
          </>
        )}
        <NumberField id={id('children')} label={s('children', lang)} value={f.children} min={0} max={9} step={1} onInput={(v) => setForm({ children: Math.max(0, Math.round(v)) })} />
        <NumberField id={id('newborns')} label={s('newborns', lang)} value={f.newborns} min={0} max={f.children} step={1} onInput={(v) => setForm({ newborns: Math.max(0, Math.round(v)) })} />
        <NumberField id={id('parents')} label={s('parents', lang)} value={f.parents} min={0} max={4} step={1} onInput={(v) => setForm({ parents: Math.max(0, Math.round(v)) })} />
        <fieldset class="field">
          <legend class="label">{s('compare', lang)}</legend>
          <div class="row">
            <label class="check">
              <input type="radio" name="cmp" checked={st.compare === 'none'} onChange={() => set({ compare: 'none' })} /> {s('noCompare', lang)}
            </label>
            <label class="check">
              <input type="radio" name="cmp" checked={st.compare === 'year'} onChange={() => set({ compare: 'year' })} /> {s('vsYear', lang)}
            </label>
            <label class="check">
              <input type="radio" name="cmp" checked={st.compare === 'reform'} onChange={() => set({ compare: 'reform' })} /> {s('vsReform', lang)}
            </label>
          </div>
          {st.compare === 'year' && (
            <select aria-label={s('vsYear', lang)} value={st.vsYear} onChange={(e) => set({ vsYear: (e.target as HTMLSelectElement).value })}>
              {YEARS.map((y) => (
                <option value={y} key={y}>
                  {y}
                </option>
              ))}
            </select>
          )}
          {st.compare === 'reform' && !st.reform && <p class="hint">{s('noReform', lang)}</p>}
        </fieldset>
      </Section>
      <div>
        <Section
          title={s('result', lang)}
          id="hh-result"
          actions={<SaveButton lang={lang} kind="household" name={s('saveName', lang)} body={salariesRequest(f)} />}
        >
          <Busy busy={run.busy} lang={lang} />
          <ErrorBox error={run.error} lang={lang} />
          {run.data && <SalariesResult r={run.data} lang={lang} />}
          <Reproduce lang={lang} cli={cliCommand(f, st.compare, st.vsYear)} path="/calc/salaries" body={req} />
        </Section>
        {run.data?.bill && <Bill b={run.data.bill} lang={lang} />}
        {run.data?.difference && <Difference d={run.data.difference} lang={lang} />}
        <Section title={s('curve', lang)} id="hh-curve">
          <p class="hint">{s('curveNote', lang)}</p>
          <ErrorBox error={sweep.error} lang={lang} />
          {sweep.data && <Curve data={sweep.data} lang={lang} income={f.income} />}
        </Section>
      </div>
      {run.data && <Computation r={run.data} lang={lang} />}
    </div>
  );
}

function SalariesResult({ r, lang }: { r: any; lang: Lang }) {
  const rec = (r.options as any[]).find((o) => o.method === r.recommended);
  return (
    <>
      <div class="grid-3">
        <div class="kpi">
          <span class="label">{s('taxPayable', lang)}</span>
          <span class="big" data-testid="tax-payable">
            {hkd(r.tax_payable)}
          </span>
        </div>
        <div class="kpi">
          <span class="label">{s('recommended', lang)}</span>
          <strong>{pick(rec?.label, lang)}</strong>
        </div>
      </div>
      <h3>{s('options', lang)}</h3>
      <div class="table-wrap" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{s('option', lang)}</th>
              <th scope="col" class="n">{s('before', lang)}</th>
              <th scope="col" class="n">{s('reduction', lang)}</th>
              <th scope="col" class="n">{s('taxPayable', lang)}</th>
            </tr>
          </thead>
          <tbody>
            {(r.options as any[]).map((o) => (
              <tr key={o.method} class={o.method === r.recommended ? 'total' : ''}>
                <td>
                  {pick(o.label, lang)} {o.method === r.recommended && <span class="badge ok">{s('recommended', lang)}</span>}
                </td>
                <td class="n">{hkd(o.tax_before_reduction)}</td>
                <td class="n">{hkd(o.reduction)}</td>
                <td class="n">{hkd(o.tax_payable)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {(r.warnings as any[])?.length > 0 && (
        <>
          <h3>{s('warnings', lang)}</h3>
          <ul>
            {(r.warnings as any[]).map((w, i) => (
              <li key={i}>{pick(w, lang)}</li>
            ))}
          </ul>
        </>
      )}
      {(r.notes as any[])?.length > 0 && (
        <>
          <h3>{s('notes', lang)}</h3>
          <ul>
            {(r.notes as any[]).map((w, i) => (
              <li key={i} class="muted">
                {pick(w, lang)}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function Computation({ r, lang }: { r: any; lang: Lang }) {
  const params = r.parameters as Record<string, any>;
  let indent = 0;
  return (
    <Section title={`${s('computation', lang)} · ${r.year}`} id="hh-steps" wide>
      <div class="table-wrap" tabIndex={0}>
        <table class="steps">
          <thead>
            <tr>
              <th scope="col">{s('step', lang)}</th>
              <th scope="col" class="n">{s('amount', lang)}</th>
            </tr>
          </thead>
          <tbody>
            {(r.trace as any[]).map((step, i) => {
              if (step.kind === 'heading') indent = step.key === 'salaries_tax' || step.key === 'unit' ? 0 : 1;
              const used = (step.params ?? []) as { path: string; value: string }[];
              const title = used
                .map((u) => {
                  const p = params[u.path];
                  return p ? `${pick(p.label, lang)} = ${p.value_text}; ${pick(p.reference, lang)}; ${p.source?.document ?? ''}` : u.path;
                })
                .join('\n');
              const cls = step.kind === 'total' ? 'total' : step.kind === 'subtotal' ? '' : step.kind === 'heading' ? 'sub' : '';
              return (
                <tr key={i} class={cls} style={{ '--indent': step.kind === 'item' ? indent + 1 : indent } as any}>
                  <td title={title || undefined}>
                    {step.kind === 'heading' ? <strong>{pick(step.label, lang)}</strong> : pick(step.label, lang)}
                    {step.detail && <span class="muted"> ({pick(step.detail, lang)})</span>}
                    {used.map((u, k) => (
                      <a key={u.path} class="param-link" href={`/params?lang=${lang}&q=${encodeURIComponent(u.path)}`} title={title}>
                        {k === 0 ? ' ' : ''}
                        <sup>ⓘ</sup>
                        <span class="sr-only">
                          {s('params', lang)}
                          {lang === 'zh' ? '：' : ': '}
                          {pick(params[u.path]?.label, lang) || u.path}
                        </span>
                      </a>
                    ))}
                  </td>
                  <td class="n">{step.amount === undefined ? '' : num(step.amount)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h3>{s('params', lang)}</h3>
      <div class="table-wrap" tabIndex={0}>
        <table>
          <tbody>
            {Object.entries(params).map(([path, p]) => (
              <tr key={path}>
                <td>
                  <strong>{pick(p.label, lang)}</strong>
                  <div class="muted">
                    <code>{path}</code> · {pick(p.reference, lang)}
                  </div>
                  {p.source && (
                    <div class="muted">
                      {p.source.url ? <a href={p.source.url} rel="noreferrer">{p.source.document}</a> : p.source.document}
                    </div>
                  )}
                </td>
                <td class="n">
                  {p.value_text} <StatusBadge status={p.status} lang={lang} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

function Bill({ b, lang }: { b: any; lang: Lang }) {
  return (
    <Section title={s('bill', lang)} id="hh-bill">
      <div class="table-wrap" tabIndex={0}>
        <table>
          <tbody>
            <tr>
              <th scope="row">
                {s('finalTax', lang)} · {b.year}
              </th>
              <td class="n" data-testid="bill-final">
                {hkd(b.final_tax)}
              </td>
            </tr>
            {b.provisional_tax !== undefined && (
              <tr>
                <th scope="row">
                  {s('provisionalTax', lang)} · {b.provisional_year}
                </th>
                <td class="n" data-testid="bill-provisional">
                  {hkd(b.provisional_tax)}
                </td>
              </tr>
            )}
            {(b.instalments as any[]).map((i, k) => (
              <tr key={k} class={k === 0 ? 'total' : ''}>
                <td>
                  {pick(i.label, lang)}
                  <div class="muted">
                    {s('due', lang)}
                    {lang === 'zh' ? '：' : ': '}
                    {pick(i.due, lang)}
                  </div>
                </td>
                <td class="n">{hkd(i.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul>
        {(b.notes as any[]).map((n, k) => (
          <li key={k} class="muted">
            {pick(n, lang)}
          </li>
        ))}
      </ul>
    </Section>
  );
}

function Difference({ d, lang }: { d: any; lang: Lang }) {
  return (
    <Section title={`${s('difference', lang)} · ${pick(d.before_is, lang)}`} id="hh-diff">
      <div class="table-wrap" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">{s('step', lang)}</th>
              <th scope="col" class="n">{lang === 'zh' ? '之前' : 'Before'}</th>
              <th scope="col" class="n">{lang === 'zh' ? '之後' : 'After'}</th>
              <th scope="col" class="n">{s('change', lang)}</th>
            </tr>
          </thead>
          <tbody>
            {(d.lines as any[]).map((l, i) => (
              <tr key={i}>
                <td>{pick(l.label, lang)}</td>
                <td class="n">{l.before === undefined ? '—' : num(l.before)}</td>
                <td class="n">{l.after === undefined ? '—' : num(l.after)}</td>
                <td class="n">{num(l.change)}</td>
              </tr>
            ))}
            <tr class="total">
              <td>{s('taxPayable', lang)}</td>
              <td class="n">{num(d.total_before)}</td>
              <td class="n" data-testid="diff-after">
                {num(d.total_after)}
              </td>
              <td class="n">{num(d.total_change)}</td>
            </tr>
          </tbody>
        </table>
      </div>
    </Section>
  );
}

function Curve({ data, lang, income }: { data: any; lang: Lang; income: number }) {
  const pts = data.points as { income: number; tax: number; average_rate: number; marginal_rate: number }[];
  const option: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => (v > 1 ? hkd(v) : pct(v)) },
      legend: { top: 0 },
      grid: { left: 64, right: 56, top: 36, bottom: 40 },
      xAxis: { type: 'value', name: s('income', lang), nameLocation: 'middle', nameGap: 26, axisLabel: { formatter: (v: number) => num(v / 1000) + 'k' } },
      yAxis: [
        { type: 'value', name: s('tax', lang), axisLabel: { formatter: (v: number) => num(v / 1000) + 'k' } },
        { type: 'value', name: lang === 'zh' ? '稅率' : 'Rate', max: 0.2, axisLabel: { formatter: (v: number) => pct(v, 0) } },
      ],
      series: [
        { name: s('tax', lang), type: 'line', showSymbol: false, data: pts.map((p) => [p.income, p.tax]), markLine: { symbol: 'none', silent: true, data: [{ xAxis: income }], label: { show: false } } },
        { name: s('avgRate', lang), type: 'line', yAxisIndex: 1, showSymbol: false, data: pts.map((p) => [p.income, p.average_rate]) },
        { name: s('margRate', lang), type: 'line', yAxisIndex: 1, step: 'end', showSymbol: false, data: pts.map((p) => [p.income, p.marginal_rate]) },
      ],
    }),
    [data, lang, income],
  );
  return <Chart option={option} label={s('curve', lang)} height={300} testId="tax-curve" />;
}

function StampTab({ st, set, lang }: { st: State; set: (p: Partial<State>) => void; lang: Lang }) {
  const d = st.deal;
  const buyer =
    d.buyer === 'hkpr_first'
      ? { kind: 'hkpr', owns_other_residential: false }
      : d.buyer === 'hkpr_other'
        ? { kind: 'hkpr', owns_other_residential: true }
        : { kind: d.buyer };
  const req = { instrument_date: d.date, consideration: d.price, property: 'residential', buyers: [buyer] };
  const run = useRun<any>(JSON.stringify(req), (signal) => post('/calc/stamp-duty', req as never, { signal }), 150);
  const setDeal = (p: Partial<State['deal']>) => set({ deal: { ...d, ...p } });
  const cliBuyer = d.buyer.replace('_', '-');
  return (
    <div class="grid">
      <Section title={s('stamp', lang)} id="sd-form">
        <div class="field">
          <label for="sd-date">{s('date', lang)}</label>
          <input id="sd-date" type="date" value={d.date} onInput={(e) => setDeal({ date: (e.target as HTMLInputElement).value })} />
        </div>
        <NumberField id="sd-price" label={s('price', lang)} unit="HK$" value={d.price} min={0} step={10000} onInput={(v) => setDeal({ price: v })} />
        <div class="field">
          <label for="sd-buyer">{s('buyer', lang)}</label>
          <select id="sd-buyer" value={d.buyer} onChange={(e) => setDeal({ buyer: (e.target as HTMLSelectElement).value as State['deal']['buyer'] })}>
            <option value="hkpr_first">{s('hkprFirst', lang)}</option>
            <option value="hkpr_other">{s('hkprOther', lang)}</option>
            <option value="non_hkpr">{s('nonHkpr', lang)}</option>
            <option value="company">{s('company', lang)}</option>
          </select>
        </div>
        <p class="hint">{s('residential', lang)}</p>
      </Section>
      <Section title={s('result', lang)} id="sd-result">
        <Busy busy={run.busy} lang={lang} />
        <ErrorBox error={run.error} lang={lang} />
        {run.data && (
          <>
            <div class="kpi">
              <span class="label">{s('totalDuty', lang)}</span>
              <span class="big" data-testid="stamp-total">
                {hkd(run.data.total_duty)}
              </span>
            </div>
            <Steps trace={run.data.trace} lang={lang} />
          </>
        )}
        <Reproduce lang={lang} cli={`hkbudget calc stamp-duty --date ${d.date} --price ${d.price} --buyer ${cliBuyer}`} path="/calc/stamp-duty" body={req} />
      </Section>
    </div>
  );
}

function ProfitsTab({ st, set, lang }: { st: State; set: (p: Partial<State>) => void; lang: Lang }) {
  const b = st.business;
  const req = { year: b.year, assessable_profits: b.profits, entity: b.entity, nominated: b.nominated };
  const run = useRun<any>(JSON.stringify(req), (signal) => post('/calc/profits', req as never, { signal }), 150);
  const setB = (p: Partial<State['business']>) => set({ business: { ...b, ...p } });
  return (
    <div class="grid">
      <Section title={s('profits', lang)} id="pt-form">
        <div class="field">
          <label for="pt-year">{s('yearOfAssessment', lang)}</label>
          <select id="pt-year" value={b.year} onChange={(e) => setB({ year: (e.target as HTMLSelectElement).value })}>
            {YEARS.map((y) => (
              <option value={y} key={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <NumberField id="pt-profits" label={s('profitsAmount', lang)} unit="HK$" value={b.profits} step={10000} onInput={(v) => setB({ profits: v })} />
        <div class="field">
          <label for="pt-entity">{s('entity', lang)}</label>
          <select id="pt-entity" value={b.entity} onChange={(e) => setB({ entity: (e.target as HTMLSelectElement).value as State['business']['entity'] })}>
            <option value="corporation">{s('corporation', lang)}</option>
            <option value="unincorporated">{s('unincorporated', lang)}</option>
          </select>
        </div>
        <div class="check">
          <input id="pt-nominated" type="checkbox" checked={b.nominated} onChange={(e) => setB({ nominated: (e.target as HTMLInputElement).checked })} />
          <label for="pt-nominated">{s('nominated', lang)}</label>
        </div>
      </Section>
      <Section title={s('result', lang)} id="pt-result">
        <Busy busy={run.busy} lang={lang} />
        <ErrorBox error={run.error} lang={lang} />
        {run.data && (
          <>
            <div class="kpi">
              <span class="label">{s('taxPayable', lang)}</span>
              <span class="big">{hkd(run.data.tax_payable)}</span>
            </div>
            <Steps trace={run.data.trace} lang={lang} />
          </>
        )}
        <Reproduce
          lang={lang}
          cli={`hkbudget calc profits --year ${b.year} --profits ${b.profits}${b.entity === 'unincorporated' ? ' --unincorporated' : ''}${b.nominated ? '' : ' --not-nominated'}`}
          path="/calc/profits"
          body={req}
        />
      </Section>
    </div>
  );
}

function Steps({ trace, lang }: { trace: any[]; lang: Lang }) {
  return (
    <div class="table-wrap" tabIndex={0}>
      <table class="steps">
        <tbody>
          {trace.map((step, i) => (
            <tr key={i} class={step.kind === 'total' ? 'total' : step.kind === 'heading' ? 'sub' : ''}>
              <td>
                {pick(step.label, lang)}
                {step.detail && <span class="muted"> ({pick(step.detail, lang)})</span>}
              </td>
              <td class="n">{step.amount === undefined ? '' : num(step.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
