// Language: Traditional Chinese first, English one click away. The choice lives in the URL
// (`?lang=en`) and in local storage; texts from the engine arrive in both languages ({en, zh})
// and are picked here, so a Chinese page carries no English fragment of the app's own.

export type Lang = 'zh' | 'en';

export interface Bilingual {
  en: string;
  zh: string;
}

const KEY = 'hkbudget.lang';

export function initialLang(search: string = location.search): Lang {
  const q = new URLSearchParams(search).get('lang');
  if (q === 'en' || q === 'zh') return q;
  try {
    const s = localStorage.getItem(KEY);
    if (s === 'en' || s === 'zh') return s;
  } catch {
    /* storage may be off */
  }
  return 'zh';
}

export function rememberLang(l: Lang): void {
  try {
    localStorage.setItem(KEY, l);
  } catch {
    /* storage may be off */
  }
}

/** A bilingual text in the language of the page (the other one if a side is empty). */
export function pick(b: Bilingual | null | undefined, lang: Lang): string {
  if (!b) return '';
  const s = lang === 'zh' ? b.zh : b.en;
  return s || b.en || b.zh || '';
}

/** The app's own strings: each entry in both languages. */
export const UI = {
  app: { zh: '香港財政政策實驗室', en: 'Hong Kong fiscal policy lab' },
  overview: { zh: '總覽', en: 'Overview' },
  household: { zh: '個人計稅', en: 'Household' },
  reform: { zh: '政策改革', en: 'Reform' },
  outlook: { zh: '財政前景', en: 'Outlook' },
  proposals: { zh: '建議', en: 'Proposals' },
  params: { zh: '參數', en: 'Parameters' },
  saved: { zh: '我的情景', en: 'Saved' },
  language: { zh: 'English', en: '繁體中文' },
  languageLabel: { zh: '切換至英文', en: 'Switch to Traditional Chinese' },
  loading: { zh: '計算中…', en: 'Computing…' },
  error: { zh: '錯誤', en: 'Error' },
  field: { zh: '欄位', en: 'Field' },
  retry: { zh: '重試', en: 'Retry' },
  hkdbn: { zh: '十億港元', en: 'HK$bn' },
  year: { zh: '年度', en: 'Year' },
  save: { zh: '儲存情景', en: 'Save scenario' },
  saveName: { zh: '情景名稱', en: 'Scenario name' },
  savedAs: { zh: '已儲存，連結：', en: 'Saved; link:' },
  copyLink: { zh: '複製此頁連結', en: 'Copy link to this page' },
  copied: { zh: '已複製', en: 'Copied' },
  reproduce: { zh: '重現此結果', en: 'Reproduce this' },
  cli: { zh: '命令列', en: 'Command line' },
  curl: { zh: 'curl 請求', en: 'curl request' },
  python: { zh: 'Python', en: 'Python' },
  pythonLater: {
    zh: 'Python 介面推出後，此處會附上相應程式碼。',
    en: 'A Python snippet will appear here once the binding exists.',
  },
  exportCsv: { zh: '匯出 CSV', en: 'Export CSV' },
  exportXlsx: { zh: '匯出 Excel', en: 'Export XLSX' },
  print: { zh: '列印報告', en: 'Print report' },
  source: { zh: '來源', en: 'Source' },
  sources: { zh: '來源', en: 'Sources' },
  status: { zh: '狀態', en: 'Status' },
  assumption: { zh: '假設', en: 'assumption' },
  skip: { zh: '跳至內容', en: 'Skip to content' },
  footer: {
    zh: '所有數字均附來源；假設及推算數字均有標示。',
    en: 'Every figure carries its source; assumptions and derived figures are labelled.',
  },
  apiDocs: { zh: 'API 參考', en: 'API reference' },
  none: { zh: '沒有', en: 'None' },
  open: { zh: '開啟', en: 'Open' },
  rename: { zh: '重新命名', en: 'Rename' },
  delete: { zh: '刪除', en: 'Delete' },
} satisfies Record<string, Bilingual>;

export type UiKey = keyof typeof UI;

export function t(key: UiKey, lang: Lang): string {
  return UI[key][lang];
}
