// Screenshots of one page of the lab, in both languages, at phone and desktop widths, for a
// person to look at (not committed):  node tests/shot.mjs http://127.0.0.1:5173 /household [out-dir]
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, path = '/', out = 'screenshots'] = process.argv.slice(2);
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'hkb-shot-')), {
  executablePath: '/usr/bin/chromium',
  args: FLAGS,
  headless: true,
});
const errors = [];
for (const lang of ['zh', 'en']) {
  for (const width of [390, 1440]) {
    const page = await ctx.newPage();
    page.on('console', (m) => m.type() === 'error' && errors.push(`${lang} ${width}: ${m.text()}`));
    page.on('requestfailed', (r) => errors.push(`${lang} ${width}: failed ${r.url()}`));
    await page.setViewportSize({ width, height: 900 });
    const sep = path.includes('?') ? '&' : '?';
    await page.goto(`${base}${path}${sep}lang=${lang}`, { waitUntil: 'networkidle' });
    await page.waitForTimeout(800);
    const name = `${path.replace(/[^a-z0-9]+/gi, '_') || 'root'}-${lang}-${width}.png`;
    await page.screenshot({ path: join(out, name), fullPage: true });
    console.log(join(out, name));
    await page.close();
  }
}
await ctx.close();
if (errors.length) {
  console.error(errors.join('\n'));
  process.exit(1);
}
