// The web lab's shell: the navigation, the language switch, and the page for the path.
// Paths: / (overview), /household, /reform, /outlook, /proposals, /params, /saved. The server
// answers every one of them with this page (the state is in the query string).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { type Lang, initialLang, rememberLang, t, type UiKey } from './i18n';
import './style.css';
import { Overview } from './pages/Overview';
import { Household } from './pages/Household';
import { Reform } from './pages/Reform';
import { Outlook } from './pages/Outlook';
import { Proposals } from './pages/Proposals';
import { Params } from './pages/Params';
import { Saved } from './pages/Saved';

import { go, type PageProps } from './nav';

const PAGES: { path: string; key: UiKey; view: (p: PageProps) => preact.JSX.Element }[] = [
  { path: '/', key: 'overview', view: Overview },
  { path: '/household', key: 'household', view: Household },
  { path: '/reform', key: 'reform', view: Reform },
  { path: '/outlook', key: 'outlook', view: Outlook },
  { path: '/proposals', key: 'proposals', view: Proposals },
  { path: '/params', key: 'params', view: Params },
  { path: '/saved', key: 'saved', view: Saved },
];

function App() {
  const [lang, setLang] = useState<Lang>(initialLang());
  const [path, setPath] = useState(location.pathname);
  // A page is rebuilt when its URL changes from outside (back/forward, a link).
  const [visit, setVisit] = useState(0);
  useEffect(() => {
    const on = () => {
      setPath(location.pathname);
      setLang(initialLang());
      setVisit((v) => v + 1);
    };
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-Hant' : 'en';
    const page = PAGES.find((p) => p.path === path) ?? PAGES[0];
    document.title = `${t(page.key, lang)} · hkbudget ${t('app', lang)}`;
    rememberLang(lang);
    const q = new URLSearchParams(location.search);
    if (q.get('lang') !== lang) {
      q.set('lang', lang);
      history.replaceState(history.state, '', `${location.pathname}?${q}${location.hash}`);
    }
  }, [lang, path]);
  const page = PAGES.find((p) => p.path === path) ?? PAGES[0];
  const View = page.view;
  const href = (p: string) => {
    const q = new URLSearchParams();
    q.set('lang', lang);
    return `${p}?${q}`;
  };
  return (
    <>
      <a class="skip" href="#main">
        {t('skip', lang)}
      </a>
      <header class="top">
        <a class="brand" href={href('/')} onClick={(e) => (e.preventDefault(), go(href('/')))}>
          hkbudget <span>{t('app', lang)}</span>
        </a>
        <nav aria-label={lang === 'zh' ? '主選單' : 'Main'}>
          <ul>
            {PAGES.map((p) => (
              <li key={p.path}>
                <a
                  href={href(p.path)}
                  aria-current={p.path === page.path ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    go(href(p.path));
                  }}
                >
                  {t(p.key, lang)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button
          type="button"
          class="lang"
          lang={lang === 'zh' ? 'en' : 'zh-Hant'}
          title={t('languageLabel', lang)}
          onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
        >
          {t('language', lang)}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <View key={`${page.path}:${visit}`} lang={lang} />
      </main>
      <footer class="foot">
        <p>
          {t('footer', lang)} · <a href="/api/v1/docs">{t('apiDocs', lang)}</a>
        </p>
      </footer>
    </>
  );
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
