// A stand-in for the Vigie server, for trying the UI and its e2e script without the Go binary:
// serves ../dist (or DIST) and the /api/v1 contract with synthetic data around Nîmes.
//
//   node e2e/mock-server.mjs            # http://127.0.0.1:4300
//   PORT=4301 MOCK_ALARMS=0 node e2e/mock-server.mjs   # alarm API answering 404
//
// Only for development: nothing here is part of the product.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const PORT = Number(process.env.PORT ?? 4300);
const HOST = process.env.HOST ?? '127.0.0.1';
const DIST = resolve(process.env.DIST ?? join(here, '..', 'dist'));
const WITH_ALARMS = process.env.MOCK_ALARMS !== '0';
const LIVE_PERIOD_MS = Number(process.env.MOCK_LIVE_MS ?? 2000);
const T0 = Date.now();

const THRESHOLDS = (base) =>
  [
    { name: 'vigilance', level_m: base[0], severity: 'low' },
    { name: 'pré-alerte', level_m: base[1], severity: 'medium' },
    { name: 'alerte', level_m: base[2], severity: 'high' },
    { name: 'danger', level_m: base[3], severity: 'critical' },
  ].map((t) => ({ ...t, deadband_m: 0.05, on_delay_s: 120, off_delay_s: 600 }));

function powerCurve(a, b, hMax, n = 12) {
  const pts = [];
  for (let i = 0; i <= n; i++) {
    const h = (hMax * i) / n;
    pts.push({ h_m: Math.round(h * 100) / 100, v_m3: Math.round(a * h ** b) });
  }
  return pts;
}

const site = {
  name: 'Nîmes — bassins de rétention',
  dams: [
    {
      id: 'mejean',
      name: 'Bassin de Méjean',
      capacity_m3: 180000,
      spillway_crest_m: 6.0,
      dyke_height_m: 7.5,
      storage_curve: { kind: 'power', a: 2200, b: 2.45, points: powerCurve(2200, 2.45, 7.5) },
      sensors: [
        {
          id: 'mejean.level',
          kind: 'water_level',
          unit: 'm',
          plausible_min: -0.5,
          plausible_max: 9,
          period_s: 60,
        },
        {
          id: 'mejean.level2',
          kind: 'water_level',
          unit: 'm',
          plausible_min: -0.5,
          plausible_max: 9,
          period_s: 300,
        },
      ],
      thresholds: THRESHOLDS([2.0, 3.5, 4.5, 5.5]),
    },
    {
      id: 'valdegour',
      name: 'Barrage de Valdegour',
      capacity_m3: 420000,
      spillway_crest_m: 9.0,
      dyke_height_m: 10.5,
      storage_curve: { kind: 'power', a: 3100, b: 2.3, points: powerCurve(3100, 2.3, 10.5) },
      sensors: [
        {
          id: 'valdegour.level',
          kind: 'water_level',
          unit: 'm',
          plausible_min: 0,
          plausible_max: 12,
          period_s: 120,
        },
      ],
      thresholds: THRESHOLDS([3.0, 5.0, 7.0, 8.5]),
    },
    {
      id: 'vacquerolles',
      name: 'Retenue de Vacquerolles',
      capacity_m3: 95000,
      spillway_crest_m: 4.2,
      dyke_height_m: 5.0,
      storage_curve: { kind: 'power', a: 4200, b: 2.1, points: powerCurve(4200, 2.1, 5.0) },
      sensors: [
        {
          id: 'vacquerolles.level',
          kind: 'water_level',
          unit: 'm',
          plausible_min: 0,
          plausible_max: 6,
          period_s: 60,
        },
      ],
      thresholds: THRESHOLDS([1.5, 2.5, 3.4, 4.0]),
    },
    {
      id: 'camplanier',
      name: 'Bassin de Camplanier',
      capacity_m3: 60000,
      spillway_crest_m: 3.5,
      storage_curve: { kind: 'table', points: powerCurve(5000, 2.0, 4.0, 8) },
      sensors: [
        {
          id: 'camplanier.level',
          kind: 'water_level',
          unit: 'm',
          plausible_min: 0,
          plausible_max: 5,
          period_s: 60,
        },
      ],
      thresholds: THRESHOLDS([1.2, 2.0, 2.8, 3.3]),
    },
  ],
};

const damOf = (sensor) => site.dams.find((d) => d.sensors.some((s) => s.id === sensor));
const specOf = (sensor) => damOf(sensor)?.sensors.find((s) => s.id === sensor);

