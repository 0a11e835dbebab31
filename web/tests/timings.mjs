// In-browser timings of the lab against a running server (docs/PERFORMANCE.md records them):
//   node tests/timings.mjs http://127.0.0.1:8080
// For each page: time to the first rendered content (the page's heading) and to its first
// answer on screen (its first table), from navigation start, by the Performance API; the
// household answer after typing an income; a reform edit until the revenue figure changes.
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS, headless: true });
const out = {};
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const path of ['/', '/household', '/reform', '/outlook', '/proposals', '/params']) {
  const h1 = [];
  const table = [];
  for (let i = 0; i < 5; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}${path}?lang=zh`);
    await page.waitForSelector('main h1');
    await page.waitForSelector('main table');
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return { h1: performance.now(), start: nav.startTime };
    });
    // performance.now() when the selector resolved, relative to navigation start.
    h1.push(t.h1 - t.start);
    table.push(t.h1 - t.start);
    await ctx.close();
  }
  out[`${path} first table (ms, median of 5)`] = Math.round(median(table));
}
{
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${base}/household?lang=zh`);
  await page.waitForSelector('[data-testid=tax-payable]');
  await page.waitForTimeout(500);
  const xs = [];
  for (const income of [710000, 720000, 730000, 740000, 750000, 760000, 770000]) {
    xs.push(
      await page.evaluate(async (v) => {
        const input = document.getElementById('hh-income');
        const outEl = document.querySelector('[data-testid=tax-payable]');
        const before = outEl.textContent;
        const t0 = performance.now();
        input.value = String(v);
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((ok) => {
          const obs = new MutationObserver(() => {
            if (outEl.textContent !== before) {
              obs.disconnect();
              ok();
            }
          });
          obs.observe(outEl, { childList: true, characterData: true, subtree: true });
        });
        return performance.now() - t0;
      }, income),
    );
  }
  out['household answer after input (ms, median of 7)'] = Math.round(median(xs) * 10) / 10;
  await ctx.close();
}
{
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${base}/reform?lang=zh`);
  const field = page.getByTestId('input-salaries_tax.allowances.basic');
  await field.waitFor();
  const xs = [];
  for (const v of [140000, 141000, 142000, 143000, 144000]) {
    const before = await page.getByTestId('revenue-change').textContent();
    const t0 = Date.now();
    await field.fill(String(v));
    await page.waitForFunction((b) => document.querySelector('[data-testid=revenue-change]')?.textContent !== b, before);
    xs.push(Date.now() - t0);
    await page.waitForTimeout(600);
  }
  out['reform edit to revenue figure on screen (ms, median of 5; the page sends at most one request per 250 ms)'] = median(xs);
  await ctx.close();
}
await browser.close();
console.log(JSON.stringify(out, null, 2));
