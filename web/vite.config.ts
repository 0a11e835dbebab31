// The web lab is built into web/dist and embedded in the server binary (crates/hkb-server's
// build script runs `npm run build`). In development, `npm run dev` proxies /api to a server on
// 127.0.0.1:8080 (or HKBUDGET_API).
import { defineConfig } from 'vite';

declare const process: { env: Record<string, string | undefined> };

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '/api': process.env.HKBUDGET_API ?? 'http://127.0.0.1:8080' } },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
} as any);