/** Synthetic level (m) of a sensor at time t (ms): a seasonal base and a storm peaking around now. */
function level(sensor, t) {
  const h = (t - T0) / 3600e3; // hours from start
  const day = Math.sin((2 * Math.PI * t) / (86400e3 * 365)) * 0.3;
  const daily = Math.sin((2 * Math.PI * t) / 86400e3) * 0.08;
  const storm = (peakH, height, width) => height * Math.exp(-(((h - peakH) / width) ** 2));
  switch (sensor) {
    case 'mejean.level':
    case 'mejean.level2':
      return 1.2 + day + daily + storm(2, 2.8, 3) + (sensor.endsWith('2') ? 0.02 : 0);
    case 'valdegour.level':
      return 2.2 + day + daily * 0.5 + storm(-30, 1.2, 6);
    case 'vacquerolles.level':
      return 3.2 + day * 0.5 + storm(1, 1.3, 4);
    case 'camplanier.level':
      return 0.6 + day + daily;
  }
  return 0;
}

function volumeAt(curve, h) {
  if (h <= curve[0].h_m) return curve[0].v_m3;
  let i = curve.findIndex((p) => p.h_m >= h);
  if (i === -1) i = curve.length - 1;
  const a = curve[i - 1];
  const b = curve[i];
  return a.v_m3 + ((b.v_m3 - a.v_m3) * (h - a.h_m)) / (b.h_m - a.h_m);
}

/** Camplanier's gauge went silent 25 minutes ago, to show a stale sensor. */
const lastTime = (sensor, now) =>
  sensor === 'camplanier.level' ? now - 25 * 60e3 : now - ((now / 1000) % 20) * 1000;

let position = 1000;
function sensorState(sensor, now = Date.now()) {
  const dam = damOf(sensor);
  const t = lastTime(sensor, now);
  const v = level(sensor, t);
  const trend = (v - level(sensor, t - 3600e3)) / 1;
  const volume = volumeAt(dam.storage_curve.points, v);
  const tts =
    trend > 0.001 && v < dam.spillway_crest_m
      ? ((dam.spillway_crest_m - v) / trend) * 3600
      : undefined;
  return {
    sensor,
    dam: dam.id,
    time: new Date(t).toISOString(),
    value: round(v, 3),
    quality: sensor === 'mejean.level2' ? 'suspect' : 'good',
    recorded_at: new Date(t + 1500).toISOString(),
    trend_m_per_h: round(trend, 3),
    volume_m3: round(volume, 0),
    fill_pct: round((100 * volume) / dam.capacity_m3, 1),
    spilling: v >= dam.spillway_crest_m,
    ...(tts !== undefined && tts < 365 * 86400 ? { time_to_spill: Math.round(tts) } : {}),
    above: dam.thresholds.filter((th) => v >= th.level_m).map((th) => th.name),
    position: position,
  };
}

const round = (v, d) => Math.round(v * 10 ** d) / 10 ** d;

function series(sensor, from, to, stepS) {
  const spec = specOf(sensor);
  const out = [];
  const end = Math.min(to, Date.now());
  if (!stepS) {
    const p = spec.period_s * 1000;
    let t = Math.ceil(from / p) * p;
    for (let n = 0; t < end && n < 20000; t += p, n++) {
      let v = level(sensor, t);
      let quality = 'good';
      if (Math.floor(t / p) % 97 === 0) {
        v = spec.plausible_max + 3;
        quality = 'implausible';
      }
      out.push({
        time: new Date(t).toISOString(),
        min: round(v, 3),
        max: round(v, 3),
        avg: round(v, 3),
        last: round(v, 3),
        count: 1,
        quality,
      });
    }
    return out;
  }
  const s = stepS * 1000;
  let t = Math.floor(from / s) * s;
  for (let n = 0; t < end && n < 5000; t += s, n++) {
    const k = 6;
    const vs = Array.from({ length: k }, (_, i) => level(sensor, t + (s * i) / k));
    out.push({
      time: new Date(t).toISOString(),
      min: round(Math.min(...vs), 3),
      max: round(Math.max(...vs), 3),
      avg: round(vs.reduce((a, b) => a + b, 0) / k, 3),
      last: round(vs[k - 1], 3),
      count: Math.max(1, Math.round(s / (spec.period_s * 1000))),
    });
  }
  return out;
}

