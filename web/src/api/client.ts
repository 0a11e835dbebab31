// The typed client of /api/v1. Types come from the server's own OpenAPI document
// (web/openapi.json, checked against the server by a Rust test; `npm run gen` turns it into
// schema.d.ts), so a field the server renames breaks this build, not a user's page.

import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type ApiErrorBody = Schemas['ApiError'] extends { $ref: string } ? never : Schemas['ApiError'];

type Method = 'get' | 'post' | 'put' | 'delete';

type Op<P extends keyof paths, M extends Method> = paths[P] extends Record<M, infer O> ? O : never;

type JsonOf<T> = T extends { content: { 'application/json': infer J } } ? J : never;

export type Body<P extends keyof paths, M extends Method> =
  Op<P, M> extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;

export type Reply<P extends keyof paths, M extends Method> =
  Op<P, M> extends { responses: infer R }
    ? R extends { 200: infer A }
      ? JsonOf<A>
      : R extends { 201: infer C }
        ? JsonOf<C>
        : unknown
    : never;

/** An error from the API: the engine's {code, field, message: {en, zh}, allowed}. */
export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    public field: string,
    public bilingual: { en: string; zh: string },
    public allowed?: string,
  ) {
    super(bilingual.en);
  }
}

export const BASE = '/api/v1';

/** Fills `{name}` segments of a path. */
function fill(path: string, params?: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(params?.[k] ?? ''));
}

export interface CallOptions {
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

async function call(method: string, path: string, body: unknown, o: CallOptions = {}) {
  let url = BASE + fill(path, o.params);
  if (o.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(o.query)) if (v !== undefined) q.set(k, String(v));
    const s = q.toString();
    if (s) url += '?' + s;
  }
  const res = await fetch(url, {
    method: method.toUpperCase(),
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
    signal: o.signal,
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const e = (data ?? {}) as { code?: string; field?: string; message?: { en: string; zh: string }; allowed?: string };
    throw new ApiError(
      res.status,
      e.code ?? 'unknown',
      e.field ?? '',
      e.message ?? { en: `HTTP ${res.status}`, zh: `HTTP ${res.status}` },
      e.allowed,
    );
  }
  return { data, headers: res.headers, status: res.status };
}

export async function get<P extends keyof paths>(path: P, o?: CallOptions): Promise<Reply<P, 'get'>> {
  return (await call('get', path as string, undefined, o)).data as Reply<P, 'get'>;
}

export async function post<P extends keyof paths>(
  path: P,
  body: Body<P, 'post'>,
  o?: CallOptions,
): Promise<Reply<P, 'post'>> {
  return (await call('post', path as string, body, o)).data as Reply<P, 'post'>;
}

export async function put<P extends keyof paths>(
  path: P,
  body: Body<P, 'put'>,
  o?: CallOptions,
): Promise<Reply<P, 'put'>> {
  return (await call('put', path as string, body, o)).data as Reply<P, 'put'>;
}

export async function del<P extends keyof paths>(path: P, o?: CallOptions): Promise<void> {
  await call('delete', path as string, undefined, o);
}

/** True for the error an aborted (superseded) request raises. */
export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

/** A file download from an export endpoint. */
export async function download(path: string, body: unknown, filename: string): Promise<void> {
  const res = await fetch(BASE + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    const e = await res.json().catch(() => ({}));
    throw new ApiError(res.status, e.code ?? 'unknown', e.field ?? '', e.message ?? { en: 'export failed', zh: '匯出失敗' });
  }
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
