// 我的情景 Saved scenarios: save what is on screen (a household, a reform, a package) to the
// server's store, and list, open, rename and delete what was saved. A saved scenario's link
// opens it again on its page.
import { useState } from 'preact/hooks';
import { ApiError, del, get, post, put } from '../api/client';
import { Busy, ErrorBox, Section, useRun } from '../components/ui';
import { type Lang, pick, t } from '../i18n';
import { go, type PageProps } from '../nav';
import { link } from '../state';

const S = {
  title: { zh: '我的情景', en: 'Saved scenarios' },
  lede: {
    zh: '儲存在此伺服器的家庭、改革方案及組合。開啟後會按現行法例重新計算。',
    en: 'Households, reforms and packages saved on this server. Opening one recomputes it under the law in use now.',
  },
  name: { zh: '名稱', en: 'Name' },
  kind: { zh: '類別', en: 'Kind' },
  updated: { zh: '更新時間', en: 'Updated' },
  version: { zh: '版本', en: 'Version' },
  household: { zh: '家庭', en: 'Household' },
  reform: { zh: '改革方案', en: 'Reform' },
  package: { zh: '組合', en: 'Package' },
  empty: { zh: '尚未儲存任何情景。', en: 'Nothing saved yet.' },
  newName: { zh: '新名稱', en: 'New name' },
  lawChanged: { zh: '法例已更新', en: 'law changed since' },
  saving: { zh: '儲存中…', en: 'Saving…' },
} as const;

function s(k: keyof typeof S, lang: Lang): string {
  return S[k][lang];
}

type Kind = 'household' | 'reform' | 'package';

/** Where a saved scenario opens: the page and the state it takes. */
export function scenarioLink(kind: Kind, body: unknown, lang: Lang, id?: string): string {
  const q = id ? `&scenario=${encodeURIComponent(id)}` : '';
  if (kind === 'household') return link('/household', lang, { raw: body }) + q;
  if (kind === 'reform') return link('/reform', lang, { reform: body }) + q;
  return link('/proposals', lang, { package: body }) + q;
}

export function SaveButton(props: { lang: Lang; kind: Kind; name: string; body: unknown }) {
  const { lang } = props;
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(props.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<{ id: string; url: string } | null>(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = (await post('/scenarios', { name, kind: props.kind, body: props.body } as never)) as { id: string };
      const url = `${location.pathname}${location.search.replace(/([?&])scenario=[^&]*/, '$1').replace(/[?&]$/, '')}${location.search ? '&' : '?'}scenario=${r.id}`;
      history.replaceState(history.state, '', url);
      setSaved({ id: r.id, url: location.href });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {t('save', lang)}
      </button>
    );
  }
  return (
    <div class="row no-print">
      <div class="field">
        <label for={`save-${props.kind}`}>{t('saveName', lang)}</label>
        <input id={`save-${props.kind}`} value={name} maxLength={200} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </div>
      <button type="button" class="primary" disabled={busy} onClick={save} data-testid="save-confirm">
        {busy ? s('saving', lang) : t('save', lang)}
      </button>
      <ErrorBox error={error} lang={lang} />
      {saved && (
        <p role="status" data-testid="saved-link">
          {t('savedAs', lang)} <a href={saved.url}>{saved.url}</a>
        </p>
      )}
    </div>
  );
}

/** Reads `?scenario=ID` and returns the saved body when the page was opened from a saved link. */
export async function loadScenario(): Promise<{ kind: Kind; body: unknown; name: string } | null> {
  const id = new URLSearchParams(location.search).get('scenario');
  if (!id) return null;
  const r = (await get('/scenarios/{id}', { params: { id } })) as { kind: Kind; body: unknown; name: string };
  return r;
}

interface Summary {
  id: string;
  name: string;
  kind: Kind;
  updated_at: string;
  version: number;
  law_fingerprint: string;
}

export function Saved({ lang }: PageProps) {
  const [tick, setTick] = useState(0);
  const list = useRun<{ scenarios: Summary[]; total: number }>(String(tick), (signal) => get('/scenarios', { query: { limit: 200 }, signal }) as never);
  const version = useRun<{ law_fingerprint: string }>('v', (signal) => get('/version', { signal }) as never);
  const [error, setError] = useState<unknown>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [newName, setNewName] = useState('');
  const open = async (sc: Summary) => {
    try {
      const r = (await get('/scenarios/{id}', { params: { id: sc.id } })) as { body: unknown };
      go(scenarioLink(sc.kind, r.body, lang, sc.id));
    } catch (e) {
      setError(e);
    }
  };
  const rename = async (sc: Summary) => {
    try {
      const r = (await get('/scenarios/{id}', { params: { id: sc.id } })) as { body: unknown; kind: Kind; version: number };
      await put('/scenarios/{id}', { name: newName, kind: r.kind, body: r.body } as never, {
        params: { id: sc.id },
        headers: { 'if-match': `"${r.version}"` },
      });
      setRenaming(null);
      setTick((x) => x + 1);
    } catch (e) {
      setError(e);
    }
  };
  const remove = async (sc: Summary) => {
    try {
      await del('/scenarios/{id}', { params: { id: sc.id }, headers: { 'if-match': `"${sc.version}"` } });
      setTick((x) => x + 1);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) setError(e);
    }
  };
  const kindLabel = (k: Kind) => s(k, lang);
  return (
    <>
      <h1>{s('title', lang)}</h1>
      <p class="lede">{s('lede', lang)}</p>
      <Section title={s('title', lang)} id="saved">
        <Busy busy={list.busy} lang={lang} />
        <ErrorBox error={list.error ?? error} lang={lang} />
        {list.data && list.data.scenarios.length === 0 && <p>{s('empty', lang)}</p>}
        {list.data && list.data.scenarios.length > 0 && (
          <div class="table-wrap" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{s('name', lang)}</th>
                  <th scope="col">{s('kind', lang)}</th>
                  <th scope="col">{s('updated', lang)}</th>
                  <th scope="col" class="n">{s('version', lang)}</th>
                  <th scope="col">
                    <span class="sr-only">{t('open', lang)}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.scenarios.map((sc) => (
                  <tr key={sc.id}>
                    <td>
                      {renaming === sc.id ? (
                        <div class="row">
                          <label class="sr-only" for={`rn-${sc.id}`}>
                            {s('newName', lang)}
                          </label>
                          <input id={`rn-${sc.id}`} value={newName} onInput={(e) => setNewName((e.target as HTMLInputElement).value)} />
                          <button type="button" class="primary" onClick={() => rename(sc)}>
                            {t('rename', lang)}
                          </button>
                        </div>
                      ) : (
                        sc.name
                      )}
                      {version.data && version.data.law_fingerprint !== sc.law_fingerprint && (
                        <span class="badge warn"> {s('lawChanged', lang)}</span>
                      )}
                    </td>
                    <td>{kindLabel(sc.kind)}</td>
                    <td>{new Date(sc.updated_at).toLocaleString(lang === 'zh' ? 'zh-HK' : 'en-HK')}</td>
                    <td class="n">{sc.version}</td>
                    <td>
                      <div class="actions">
                        <button type="button" onClick={() => open(sc)}>
                          {t('open', lang)}
                        </button>
                        <button
                          type="button"
                          onClick={() => {
                            setRenaming(sc.id);
                            setNewName(sc.name);
                          }}
                        >
                          {t('rename', lang)}
                        </button>
                        <button type="button" onClick={() => remove(sc)}>
                          {t('delete', lang)}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <p class="muted">{pick({ en: 'Saved on this server only.', zh: '只儲存於此伺服器。' }, lang)}</p>
    </>
  );
}
