// End-to-end check of what needs a real Vigie behind the UI: logins and roles, live updates,
// acknowledging an alarm, the configuration check, saving a board, an embed link that cannot act.
// Run by ui/e2e_test.go against `vigie demo` (the reference storm), or by hand:
//
//   BASE_URL=http://127.0.0.1:8080 E2E_PASSWORD=... node e2e/real.spec.mjs
//
// Users (made beforehand with `vigie user add`): operateur (operator), admin (admin) and lecteur
// (viewer), all with the password E2E_PASSWORD. Env: CHROMIUM (default /usr/bin/chromium),
// SCREENSHOTS (default ../docs/screenshots from ui/), ALARM_WAIT_MS (default 120000), PORTAL_URL
// (a page on an origin Vigie lets frame its embed pages — VIGIE_EMBED_ORIGINS — showing ?src= in
// an iframe; the embed step fails without it).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/$/, '');
const PASSWORD = process.env.E2E_PASSWORD ?? '';
const OUT = resolve(process.env.SCREENSHOTS ?? join(here, '..', '..', 'docs', 'screenshots'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ALARM_WAIT_MS = Number(process.env.ALARM_WAIT_MS ?? 120000);
const PORTAL_URL = (process.env.PORTAL_URL ?? '').replace(/\/$/, '');
const TIMEOUT = 15000;

if (!BASE_URL || !PASSWORD) {
  console.error('BASE_URL and E2E_PASSWORD are required');
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
    console.log(`FAIL ${name}: ${e?.stack ?? e}`);
    throw e;
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** Evaluates fn(arg) in the page every interval ms until it returns a truthy value. */
async function poll(page, fn, arg, what, timeout = 30000, interval = 500) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await page.evaluate(fn, arg);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2.1 A/AA rules; serious and critical violations fail. */
async function audit(page, name) {
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
  assert(bad.length === 0, `${bad.length} serious accessibility violation(s) on ${name}`);
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

async function newPage(opts = {}) {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 1000 },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    ...opts,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page };
}

async function login(page, user, returnTo = '/') {
  await page.goto(`${BASE_URL}/login?return=${encodeURIComponent(returnTo)}`);
  await page.fill('[data-testid="login-user"]', user);
  await page.fill('[data-testid="login-password"]', PASSWORD);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.click('[data-testid="login-submit"]'),
  ]);
  await page.waitForSelector('[data-testid="who"]');
}