/** Timeline: crossings computed from the synthetic curves over the last 3 days, plus a few more. */
function timeline() {
  const now = Date.now();
  const entries = [];
  let pos = 1;
  entries.push({
    position: pos++,
    stream: 'config-vigie',
    type: 'config.applied',
    time: new Date(now - 3 * 86400e3).toISOString(),
    recorded_at: new Date(now - 3 * 86400e3).toISOString(),
    actor: 'config:examples/nimes.yaml',
    summary: 'configuration applied from examples/nimes.yaml',
    data: {
      source: 'file:examples/nimes.yaml',
      actor: 'config:examples/nimes.yaml',
      changes: ['mejean: threshold alerte 4.6 m -> 4.5 m', 'camplanier: added'],
    },
  });
  for (const dam of site.dams) {
    const sensor = dam.sensors[0].id;
    const above = new Set();
    for (let t = now - 3 * 86400e3; t <= now; t += 5 * 60e3) {
      const v = level(sensor, t);
      for (const th of dam.thresholds) {
        const was = above.has(th.name);
        if (!was && v >= th.level_m) {
          above.add(th.name);
          entries.push(
            crossing(
              pos++,
              dam,
              sensor,
              th,
              'up',
              v,
              t,
              sensor === 'valdegour.level' && th.name === 'vigilance',
            ),
          );
        } else if (was && v < th.level_m - 0.05) {
          above.delete(th.name);
          entries.push(crossing(pos++, dam, sensor, th, 'down', v, t, false));
        }
      }
      if (Math.round((t - now) / 60e3) % 360 === 0) {
        entries.push({
          position: pos++,
          stream: `sensor-${sensor}`,
          type: 'sensor.readings_recorded',
          dam: dam.id,
          sensor,
          time: new Date(t).toISOString(),
          recorded_at: new Date(t + 2000).toISOString(),
          summary: `${sensor}: 6 readings`,
          data: {
            sensor,
            dam: dam.id,
            readings: [{ t: new Date(t).toISOString(), v: round(v, 3), q: 'good' }],
          },
        });
      }
    }
  }
  for (const a of alarms.values()) {
    for (const h of a.history) {
      entries.push({
        position: pos++,
        stream: `alarm-${a.id}`,
        type: h.type,
        dam: a.dam,
        sensor: a.sensor,
        time: h.at,
        recorded_at: h.at,
        actor: h.by,
        summary: h.summary,
        data: h.data,
      });
    }
  }
  return entries
    .sort((x, y) => Date.parse(x.time) - Date.parse(y.time))
    .map((e, i) => ({ ...e, position: i + 1 }));
}

function crossing(position, dam, sensor, th, direction, v, t, late) {
  return {
    position,
    stream: `sensor-${sensor}`,
    type: 'sensor.threshold_crossed',
    dam: dam.id,
    sensor,
    time: new Date(t).toISOString(),
    recorded_at: new Date(t + (late ? 3 * 3600e3 : 1500)).toISOString(),
    summary: `${dam.name}: threshold ${th.name} crossed ${direction}`,
    data: {
      sensor,
      dam: dam.id,
      threshold: th.name,
      severity: th.severity,
      direction,
      level_m: th.level_m,
      value_m: round(v, 3),
      at: new Date(t).toISOString(),
      since: new Date(t).toISOString(),
      ...(late ? { late: true } : {}),
    },
  };
}

// Alarms, in memory.
const alarms = new Map();
function addAlarm(a) {
  alarms.set(a.id, {
    comments: [],
    history: [
      {
        type: 'alarm.raised',
        at: a.raised_at,
        summary: `${a.condition} raised`,
        data: { severity: a.severity, dam: a.dam },
      },
    ],
    ...a,
  });
}
addAlarm({
  id: 'a-101',
  dam: 'mejean',
  sensor: 'mejean.level',
  condition: 'level:alerte',
  severity: 'high',
  state: 'unacked',
  raised_at: new Date(T0 - 40 * 60e3).toISOString(),
  value_m: 4.52,
  next_escalation_at: new Date(T0 + 7 * 60e3).toISOString(),
  escalation_step: 1,
});
addAlarm({
  id: 'a-102',
  dam: 'vacquerolles',
  sensor: 'vacquerolles.level',
  condition: 'level:danger',
  severity: 'critical',
  state: 'unacked',
  raised_at: new Date(T0 - 12 * 60e3).toISOString(),
  value_m: 4.05,
  next_escalation_at: new Date(T0 + 3 * 60e3).toISOString(),
  escalation_step: 2,
});
addAlarm({
  id: 'a-103',
  dam: 'mejean',
  sensor: 'mejean.level',
  condition: 'level:pré-alerte',
  severity: 'medium',
  state: 'acked',
  raised_at: new Date(T0 - 95 * 60e3).toISOString(),
  value_m: 3.51,
  acked_by: 'M. Roux',
  acked_at: new Date(T0 - 80 * 60e3).toISOString(),
});
addAlarm({
  id: 'a-104',
  dam: 'camplanier',
  sensor: 'camplanier.level',
  condition: 'sensor:stale',
  severity: 'low',
  state: 'shelved',
  raised_at: new Date(T0 - 5 * 3600e3).toISOString(),
  shelved_until: new Date(T0 + 3 * 3600e3).toISOString(),
  shelve_reason: 'Capteur en maintenance',
});
addAlarm({
  id: 'a-090',
  dam: 'valdegour',
  sensor: 'valdegour.level',
  condition: 'level:vigilance',
  severity: 'low',
  state: 'normal',
  raised_at: new Date(T0 - 30 * 3600e3).toISOString(),
});

