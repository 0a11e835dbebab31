// Moving between pages without reloading, and what every page is given.
import type { Lang } from './i18n';

export interface PageProps {
  lang: Lang;
}

/** Moves to another page of the lab (keeps the language in the link it is given). */
export function go(href: string): void {
  history.pushState(null, '', href);
  dispatchEvent(new PopStateEvent('popstate'));
  window.scrollTo(0, 0);
}
