// The web lab in a real browser: Debian's chromium driven by playwright-core, against a server
// this test starts on 127.0.0.1 (the binary built by cargo, with the lab embedded). Every page
// loads in both languages with no console error and no failed request; the household page gives
// the README household's tax as the command line does; a reform edit moves the revenue figure and
// the deciles chart; a package's contributions add up to its total on screen; a saved scenario
// survives a server restart and reloads from its link; a shared link reproduces the state in a
// fresh browser; axe-core finds no serious or critical violation. Timings go to
// test-results/timings.json (docs/PERFORMANCE.md records them).
//
//   HKBUDGET_BIN=../target/debug/hkbudget node --test tests/browser/
//   HKBUDGET_SHOTS=screenshots also saves every page in both languages at 390 and 1440 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = resolve(process.env.HKBUDGET_BIN ?? join(ROOT, '../target/debug/hkbudget'));
const CHROMIUM = process.env.HKBUDGET_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const PAGES = ['/', '/household', '/reform', '/outlook', '/proposals', '/params', '/saved'];
const SHOTS = process.env.HKBUDGET_SHOTS;
const work = mkdtempSync(join(tmpdir(), 'hkbudget-browser-'));
const timings = {};

/** A free loopback port (the restart test needs the same port twice). */
function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => ok(p));
    });
    s.on('error', fail);
  });
}

let server = null;
let base = '';
let port = 0;

async function startServer() {
  const child = spawn(BIN, ['serve', '--addr', `127.0.0.1:${port}`, '--db', join(work, 'lab.sqlite'), '--persons', '20000', '--businesses', '2000'], {
    env: { ...process.env, HKBUDGET_CACHE: join(work, 'cache'), HKBUDGET_LOG: 'warn', HKBUDGET_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`the server did not start: ${err}`)), 120_000);
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        ok(line.trim().replace(/\/$/, ''));
      }
    });
    child.on('exit', (c) => fail(new Error(`the server exited (${c}): ${err}`)));
  });
  server = child;
  base = url;
}

async function stopServer() {
  if (!server) return;
  const s = server;
  server = null;
  await new Promise((ok) => {
    s.on('exit', ok);
    s.kill('SIGTERM');
  });
}

let browser;

before(async () => {
  assert.ok(existsSync(BIN), `no server binary at ${BIN}: build it with cargo build -p hkbudget`);
  assert.ok(existsSync(CHROMIUM), `no chromium at ${CHROMIUM}: apt-get install chromium`);
  port = await freePort();
  await startServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await stopServer();
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(join(ROOT, 'test-results', 'timings.json'), JSON.stringify(timings, null, 2) + '\n');
  console.log('timings (ms):', JSON.stringify(timings));
});

/** A fresh context and page that records console errors and failed requests. */
async function open(opts = {}) {
  const ctx = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: 900 }, bypassCSP: !!opts.bypassCSP });
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A request the page cancelled itself (a superseded computation) is not a failure.
    if (!/ERR_ABORTED/.test(r.failure()?.errorText ?? '')) problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return { ctx, page, problems };
}

const encode = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Words of the app's own English that must not appear on a Chinese page. */
const ENGLISH = ['Household', 'Overview', 'Outlook', 'Proposals', 'Parameters', 'Loading', 'Computing', 'Save scenario', 'Reproduce this', 'Tax payable', 'Revenue', 'Expenditure', 'Reserves'];

async function visibleText(page) {
  return page.evaluate(() => {
    const clone = document.body.cloneNode(true);
    clone.querySelectorAll('code, pre, a[href^="http"], .source, [lang="en"]').forEach((n) => n.remove());
    return clone.innerText;
  });
}