try {
  const { page: op } = await newPage();

  await step('a wrong password is refused plainly', async () => {
    await op.goto(`${BASE_URL}/login`);
    await op.fill('[data-testid="login-user"]', 'operateur');
    await op.fill('[data-testid="login-password"]', 'not the password');
    await op.click('[data-testid="login-submit"]');
    const msg = await op.locator('[data-testid="login-error"]').innerText();
    assert(/incorrect/i.test(msg), `error message: ${msg}`);
    await op.screenshot({ path: join(OUT, 'login.png') });
    await audit(op, 'login');
  });

  await step(
    'an operator logs in and sees the overview live (SSE over the session cookie)',
    async () => {
      await login(op, 'operateur');
      const who = await op.locator('[data-testid="who"]').innerText();
      assert(who.includes('operateur'), `header says ${who}`);
      await op.waitForSelector('[data-testid="dam-card"]');
      await op.waitForFunction(() =>
        document.querySelector('[data-testid="connection"]')?.className.includes('conn-online'),
      );
      // A reading event changes a card: the demo feeds one per sensor per second.
      const before = await op.locator('[data-testid="dam-card"]').first().innerText();
      const t0 = Date.now();
      await op.waitForFunction(
        (b) => document.querySelector('[data-testid="dam-card"]')?.innerText !== b,
        before,
        { timeout: 10000 },
      );
      console.log(`     the first card changed ${Date.now() - t0} ms after being read`);
    },
  );

  await step('a reading is on the overview within 1 s of being recorded', async () => {
    // The page's own stream (cookie-authenticated) says when each reading was recorded; the
    // first card must show that value within a second of that time.
    const latencies = await op.evaluate(async () => {
      const card = document.querySelector('[data-testid="dam-card"]');
      const name = card.querySelector('.card-title').textContent.trim();
      const site = await (await fetch('/api/v1/site')).json();
      const dam = site.dams.find((d) => d.name === name);
      const sensor = dam.sensors.find((x) => x.kind === 'water_level') ?? dam.sensors[0];
      const fmt = (v) =>
        v.toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      const shown = () => card.querySelector('.figure.level .big').textContent.trim();
      const out = [];
      await new Promise((resolve, reject) => {
        const es = new EventSource('/api/v1/stream');
        const timer = setTimeout(() => {
          es.close();
          reject(new Error(`only ${out.length} reading(s) seen on the stream in 20 s`));
        }, 20000);
        es.addEventListener('sensor.readings_recorded', (ev) => {
          const rec = JSON.parse(ev.data);
          if (rec.data.sensor !== sensor.id) return;
          const want = fmt(rec.data.readings[rec.data.readings.length - 1].v);
          const recorded = Date.parse(rec.time);
          const check = () => {
            if (shown() === want) {
              out.push(Date.now() - recorded);
              if (out.length >= 5) {
                clearTimeout(timer);
                es.close();
                resolve();
              }
            } else if (Date.now() - recorded < 3000) {
              requestAnimationFrame(check);
            } else {
              out.push(Infinity);
            }
          };
          check();
        });
      });
      return out;
    });
    console.log(
      `     recorded → on screen (ms): ${latencies.map((x) => Math.round(x)).join(', ')}`,
    );
    assert(
      latencies.every((x) => x <= 1000),
      `a reading took more than 1 s to show: ${latencies.join(', ')} ms`,
    );
  });

  let alarmId = '';
  await step('the operator acknowledges an alarm from the console; the cascade shows', async () => {
    await op.click('[data-testid="nav-alarms"]');
    await op.waitForSelector('[data-testid="ack"]', { timeout: ALARM_WAIT_MS });
    await op.waitForTimeout(500);
    await op.screenshot({ path: join(OUT, 'alarms-console.png'), fullPage: false });
    await audit(op, 'alarm console');
    // Who was paged is named (not the configuration's id), and why a page failed is in French.
    const cascades = (await op.locator('[data-testid="cascade"]').allInnerTexts()).join('\n');
    if (cascades) {
      assert(!/\bop-[a-z]/.test(cascades), `the cascade shows operator ids: ${cascades}`);
      assert(!/ is configured|gave up after/.test(cascades), `a reason in English: ${cascades}`);
      console.log(`     cascade: ${cascades.split('\n').slice(0, 3).join(' | ')}`);
    }
    const row = op
      .locator('[data-testid="alarm-row"]')
      .filter({ has: op.locator('[data-testid="ack"]') })
      .first();
    const [resp] = await Promise.all([
      op.waitForResponse((r) => /\/api\/v1\/alarms\/.+\/ack$/.test(r.url())),
      row.locator('[data-testid="ack"]').click(),
    ]);
    assert(resp.status() === 200, `ack answered ${resp.status()}: ${await resp.text()}`);
    const body = await resp.json();
    assert(body.alarm.acked_by === 'user:operateur', `acked by ${body.alarm.acked_by}`);
    assert(
      body.alarm.state === 'ack_active' || body.alarm.state === 'normal',
      `state ${body.alarm.state}`,
    );
    alarmId = body.alarm.id;
    if (body.alarm.cascade) {
      // The cascade engine stops the paging when it reads the acknowledgement from the log.
      const stopped = await poll(
        op,
        async (id) => {
          const r = await fetch(`/api/v1/alarms/${encodeURIComponent(id)}`);
          const a = await r.json();
          return a.cascade?.running === false ? a.cascade.stop_reason || 'stopped' : false;
        },
        alarmId,
        'the cascade to stop',
        10000,
        250,
      );
      console.log(`     cascade stopped: ${stopped}`);
    }
  });

  await step('a shelved alarm comes back by itself at expiry', async () => {
    // The console's dialog shelves for hours; the API takes any expiry: 6 s here.
    const result = await op.evaluate(async () => {
      const session = await (await fetch('/api/v1/session')).json();
      const list = await (await fetch('/api/v1/alarms?state=unack_active,ack_active')).json();
      const a = list.alarms.find((x) => x.active);
      if (!a) return { error: 'no active alarm to shelve' };
      const until = new Date(Date.now() + 6000).toISOString();
      const r = await fetch(`/api/v1/alarms/${encodeURIComponent(a.id)}/shelve`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
        body: JSON.stringify({ reason: 'essai de bout en bout', until }),
      });
      return { id: a.id, status: r.status, body: await r.text() };
    });
    assert(!result.error, result.error);
    const shelvedAt = Date.now();
    assert(result.status === 200, `shelve answered ${result.status}: ${result.body}`);
    assert(JSON.parse(result.body).alarm.state === 'shelved', `state after shelve: ${result.body}`);
    const t0 = Date.now();
    const back = await poll(
      op,
      async (id) => {
        const a = await (await fetch(`/api/v1/alarms/${encodeURIComponent(id)}`)).json();
        return a.state !== 'shelved' ? a.state : false;
      },
      result.id,
      'the alarm to come back from the shelf',
    );
    assert(Date.now() - shelvedAt >= 5000, 'the alarm came back before its shelve expired');
    console.log(
      `     back from the shelf as ${back}, ${Date.now() - t0} ms after shelving for 6 s`,
    );
  });

  await step('a viewer sees the alarms but cannot act', async () => {
    const { page: viewer, context } = await newPage();
    await login(viewer, 'lecteur', '/alarms');
    await viewer.waitForSelector('[data-testid="alarm-row"]');
    assert(
      (await viewer.locator('[data-testid="ack"]').count()) === 0,
      'the viewer is offered to acknowledge',
    );
    assert((await viewer.locator('[data-testid="read-only"]').count()) > 0, 'no read-only mark');
    await context.close();
  });

  let boardUrl = '';
  await step(
    'the operator composes a board, drags a widget, resizes one and saves it',
    async () => {
      await op.click('[data-testid="nav-boards"]');
      await op.fill('[data-testid="new-board-title"]', 'Astreinte de nuit');
      await op.click('[data-testid="new-board"]');
      await op.waitForURL(/\/boards\/d-/);
      boardUrl = op.url();
      await op.waitForSelector('[data-testid="board-widget"]');
      await op.click('[data-testid="board-edit"]');
      // Add a map, make it wider.
      await op.click('[data-testid="add-type"]');
      await op.getByRole('option', { name: /Carte des ouvrages/ }).click();
      const before = await op.locator('[data-testid="board-widget"]').count();
      await op.click('[data-testid="add-widget"]');
      // The count once the new widget is on screen (not before Angular has drawn it).
      const n = before + 1;
      await op.waitForFunction(
        (k) => document.querySelectorAll('[data-testid="board-widget"]').length === k,
        n,
      );
      await op.locator('[data-testid="widget-wider"]').last().click();
      // Drag the alarm list by its handle to the top left.
      const types = () =>
        op.$$eval('[data-testid="board-widget"]', (els) =>
          els.map((e) => e.getAttribute('data-type')),
        );
      const order = await types();
      const handle = op.locator('[data-testid="board-widget"][data-type="alarm-list"] .drag');
      const target = op.locator('[data-testid="board-widget"]').first();
      const hb = await handle.boundingBox();
      const tb = await target.boundingBox();
      await op.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
      await op.mouse.down();
      await op.mouse.move(hb.x + 20, hb.y + 10, { steps: 5 });
      await op.mouse.move(tb.x + tb.width / 2, tb.y + tb.height / 2, { steps: 15 });
      await op.mouse.up();
      await op.waitForTimeout(400);
      const dragged = await types();
      assert(
        dragged.indexOf('alarm-list') < order.indexOf('alarm-list'),
        `the alarm list did not move up: ${order.join(',')} -> ${dragged.join(',')}`,
      );
      await op.screenshot({ path: join(OUT, 'board-edit.png'), fullPage: true });
      const [resp] = await Promise.all([
        op.waitForResponse(
          (r) => /\/api\/v1\/dashboards\/d-/.test(r.url()) && r.request().method() === 'PUT',
        ),
        op.click('[data-testid="board-save"]'),
      ]);
      assert(resp.status() === 200, `save answered ${resp.status()}: ${await resp.text()}`);
      await op.waitForSelector('[data-testid="board-saved"]');
      await op.reload();
      await op.waitForSelector('[data-testid="board-widget"]');
      const after = await types();
      assert(after.length === n, `${after.length} widgets after reload, want ${n}`);
      assert(after.includes('map'), 'the map was not saved');
      console.log(
        `     order before drag ${order.join(',')}; after drag ${dragged.join(',')}; saved ${after.join(',')}`,
      );
      assert(
        JSON.stringify(after) === JSON.stringify(dragged),
        'the saved order is not the one on screen',
      );
      await op.waitForTimeout(500);
      await op.screenshot({ path: join(OUT, 'board.png'), fullPage: true });
      await audit(op, 'board');
    },
  );

  await step(
    'the map places the dams by their coordinates, and a dam opens from the keyboard',
    async () => {
      // The demo runs examples/nimes.yaml, whose dams carry their coordinates (location): the
      // API serves them, and the map places the dams by them, with no coordinates of its own.
      const located = await op.evaluate(async () => {
        const { dams } = await (await fetch('/api/v1/dams')).json();
        return dams.map((d) => [d.id, d.location?.lat, d.location?.lon]);
      });
      assert(
        located.length >= 3 &&
          located.every(
            ([, lat, lon]) => Math.abs(lat - 43.87) < 0.1 && Math.abs(lon - 4.36) < 0.1,
          ),
        `the dams' configured coordinates: ${JSON.stringify(located)}`,
      );
      // Taller, for the screenshot; any coordinates the widget had are taken out.
      const status = await op.evaluate(async (url) => {
        const id = new URL(url).pathname.split('/').pop();
        const csrf = (await (await fetch('/api/v1/session')).json()).csrf_token;
        const board = await (await fetch(`/api/v1/dashboards/${id}`)).json();
        for (const w of board.widgets) {
          if (w.type === 'map') {
            w.h = Math.max(w.h, 5);
            const { coordinates, ...rest } = w.options ?? {};
            w.options = rest;
          }
        }
        const r = await fetch(`/api/v1/dashboards/${id}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
          body: JSON.stringify({
            title: board.title,
            shared_with: board.shared_with,
            widgets: board.widgets,
          }),
        });
        return r.status + ' ' + (r.ok ? '' : await r.text());
      }, boardUrl);
      assert(status.startsWith('200'), `saving the map: ${status}`);
      await op.goto(boardUrl);
      const map = op.locator('[data-testid="dam-map"]');
      await map.waitFor();
      assert(
        /coordonnées/.test((await map.getAttribute('aria-label')) ?? ''),
        'the map is not placed by coordinates',
      );
      const spots = op.locator('[data-testid="map-dam"]');
      assert((await spots.count()) >= 3, `${await spots.count()} dams on the map`);
      const label = (await spots.first().getAttribute('aria-label')) ?? '';
      assert(/Ouvrir le détail/.test(label) && /,|:/.test(label), `dam label: ${label}`);
      await op.waitForTimeout(500);
      await op
        .locator('[data-testid="board-widget"][data-type="map"]')
        .screenshot({ path: join(OUT, 'board-map.png') });
      await audit(op, 'board with a map');
      await spots.first().focus();
      await Promise.all([op.waitForURL(/\/dams\//), op.keyboard.press('Enter')]);
      await op.goto(boardUrl);
      await op.waitForSelector('[data-testid="board-widget"]');
    },
  );

  await step(
    'an embed link shows the board read-only, in a frame, and cannot acknowledge',
    async () => {
      await op.click('[data-testid="embed-create"]');
      const url = (await op.locator('[data-testid="embed-url"]').innerText()).trim();
      assert(url.includes('/embed/') && url.includes('token='), `embed URL ${url}`);
      const token = new URL(url).searchParams.get('token');
      assert(PORTAL_URL, 'PORTAL_URL is not set');
      // Only the portal may frame an embed page; the application's pages, nobody.
      const embedCSP = (await fetch(url)).headers.get('content-security-policy') ?? '';
      assert(embedCSP.includes(`frame-ancestors ${PORTAL_URL}`), `embed page CSP: ${embedCSP}`);
      const app = await fetch(`${BASE_URL}/`);
      assert(
        app.headers.get('x-frame-options') === 'DENY' &&
          app.headers.get('content-security-policy') === "frame-ancestors 'none'",
        `app page: ${app.headers.get('x-frame-options')} / ${app.headers.get('content-security-policy')}`,
      );
      const { page: portal, context } = await newPage({ viewport: { width: 900, height: 700 } });
      // A site that is not the portal (same page, another origin): the browser refuses the frame.
      const elsewhere = PORTAL_URL.replace('127.0.0.1', 'localhost');
      await portal.goto(`${elsewhere}/?src=${encodeURIComponent(url)}`);
      await portal.waitForTimeout(2000);
      assert(
        (await portal.frameLocator('iframe').locator('[data-testid="board-widget"]').count()) === 0,
        'a site that is not the portal could frame the embed page',
      );
      // The authority's portal: another page holding an iframe.
      await portal.goto(`${PORTAL_URL}/?src=${encodeURIComponent(url)}`);
      const frame = portal.frameLocator('iframe');
      await frame.locator('[data-testid="board-widget"]').first().waitFor();
      assert((await frame.locator('nav').count()) === 0, 'the embedded page shows the navigation');
      assert(
        (await frame.locator('[data-testid="ack"]').count()) === 0,
        'the embedded page offers to act',
      );
      await portal.waitForTimeout(1000);
      await portal.screenshot({ path: join(OUT, 'embed.png') });
      // The token itself cannot acknowledge, whatever the page shows.
      const res = await fetch(
        `${BASE_URL}/api/v1/alarms/${encodeURIComponent(alarmId || 'x')}/ack`,
        {
          method: 'POST',
          headers: { 'X-Vigie-Embed': token, 'Content-Type': 'application/json' },
          body: '{}',
        },
      );
      assert(res.status === 403, `ack with the embed token answered ${res.status}`);
      await context.close();
    },
  );

  await step(
    'an administrator checks a configuration and gets located, plain messages',
    async () => {
      const { page: admin, context } = await newPage();
      await login(admin, 'admin', '/config');
      await admin.waitForSelector('table.data tbody tr');
      await admin.waitForTimeout(300);
      await admin.screenshot({ path: join(OUT, 'config.png'), fullPage: false });
      await audit(admin, 'configuration');
      await admin.getByRole('tab', { name: 'Modifier' }).click();
      const editor = admin.locator('[data-testid="config-yaml"]');
      const yaml = await editor.inputValue();
      const broken = yaml.replace(/capacity_m3:\s*[\d_.]+/, 'capacity_m3: -5');
      assert(broken !== yaml, 'no capacity_m3 in the configuration to break');
      await editor.fill(broken);
      await admin.click('[data-testid="config-check"]');
      const problems = admin.locator('[data-testid="config-problems"]');
      await problems.waitFor();
      const text = await problems.innerText();
      assert(
        /Ligne \d+/.test(text) && /Ouvrage \d/.test(text) && /capacité \(m³\)/.test(text),
        `problems: ${text}`,
      );
      // The problem itself is in French too (its code, translated), not the server's English.
      assert(
        /doit être un volume supérieur à 0 m³ \(reçu -5\)/.test(text) && !/must be/.test(text),
        `problem not translated: ${text}`,
      );
      assert(
        (await admin.locator('[data-testid="config-apply"]').isDisabled()) === true,
        'apply is offered for a configuration with mistakes',
      );
      await admin.locator('[data-testid="config-problems"] button').first().click();
      await admin.waitForTimeout(300);
      await admin.screenshot({ path: join(OUT, 'config-check.png'), fullPage: false });
      await context.close();
    },
  );

  await step('an administrator replays the last 24 hours and reads the comparison', async () => {
    const { page: admin, context } = await newPage();
    await login(admin, 'admin', '/replay');
    const editor = admin.locator('[data-testid="replay-yaml"]');
    await admin.waitForFunction(() =>
      document.querySelector('[data-testid="replay-yaml"]')?.value.includes('dams'),
    );
    await audit(admin, 'replay form');
    // A broken configuration: located problems, nothing replayed.
    const yaml = await editor.inputValue();
    await editor.fill(yaml.replace(/capacity_m3:\s*[\d_.]+/, 'capacity_m3: -5'));
    await admin.click('[data-testid="replay-run"]');
    const problems = admin.locator('[data-testid="replay-problems"]');
    await problems.waitFor();
    assert(/Ligne \d+/.test(await problems.innerText()), 'no located problem');
    await admin.click('[data-testid="replay-in-force"]');
    await admin.click('[data-testid="replay-run"]');
    await admin.locator('[data-testid="replay-result"]').waitFor({ timeout: 120_000 });
    const verdict = await admin.locator('[data-testid="replay-verdict"]').innerText();
    assert(verdict.length > 0, 'no verdict');
    await admin.screenshot({ path: join(OUT, 'replay.png'), fullPage: false });
    await audit(admin, 'replay result');
    await context.close();
  });

  await step('logging out ends the session', async () => {
    await op.goto(`${BASE_URL}/`);
    await op.click('[data-testid="logout"]');
    await op.waitForURL(/\/login/);
    const res = await op.evaluate(async () => (await fetch('/api/v1/session')).status);
    assert(res === 401, `session after logout: ${res}`);
    void boardUrl;
  });

  await step('no error in the pages', async () => {
    assert(problems.length === 0, problems.join('\n'));
  });
} catch {
  // Reported by step().
} finally {
  await browser.close();
  console.log(`${passed} passed, ${failed} failed`);
  console.log(`screenshots in ${OUT}`);
  process.exit(failed > 0 ? 1 : 0);
}
