// Screenshots of single sections of a page (by CSS selector), both languages, phone and desktop,
// for a person to look at (not committed):
//   node tests/shot-el.mjs http://127.0.0.1:5173 "/reform?s=..." out-dir "selector" ["selector" ...]
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, path, out, ...selectors] = process.argv.slice(2);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'hkb-shot-')), {
  executablePath: '/usr/bin/chromium',
  args: FLAGS,
  headless: true,
});
for (const lang of ['zh', 'en']) {
  for (const width of [390, 1440]) {
    const page = await ctx.newPage();
    await page.setViewportSize({ width, height: 900 });
    const sep = path.includes('?') ? '&' : '?';
    await page.goto(`${base}${path}${sep}lang=${lang}`, { waitUntil: 'networkidle' });
    for (const [i, sel] of selectors.entries()) {
      const el = page.locator(sel).first();
      await el.waitFor({ timeout: 60000 });
      await page.waitForTimeout(1500);
      const name = join(out, `${lang}-${width}-${i}.png`);
      await el.screenshot({ path: name });
      console.log(name);
    }
    await page.close();
  }
}
await ctx.close();