test('the lab opens in Traditional Chinese by default', async () => {
  const { ctx, page, problems } = await open();
  await page.goto(`${base}/`);
  await page.waitForSelector('main h1');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hant');
  assert.match(await page.textContent('main h1'), /[\u4e00-\u9fff]/);
  assert.equal(new URL(page.url()).searchParams.get('lang'), 'zh');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('every page loads in both languages with no console error or failed request', async () => {
  for (const lang of ['zh', 'en']) {
    for (const path of PAGES) {
      for (const width of SHOTS ? [390, 1440] : [1280]) {
        const { ctx, page, problems } = await open({ width });
        const t0 = Date.now();
        await page.goto(`${base}${path}?lang=${lang}`, { waitUntil: 'networkidle' });
        const loaded = Date.now() - t0;
        await page.waitForSelector('main h1');
        if (width === 1280 || width === 1440) timings[`load ${path} ${lang}`] = loaded;
        const htmlLang = await page.getAttribute('html', 'lang');
        assert.equal(htmlLang, lang === 'zh' ? 'zh-Hant' : 'en', `${path} ${lang}`);
        if (lang === 'zh') {
          const text = await visibleText(page);
          for (const w of ENGLISH) assert.ok(!text.includes(w), `${path}: English '${w}' on the Chinese page`);
        }
        if (SHOTS) {
          await page.waitForTimeout(500);
          await page.screenshot({ path: join(SHOTS, `${path.replace(/\W+/g, '_') || 'overview'}-${lang}-${width}.png`), fullPage: true });
        }
        assert.deepEqual(problems, [], `${path} ${lang} ${width}`);
        await ctx.close();
      }
    }
  }
});

test("the household page gives the README household's tax, as the command line does", async () => {
  // PwC's published 2024/25 sample: 9,700 before the reduction, 8,200 after.
  const cli = JSON.parse(
    execFileSync(BIN, ['calc', 'salaries', '--year', '2024/25', '--income', '700000', '--mpf', '18000', '--donations', '3000', '--married', '--children', '2', '--format', 'json'], {
      env: { ...process.env, HKBUDGET_CACHE: join(work, 'cache') },
    }).toString(),
  );
  assert.equal(cli.tax_payable, 8200);
  const { ctx, page, problems } = await open();
  const state = { tab: 'salaries', compare: 'none', form: { year: '2024/25', married: true, children: 2, newborns: 0, parents: 0, income: 700000, mpf: 18000, donations: 3000, homeLoan: 0, spouseIncome: 0, spouseMpf: 0 } };
  await page.goto(`${base}/household?lang=zh&s=${encode(state)}`);
  const tax = page.getByTestId('tax-payable');
  await tax.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=tax-payable]')?.textContent === 'HK$8,200');
  assert.equal(await tax.textContent(), `HK$${cli.tax_payable.toLocaleString('en-US')}`);
  // Typing an income answers at once: time from the input to the new figure on screen.
  const ms = await page.evaluate(async () => {
    const input = document.getElementById('hh-income');
    const out = document.querySelector('[data-testid=tax-payable]');
    const before = out.textContent;
    const t0 = performance.now();
    input.value = '900000';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((ok) => {
      const obs = new MutationObserver(() => {
        if (out.textContent !== before) {
          obs.disconnect();
          ok();
        }
      });
      obs.observe(out, { childList: true, characterData: true, subtree: true });
    });
    return performance.now() - t0;
  });
  timings['household answer after input'] = Math.round(ms * 10) / 10;
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('a shared link reproduces the state in a fresh browser', async () => {
  const a = await open();
  await a.page.goto(`${base}/household?lang=en`);
  await a.page.getByTestId('tax-payable').waitFor();
  await a.page.fill('#hh-income', '1234000');
  await a.page.waitForFunction(() => new URL(location.href).searchParams.get('s')?.length > 0);
  await a.page.waitForTimeout(300);
  const shown = await a.page.getByTestId('tax-payable').textContent();
  const url = a.page.url();
  await a.ctx.close();
  const b = await open();
  await b.page.goto(url);
  await b.page.getByTestId('tax-payable').waitFor();
  await b.page.waitForFunction((v) => document.querySelector('[data-testid=tax-payable]')?.textContent === v, shown);
  assert.equal(await b.page.inputValue('#hh-income'), '1234000');
  assert.equal(await b.page.getByTestId('tax-payable').textContent(), shown);
  assert.deepEqual(b.problems, []);
  await b.ctx.close();
});

test('moving a reform slider changes the revenue figure and the deciles chart', async () => {
  const { ctx, page, problems } = await open();
  await page.goto(`${base}/reform?lang=zh`);
  const revenue = page.getByTestId('revenue-change');
  const field = page.getByTestId('input-salaries_tax.allowances.basic');
  await field.waitFor();
  // Start from a known edit, then move it further.
  await field.fill('140000');
  await page.waitForFunction(() => document.querySelector('[data-testid=revenue-change]')?.textContent?.match(/\d/));
  await page.waitForTimeout(600);
  const before = await revenue.textContent();
  const deciles = () =>
    page.evaluate(() => {
      const c = document.querySelector('[data-testid=deciles-chart]');
      return c?.getAttribute('data-values') ?? c?.closest('[data-values]')?.getAttribute('data-values') ?? null;
    });
  const decilesBefore = await deciles();
  const slider = page.getByTestId('param-salaries_tax.allowances.basic');
  const t0 = Date.now();
  await slider.focus();
  for (let i = 0; i < 10; i++) await slider.press('ArrowRight');
  await page.waitForFunction((b) => {
    const t = document.querySelector('[data-testid=revenue-change]')?.textContent;
    return t && t !== b;
  }, before);
  timings['reform edit to revenue figure'] = Date.now() - t0;
  await page.waitForTimeout(400);
  const decilesAfter = await deciles();
  assert.ok(decilesAfter, 'the deciles chart carries its data');
  assert.notEqual(decilesAfter, decilesBefore, 'the deciles chart changed');
  assert.notEqual(await revenue.textContent(), before);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('the deciles switch to households and back, and the link keeps the choice', async () => {
  const { ctx, page, problems } = await open();
  await page.goto(`${base}/reform?lang=en`);
  const field = page.getByTestId('input-salaries_tax.allowances.basic');
  await field.waitFor();
  await field.fill('150000');
  const section = page.locator('section[aria-labelledby=rf-deciles-h]');
  await section.getByTestId('deciles-by-household').click();
  await page.waitForFunction(() => document.querySelector('#rf-deciles-h')?.textContent?.includes('household'));
  const header = await section.locator('thead th').last().textContent();
  assert.equal(header?.trim(), 'Households');
  // The shared link carries the choice: a fresh page opens on households.
  const url = page.url();
  assert.match(url, /s=/);
  const second = await ctx.newPage();
  await second.goto(url);
  await second.waitForFunction(() => document.querySelector('#rf-deciles-h')?.textContent?.includes('household'));
  await second.close();
  await section.getByTestId('deciles-by-earner').click();
  await page.waitForFunction(() => !document.querySelector('#rf-deciles-h')?.textContent?.includes('household'));
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("a package runs and its contributions add up to its total on screen", async () => {
  const { ctx, page, problems } = await open();
  const pkg = { name: { en: 'Test package', zh: '測試組合' }, proposals: [{ id: '2.1(4)', set: { take_up: 0.5 } }, { id: '3.2(1)' }, { id: '1.3(1)' }] };
  await page.goto(`${base}/proposals?lang=zh&s=${encode({ package: pkg, view: 'package' })}`);
  await page.getByTestId('package-total').first().waitFor({ timeout: 60_000 });
  const check = await page.evaluate(() => {
    const totals = [...document.querySelectorAll('[data-testid=package-total]')];
    return totals.map((t) => {
      const year = t.getAttribute('data-year');
      const sum = [...document.querySelectorAll(`[data-testid=contribution][data-year="${year}"]`)].reduce((a, c) => a + Number(c.getAttribute('data-value')), 0);
      return { year, total: Number(t.getAttribute('data-value')), sum, shown: t.textContent };
    });
  });
  assert.ok(check.length >= 5, `totals for ${check.length} years`);
  for (const c of check) {
    assert.ok(Math.abs(c.sum - c.total) < 1e-6, `${c.year}: contributions ${c.sum} against total ${c.total}`);
    assert.match(c.shown, /\d/);
  }
  assert.ok(check.some((c) => c.total !== 0), 'the package does something');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('a saved scenario survives a server restart and reloads from its link', async () => {
  const { ctx, page, problems } = await open();
  const state = { tab: 'salaries', compare: 'none', form: { year: '2026/27', married: true, children: 1, newborns: 0, parents: 1, income: 880000, mpf: 18000, donations: 0, homeLoan: 0, spouseIncome: 0, spouseMpf: 0 } };
  await page.goto(`${base}/household?lang=zh&s=${encode(state)}`);
  await page.getByTestId('tax-payable').waitFor();
  await page.waitForTimeout(300);
  const shown = await page.getByTestId('tax-payable').textContent();
  await page.getByRole('button', { name: '儲存情景' }).first().click();
  await page.getByTestId('save-confirm').click();
  const link = await page.getByTestId('saved-link').locator('a').getAttribute('href');
  assert.match(link, /scenario=[0-9a-f]{20}/);
  assert.deepEqual(problems, []);
  await ctx.close();
  await stopServer();
  await startServer();
  // Only the scenario id: the page must read the household from the store.
  const id = new URL(link).searchParams.get('scenario');
  const b = await open();
  await b.page.goto(`${base}/household?lang=zh&scenario=${id}`);
  await b.page.getByTestId('tax-payable').waitFor();
  await b.page.waitForFunction((v) => document.querySelector('[data-testid=tax-payable]')?.textContent === v, shown, { timeout: 20_000 });
  assert.equal(await b.page.inputValue('#hh-income'), '880000');
  assert.deepEqual(b.problems, []);
  await b.ctx.close();
});

test('axe-core finds no serious or critical violation on any page', async () => {
  const axe = join(ROOT, 'node_modules/axe-core/axe.min.js');
  for (const lang of ['zh', 'en']) {
    for (const path of PAGES) {
      // axe is injected as an inline script: this context lifts the page's CSP for the check.
      const { ctx, page } = await open({ bypassCSP: true });
      await page.goto(`${base}${path}?lang=${lang}`, { waitUntil: 'networkidle' });
      await page.waitForSelector('main h1');
      await page.addScriptTag({ path: axe });
      const found = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      });
      assert.deepEqual(found, [], `${path} ${lang}`);
      await ctx.close();
    }
  }
});
