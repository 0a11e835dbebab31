// Small shared pieces: the error box (the engine's message in the page's language, with the
// field at fault), a numeric field, status badges, a "reproduce this" panel, and the hook that
// runs a request whenever its input changes (debounced, the stale one cancelled).
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, isAbort } from '../api/client';
import { type Lang, pick, t } from '../i18n';

export function ErrorBox(props: { error: unknown; lang: Lang }) {
  const e = props.error;
  if (!e) return null;
  if (e instanceof ApiError) {
    return (
      <div class="error" role="alert">
        <strong>{t('error', props.lang)}</strong> {pick(e.bilingual, props.lang)}
        {e.field && (
          <div class="muted">
            {t('field', props.lang)}: <code>{e.field}</code>
          </div>
        )}
      </div>
    );
  }
  return (
    <div class="error" role="alert">
      <strong>{t('error', props.lang)}</strong> {String((e as Error)?.message ?? e)}
    </div>
  );
}

export function NumberField(props: {
  id: string;
  label: string;
  value: number;
  onInput: (v: number) => void;
  min?: number;
  max?: number;
  step?: number;
  unit?: string;
  hint?: string;
}) {
  const [text, setText] = useState(String(props.value));
  useEffect(() => {
    if (Number(text) !== props.value) setText(String(props.value));
  }, [props.value]);
  return (
    <div class="field">
      <label for={props.id}>
        {props.label}
        {props.unit && <span class="unit"> ({props.unit})</span>}
      </label>
      <input
        id={props.id}
        type="number"
        inputMode="decimal"
        value={text}
        min={props.min}
        max={props.max}
        step={props.step ?? 'any'}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
        onInput={(e) => {
          const s = (e.target as HTMLInputElement).value;
          setText(s);
          const v = Number(s);
          if (s.trim() !== '' && Number.isFinite(v)) props.onInput(v);
        }}
      />
      {props.hint && (
        <div class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </div>
      )}
    </div>
  );
}

const STATUS: Record<string, { zh: string; en: string; cls: string }> = {
  enacted: { zh: '已立法', en: 'enacted', cls: 'ok' },
  proposed: { zh: '建議中', en: 'proposed', cls: 'warn' },
  secondary: { zh: '次要來源', en: 'secondary source', cls: 'warn' },
  assumption: { zh: '假設', en: 'assumption', cls: 'bad' },
  reform: { zh: '改革', en: 'reform', cls: 'info' },
  published: { zh: '已公布', en: 'published', cls: 'ok' },
  derived: { zh: '推算', en: 'derived', cls: 'info' },
  actual: { zh: '實際', en: 'actual', cls: 'ok' },
  revised: { zh: '修訂預算', en: 'revised', cls: 'ok' },
  estimate: { zh: '預算', en: 'estimate', cls: 'ok' },
  projection: { zh: '預測', en: 'projection', cls: 'info' },
  scenario: { zh: '情景', en: 'scenario', cls: 'info' },
  missing: { zh: '缺漏', en: 'missing', cls: 'bad' },
};

export function StatusBadge(props: { status: string; lang: Lang }) {
  const s = STATUS[props.status] ?? { zh: props.status, en: props.status, cls: 'info' };
  return <span class={`badge ${s.cls}`}>{props.lang === 'zh' ? s.zh : s.en}</span>;
}

export function statusLabel(status: string, lang: Lang): string {
  const s = STATUS[status];
  return s ? (lang === 'zh' ? s.zh : s.en) : status;
}

/** The equivalent command line and curl request of a result. */
export function Reproduce(props: { lang: Lang; cli?: string; path: string; body?: unknown; method?: string }) {
  const body = props.body === undefined ? '' : JSON.stringify(props.body);
  const curl =
    `curl -s -X ${props.method ?? 'POST'} ${location.origin}/api/v1${props.path}` +
    (body ? ` -H 'content-type: application/json' -d '${body.replace(/'/g, "'\\''")}'` : '');
  return (
    <details class="reproduce">
      <summary>{t('reproduce', props.lang)}</summary>
      {props.cli && (
        <>
          <h4>{t('cli', props.lang)}</h4>
          <pre>{props.cli}</pre>
        </>
      )}
      <h4>{t('curl', props.lang)}</h4>
      <pre>{curl}</pre>
      <h4>{t('python', props.lang)}</h4>
      <p class="muted">{t('pythonLater', props.lang)}</p>
    </details>
  );
}

export function Section(props: {
  title: string;
  id?: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
  /** Spans every column of a grid. */
  wide?: boolean;
}) {
  return (
    <section class={props.wide ? 'card wide' : 'card'} aria-labelledby={props.id ? `${props.id}-h` : undefined}>
      <div class="card-head">
        <h2 id={props.id ? `${props.id}-h` : undefined}>{props.title}</h2>
        {props.actions && <div class="actions">{props.actions}</div>}
      </div>
      {props.children}
    </section>
  );
}

export interface Run<T> {
  data: T | null;
  error: unknown;
  busy: boolean;
  /** How long the last answer took (ms), from the request to the data. */
  ms: number | null;
}

/**
 * Runs `f(signal)` whenever `key` changes: after `delay` ms of quiet, cancelling the previous
 * request, keeping the last answer on screen while the next one is computed.
 */
export function useRun<T>(key: string, f: (signal: AbortSignal) => Promise<T>, delay = 0): Run<T> {
  const [state, setState] = useState<Run<T>>({ data: null, error: null, busy: true, ms: null });
  const ctrl = useRef<AbortController | null>(null);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const go = () => {
      ctrl.current?.abort();
      const c = new AbortController();
      ctrl.current = c;
      const t0 = performance.now();
      setState((s) => ({ ...s, busy: true }));
      f(c.signal).then(
        (data) => {
          if (!c.signal.aborted) {
            const ms = performance.now() - t0;
            performance.mark(`hkbudget:answer:${location.pathname}`, { detail: { ms } });
            setState({ data, error: null, busy: false, ms });
          }
        },
        (error) => {
          if (!c.signal.aborted && !isAbort(error)) setState((s) => ({ ...s, error, busy: false }));
        },
      );
    };
    if (delay > 0) timer = setTimeout(go, delay);
    else go();
    return () => {
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [key]);
  useEffect(() => () => ctrl.current?.abort(), []);
  return state;
}

interface BuildProgress {
  label: { en: string; zh: string };
  done: number;
  of: number;
}

/**
 * "Computing…" while a request runs; when it takes a while because the server is building a
 * population, the build's real steps and a progress bar (from /api/v1/progress).
 */
export function Busy(props: { busy: boolean; lang: Lang }) {
  const [build, setBuild] = useState<BuildProgress | null>(null);
  useEffect(() => {
    if (!props.busy) {
      setBuild(null);
      return;
    }
    let stop = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const r = await fetch('/api/v1/progress');
        const p = (await r.json()) as { building: boolean; progress?: BuildProgress };
        if (!stop) setBuild(p.building && p.progress ? p.progress : null);
      } catch {
        /* the answer will come or fail on its own */
      }
      if (!stop) timer = setTimeout(poll, 400);
    };
    timer = setTimeout(poll, 500);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [props.busy]);
  return (
    <span class="busy" aria-live="polite">
      {props.busy && !build && t('loading', props.lang)}
      {props.busy && build && (
        <>
          {pick(build.label, props.lang)}{' '}
          <progress max={Math.max(1, build.of)} value={build.done} aria-label={pick(build.label, props.lang)} />
        </>
      )}
    </span>
  );
}