const publicAlarm = ({ history, ...a }) => a;

// Server-Sent Events.
const clients = new Set();
function broadcast(type, data, stream) {
  position++;
  const rec = {
    position,
    stream,
    revision: position,
    type,
    time: new Date().toISOString(),
    data,
    metadata: {},
  };
  const msg = `id: ${position}\nevent: ${type}\ndata: ${JSON.stringify(rec)}\n\n`;
  for (const res of clients) res.write(msg);
}
setInterval(() => {
  const now = Date.now();
  for (const dam of site.dams) {
    for (const s of dam.sensors) {
      if (s.id === 'camplanier.level') continue;
      const st = sensorState(s.id, now);
      broadcast(
        'sensor.readings_recorded',
        { sensor: s.id, dam: dam.id, readings: [{ t: st.time, v: st.value, q: st.quality }] },
        `sensor-${s.id}`,
      );
    }
  }
}, LIVE_PERIOD_MS).unref();

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

function json(res, status, body) {
  res.writeHead(status, {
    'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
  });
  res.end(JSON.stringify(body));
}

async function readBody(req) {
  let s = '';
  for await (const chunk of req) s += chunk;
  try {
    return JSON.parse(s || '{}');
  } catch {
    return {};
  }
}

function toCsv(entries) {
  const cols = [
    'position',
    'recorded_at',
    'time',
    'type',
    'dam',
    'sensor',
    'actor',
    'summary',
    'stream',
    'data',
  ];
  const q = (v) => {
    const s = v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return (
    [cols.join(','), ...entries.map((e) => cols.map((c) => q(e[c])).join(','))].join('\n') + '\n'
  );
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const p = url.pathname;
  if (p === '/api/v1/site') return json(res, 200, site);
  if (p === '/api/v1/sensors')
    return json(res, 200, {
      sensors: site.dams.flatMap((d) =>
        d.sensors.map((s) => ({ ...s, dam: d.id, state: sensorState(s.id) })),
      ),
    });
  let m = p.match(/^\/api\/v1\/sensors\/([^/]+)\/series$/);
  if (m) {
    const sensor = decodeURIComponent(m[1]);
    if (!specOf(sensor)) return json(res, 404, { title: 'not found' });
    const from = Date.parse(url.searchParams.get('from') ?? '') || Date.now() - 86400e3;
    const to = Date.parse(url.searchParams.get('to') ?? '') || Date.now();
    const stepParam = url.searchParams.get('step') ?? '';
    const step =
      stepParam === 'raw'
        ? 0
        : parseInt(stepParam, 10) ||
          (to - from <= 6 * 3600e3 ? 0 : Math.ceil((to - from) / 1000 / 1000));
    if (step === 0 && to - from > 7 * 86400e3)
      return json(res, 400, {
        type: 'urn:vigie:problem:invalid-parameter',
        title: 'Bad Request',
        status: 400,
        detail: 'raw ranges are limited to 7 days',
      });
    return json(res, 200, {
      sensor,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      step_s: step,
      points: series(sensor, from, to, step),
    });
  }
  if (p === '/api/v1/timeline') {
    const from = Date.parse(url.searchParams.get('from') ?? '') || 0;
    const to = Date.parse(url.searchParams.get('to') ?? '') || Infinity;
    const dam = url.searchParams.get('dam');
    const types = url.searchParams
      .getAll('type')
      .flatMap((t) => t.split(','))
      .filter(Boolean);
    const csv = url.searchParams.get('format') === 'csv';
    const limit = parseInt(url.searchParams.get('limit') ?? '0', 10) || (csv ? Infinity : 100);
    const after = parseInt(url.searchParams.get('after') ?? '0', 10) || 0;
    const list = timeline()
      .filter(
        (e) =>
          e.position > after &&
          Date.parse(e.time) >= from &&
          Date.parse(e.time) < to &&
          (!dam || e.dam === dam) &&
          (types.length === 0 || types.includes(e.type)),
      )
      .slice(0, limit);
    if (url.searchParams.get('format') === 'csv') {
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="timeline.csv"',
      });
      return res.end(toCsv(list));
    }
    return json(res, 200, {
      entries: list,
      next_after: list.length ? list[list.length - 1].position : after,
    });
  }
  if (p === '/api/v1/events')
    return json(res, 200, { events: [], next_after: Number(url.searchParams.get('after') ?? 0) });
  if (p === '/api/v1/stream') {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write('retry: 2000\n\n');
    clients.add(res);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), 15000);
    req.on('close', () => {
      clearInterval(heartbeat);
      clients.delete(res);
    });
    return;
  }
  if (p.startsWith('/api/v1/alarms')) {
    if (!WITH_ALARMS) return json(res, 404, { title: 'Not Found', status: 404 });
    if (p === '/api/v1/alarms') return json(res, 200, [...alarms.values()].map(publicAlarm));
    m = p.match(/^\/api\/v1\/alarms\/([^/]+)(?:\/(ack|comment|shelve|unshelve))?$/);
    const a = m && alarms.get(decodeURIComponent(m[1]));
    if (!a) return json(res, 404, { title: 'Not Found', status: 404, detail: 'no such alarm' });
    if (!m[2]) return json(res, 200, publicAlarm(a));
    if (req.method !== 'POST') return json(res, 405, { title: 'Method Not Allowed', status: 405 });
    const body = await readBody(req);
    const at = new Date().toISOString();
    const by = 'opérateur (démo)';
    switch (m[2]) {
      case 'ack':
        if (a.state === 'shelved')
          return json(res, 409, { title: 'Conflict', status: 409, detail: 'alarm is shelved' });
        a.state = a.state === 'rtn_unacked' ? 'normal' : 'acked';
        a.acked_by = by;
        a.acked_at = at;
        delete a.next_escalation_at;
        if (body.comment) a.comments.push({ by, at, text: body.comment });
        a.history.push({
          type: 'alarm.acknowledged',
          at,
          by,
          summary: 'acknowledged',
          data: { comment: body.comment },
        });
        break;
      case 'comment':
        if (!body.comment)
          return json(res, 422, {
            title: 'Unprocessable',
            status: 422,
            detail: 'comment is empty',
          });
        a.comments.push({ by, at, text: body.comment });
        a.history.push({
          type: 'alarm.commented',
          at,
          by,
          summary: 'commented',
          data: { comment: body.comment },
        });
        break;
      case 'shelve':
        if (!body.reason || !Date.parse(body.until))
          return json(res, 422, {
            title: 'Unprocessable',
            status: 422,
            detail: 'reason and until are required',
          });
        a.state = 'shelved';
        a.shelved_until = body.until;
        a.shelve_reason = body.reason;
        a.history.push({
          type: 'alarm.shelved',
          at,
          by,
          summary: 'shelved',
          data: { reason: body.reason, until: body.until },
        });
        break;
      case 'unshelve':
        a.state = a.acked_by ? 'acked' : 'unacked';
        delete a.shelved_until;
        delete a.shelve_reason;
        a.history.push({ type: 'alarm.unshelved', at, by, summary: 'unshelved', data: {} });
        break;
    }
    broadcast(
      `alarm.${{ ack: 'acknowledged', comment: 'commented', shelve: 'shelved', unshelve: 'unshelved' }[m[2]]}`,
      { alarm_id: a.id },
      `alarm-${a.id}`,
    );
    res.writeHead(204);
    return res.end();
  }
  if (p.startsWith('/api/')) return json(res, 404, { title: 'Not Found', status: 404 });

  // Static files, with the SPA's index.html for client-side routes.
  let file = normalize(join(DIST, decodeURIComponent(p)));
  if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) {
    file = join(DIST, 'index.html');
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});

server.listen(PORT, HOST, () =>
  console.log(
    `mock Vigie on http://${HOST}:${PORT} serving ${DIST}${WITH_ALARMS ? '' : ' (alarm API: 404)'}`,
  ),
);
