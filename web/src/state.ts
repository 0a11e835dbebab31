// The whole state of a page lives in the URL, so a link reproduces exactly what was seen:
// `?lang=zh&s=<base64url of the page's state as JSON>`. Pages read their state once on load and
// write it back (replaceState) as it changes.

export function encodeState(v: unknown): string {
  const json = JSON.stringify(v);
  const bytes = new TextEncoder().encode(json);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeState<T>(s: string | null | undefined): T | null {
  if (!s) return null;
  try {
    const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '==='.slice((b64.length + 3) % 4));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch {
    return null;
  }
}

/** Reads this page's state from the current URL (null when absent or unreadable). */
export function readState<T>(): T | null {
  return decodeState<T>(new URLSearchParams(location.search).get('s'));
}

/** Writes this page's state into the URL without a new history entry. */
export function writeState(v: unknown): void {
  const q = new URLSearchParams(location.search);
  q.set('s', encodeState(v));
  const url = `${location.pathname}?${q.toString()}${location.hash}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) {
    history.replaceState(history.state, '', url);
  }
}

/** A link to `path` carrying `state` and the language. */
export function link(path: string, lang: string, state?: unknown): string {
  const q = new URLSearchParams();
  q.set('lang', lang);
  if (state !== undefined) q.set('s', encodeState(state));
  return `${path}?${q.toString()}`;
}

/** Calls `f` after `ms` of quiet; the returned function restarts the wait. */
export function debounce<A extends unknown[]>(f: (...a: A) => void, ms: number): (...a: A) => void {
  let t: ReturnType<typeof setTimeout> | undefined;
  return (...a: A) => {
    if (t !== undefined) clearTimeout(t);
    t = setTimeout(() => f(...a), ms);
  };
}
