// End-to-end check of the operator UI, against a running Vigie (or e2e/mock-server.mjs).
// Plain node + playwright-core driving the system's Chromium (no browser download):
//
//   BASE_URL=http://127.0.0.1:8080 node e2e/overview.spec.mjs
//
// Env: BASE_URL (required), CHROMIUM (default /usr/bin/chromium), SCREENSHOTS (default
// ../docs/screenshots from ui/), EXPECT_ALARMS=1 to require the alarm console to be served,
// AXE=0 to skip the accessibility audit.
// Opens each screen, checks it shows real content, saves screenshots, runs axe-core (WCAG 2.1
// A/AA rules) on each screen, and exits non-zero at the first failure.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/$/, '');
const OUT = resolve(process.env.SCREENSHOTS ?? join(here, '..', '..', 'docs', 'screenshots'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const EXPECT_ALARMS = process.env.EXPECT_ALARMS === '1';
const RUN_AXE = process.env.AXE !== '0';
const TIMEOUT = 15000;

if (!BASE_URL) {
  console.error('BASE_URL is required, e.g. BASE_URL=http://127.0.0.1:8080');
  process.exit(2);
}
mkdirSync(OUT, { recursive: true });

let passed = 0;
let failed = 0;
const problems = [];

async function step(name, fn) {
  const t = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e?.message ?? e}`);
    throw e;
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

let axeSource = null;
if (RUN_AXE) {
  try {
    axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  } catch {
    console.log('note: axe-core not installed, accessibility audit skipped');
  }
}

/** Runs axe-core's WCAG 2.1 A/AA rules; serious and critical violations fail the step. */
async function audit(page, name) {
  if (!axeSource) return;
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  for (const v of result) {
    console.log(`     axe ${name}: [${v.impact}] ${v.id} — ${v.help} — ${v.nodes.join(' | ')}`);
  }
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert(
    bad.length === 0,
    `${bad.length} serious accessibility violation(s) on ${name}: ${bad.map((v) => v.id).join(', ')}`,
  );
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

try {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

  await step('overview shows a card per dam, live', async () => {
    await page.goto(`${BASE_URL}/`);
    await page.waitForSelector('[data-testid="dam-card"]');
    const cards = await page.locator('[data-testid="dam-card"]').count();
    assert(cards > 0, 'no dam card');
    const text = await page.locator('[data-testid="dam-card"]').first().innerText();
    assert(/\d/.test(text), 'the first card shows no figure');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="connection"]')?.className.includes('conn-online'),
      null,
      { timeout: TIMEOUT },
    );
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(OUT, 'overview.png'), fullPage: true });
    await audit(page, 'overview');
  });

  await step('dark theme is applied and remembered', async () => {
    // The theme is applied by an Angular effect, i.e. at the next change detection after the
    // click, not synchronously: wait for the class instead of reading it once.
    const isDark = () => document.documentElement.classList.contains('theme-dark');
    await page.click('[data-testid="theme-toggle"]');
    await page.waitForFunction(isDark, null, { timeout: 5000 }).catch(() => {
      throw new Error('no dark theme');
    });
    await page.reload();
    await page.waitForSelector('[data-testid="dam-card"]');
    assert(await page.evaluate(isDark), 'dark theme not remembered');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUT, 'overview-dark.png'), fullPage: true });
    await audit(page, 'overview (dark)');
    await page.click('[data-testid="theme-toggle"]');
    await page.waitForFunction(() => !document.documentElement.classList.contains('theme-dark'));
  });

  await step('English is available', async () => {
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const nav = await page.locator('nav').innerText();
    assert(nav.includes('Overview'), `navigation not translated: ${nav}`);
    await page.click('[data-testid="lang-toggle"]');
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
  });

  await step('dam detail shows the level chart and the sensors', async () => {
    await page.locator('[data-testid="dam-card"] a.details-link').first().click();
    await page.waitForSelector('[data-testid="level-chart"] canvas');
    await page.waitForSelector('[data-testid="sensors-table"] tbody tr');
    await page.waitForFunction(
      () => !document.querySelector('.range-line')?.textContent?.includes('chargement'),
    );
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(OUT, 'dam-detail.png'), fullPage: true });
    await audit(page, 'dam detail');
  });

  await step('zooming to 10 minutes re-queries raw readings', async () => {
    const [req] = await Promise.all([
      page.waitForRequest((r) => r.url().includes('/series') && r.url().includes('step=raw')),
      page.getByRole('button', { name: '10 min' }).click(),
    ]);
    assert(req, 'no raw series request');
    const [req2] = await Promise.all([
      page.waitForRequest((r) => r.url().includes('/series') && /step=\d+s/.test(r.url())),
      page.getByRole('button', { name: '1 an' }).click(),
    ]);
    assert(/step=\d+s/.test(req2.url()), `no bucketed request for a year: ${req2.url()}`);
  });

  await step('timeline tells the story and offers exports', async () => {
    await page.click('[data-testid="nav-timeline"]');
    await page.waitForSelector('[data-testid="export-csv"]');
    await page.waitForFunction(() =>
      document.querySelector('.status')?.textContent?.match(/\d+ (événement|event)/),
    );
    const csv = await page.getAttribute('[data-testid="export-csv"]', 'href');
    assert(csv?.includes('format=csv'), `CSV export link: ${csv}`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUT, 'timeline.png'), fullPage: false });
    await audit(page, 'timeline');
  });

  await step('alarm console (or its not-yet-available notice)', async () => {
    await page.click('[data-testid="nav-alarms"]');
    await page.waitForSelector(
      '[data-testid="alarm-table"], [data-testid="alarms-missing"], [data-testid="alarms-empty"]',
    );
    const missing = await page.locator('[data-testid="alarms-missing"]').count();
    assert(!(EXPECT_ALARMS && missing), 'the alarm API is not served');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(OUT, 'alarms.png'), fullPage: true });
    await audit(page, 'alarms');
    await page.click('[data-testid="theme-toggle"]');
    await page.waitForFunction(() => document.documentElement.classList.contains('theme-dark'));
    await page.waitForTimeout(300);
    await audit(page, 'alarms (dark)');
    await page.screenshot({ path: join(OUT, 'alarms-dark.png'), fullPage: true });
    await page.click('[data-testid="theme-toggle"]');
    if (!missing && (await page.locator('[data-testid="ack"]').count()) > 0) {
      const before = await page.locator('[data-testid="ack"]').count();
      await page.locator('[data-testid="alarm-row"]').first().click();
      await page.keyboard.press('a');
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="ack"]').length < n,
        before,
      );
    }
  });

  await step('phone layout', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
    });
    const p = await phone.newPage();
    p.setDefaultTimeout(TIMEOUT);
    await p.goto(`${BASE_URL}/`);
    await p.waitForSelector('[data-testid="dam-card"]');
    await p.waitForTimeout(500);
    const overflow = await p.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert(overflow <= 1, `horizontal scroll on a phone: ${overflow}px`);
    const small = await p.evaluate(
      () =>
        [...document.querySelectorAll('nav a, button, [data-testid="dam-card"] a')]
          .filter((el) => el.offsetParent !== null)
          .map((el) => el.getBoundingClientRect())
          .filter((r) => r.height < 44 || r.width < 44).length,
    );
    assert(small === 0, `${small} touch target(s) under 44 px`);
    await p.screenshot({ path: join(OUT, 'overview-phone.png'), fullPage: true });
    await p.goto(`${BASE_URL}/alarms`);
    await p.waitForSelector(
      '[data-testid="alarm-table"], [data-testid="alarms-missing"], [data-testid="alarms-empty"]',
    );
    await p.waitForTimeout(300);
    await p.screenshot({ path: join(OUT, 'alarms-phone.png'), fullPage: true });
    await phone.close();
  });

  await step('control-room wide screen', async () => {
    const wide = await browser.newContext({
      viewport: { width: 2560, height: 1440 },
      locale: 'fr-FR',
      timezoneId: 'Europe/Paris',
      colorScheme: 'dark',
    });
    const p = await wide.newPage();
    await p.goto(`${BASE_URL}/`);
    await p.waitForSelector('[data-testid="dam-card"]');
    await p.waitForTimeout(500);
    await p.screenshot({ path: join(OUT, 'overview-wide.png') });
    await wide.close();
  });

  await step('offline is shown plainly', async () => {
    await page.goto(`${BASE_URL}/`);
    await page.waitForSelector('[data-testid="dam-card"]');
    await context.setOffline(true);
    await page.waitForSelector('[data-testid="offline-banner"]');
    await page.screenshot({ path: join(OUT, 'offline.png') });
    await context.setOffline(false);
    await page.waitForSelector('[data-testid="offline-banner"]', {
      state: 'detached',
      timeout: 40000,
    });
  });

  const relevant = problems.filter(
    (p) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource|net::ERR/.test(p),
  );
  await step('no error in the browser console', async () => {
    assert(relevant.length === 0, relevant.join('\n'));
  });
} catch {
  // Reported by step().
} finally {
  await browser.close();
  console.log(`${passed} passed, ${failed} failed`);
  console.log(`screenshots in ${OUT}`);
  process.exit(failed > 0 ? 1 : 0);
}
