// The what-if replay screen's data (POST /api/v1/replay, docs/replay.md) and the pure functions
// that turn it into what an analyst reads: how much earlier or later, who would have been paged,
// which past episodes to pick from.

export interface ReplayCall {
  at: string;
  step: number;
  operator: string;
  /** The operator's display name, when the configuration gives one. */
  operator_name?: string;
  channel: string;
}

export interface ReplayAlarm {
  dam: string;
  condition: string;
  severity: string;
  raised: string;
  value: number;
  limit: number;
  unit?: string;
  late?: boolean;
  returned_to_normal?: string;
  acknowledged?: string;
  acknowledged_by?: string;
  calls: ReplayCall[];
}

export interface ReplayRow {
  id: string;
  recorded?: ReplayAlarm;
  replayed?: ReplayAlarm;
  /** Seconds later (negative: earlier) the replay raised it; absent on one side only. */
  shift_s?: number;
}

export interface ReplayResult {
  config: string;
  from: string;
  to: string;
  readings: number;
  cascade: boolean;
  alarms: ReplayRow[];
  same_decisions: boolean;
  differing_streams: number;
  differences: string[];
  skipped: string[];
  duration_ms: number;
}

export interface ReplayRequest {
  from: string;
  to: string;
  /** Empty: the configuration recorded in force at `from`. */
  config: string;
  cascade: 'auto' | 'on' | 'off';
}

/** The longest period the server replays (adapters/httpapi ReplayLimits). */
export const MAX_REPLAY_DAYS = 31;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type ShiftKind = 'earlier' | 'later' | 'same' | 'onlyRecorded' | 'onlyReplayed';

/** How the replay moved one alarm. */
export function shiftKind(r: ReplayRow): ShiftKind {
  if (!r.replayed) {
    return 'onlyRecorded';
  }
  if (!r.recorded) {
    return 'onlyReplayed';
  }
  const s = r.shift_s ?? 0;
  return s < 0 ? 'earlier' : s > 0 ? 'later' : 'same';
}

export interface ReplaySummary {
  total: number;
  earlier: number;
  later: number;
  same: number;
  onlyRecorded: number;
  onlyReplayed: number;
}

export function summarise(rows: readonly ReplayRow[]): ReplaySummary {
  const s: ReplaySummary = {
    total: rows.length,
    earlier: 0,
    later: 0,
    same: 0,
    onlyRecorded: 0,
    onlyReplayed: 0,
  };
  for (const r of rows) {
    s[shiftKind(r)]++;
  }
  return s;
}

/**
 * A shift in full, to the second (the analyst compares it with the readings): "1 h 2 min 30 s",
 * "45 s". Zero parts are left out.
 */
export function exactDuration(
  seconds: number,
  units: { d: string; h: string; min: string; s: string },
): string {
  let rest = Math.round(Math.abs(seconds));
  const parts: string[] = [];
  for (const [size, unit] of [
    [86400, units.d],
    [3600, units.h],
    [60, units.min],
    [1, units.s],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) {
      parts.push(`${n} ${unit}`);
    }
  }
  return parts.length ? parts.join(' ') : `0 ${units.s}`;
}

/** One person paged at one step, with every channel used: "op-durand — SMS + appel (étape 1)". */
export interface PagedPerson {
  operator: string;
  /** The display name to show: the operator's name, else their id. */
  name: string;
  step: number;
  channels: string[];
  at: string;
}

/** Groups the calls by person and step, in the order they were made. */
export function pagedPeople(calls: readonly ReplayCall[] | undefined): PagedPerson[] {
  const out: PagedPerson[] = [];
  for (const c of calls ?? []) {
    const p = out.find((x) => x.operator === c.operator && x.step === c.step);
    if (p) {
      if (!p.channels.includes(c.channel)) {
        p.channels.push(c.channel);
      }
    } else {
      out.push({ operator: c.operator, name: c.operator_name || c.operator, step: c.step, channels: [c.channel], at: c.at });
    }
  }
  return out;
}

export interface Period {
  from: Date;
  to: Date;
}

/** The default period: the last 24 hours. */
export function lastHours(now: Date, hours: number): Period {
  return { from: new Date(now.getTime() - hours * HOUR), to: now };
}

/** Whether a period can be replayed: in order, and no longer than the server accepts. */
export function periodProblem(p: Period): 'order' | 'tooLong' | null {
  const span = p.to.getTime() - p.from.getTime();
  if (!(span > 0)) {
    return 'order';
  }
  return span > MAX_REPLAY_DAYS * DAY ? 'tooLong' : null;
}

/** An alarm as GET /api/v1/alarms lists it (only what episodes need). */
export interface AlarmTimes {
  raised_at: string;
  returned_at?: string;
}

export interface Episode extends Period {
  alarms: number;
}

/**
 * Past flood episodes from the alarms: alarms less than `gapHours` apart belong to one episode,
 * whose period runs from an hour before the first raise to an hour after the last return to normal
 * (cut to the longest period replayable). Most recent first.
 */
export function episodes(alarms: readonly AlarmTimes[], gapHours = 12, max = 5): Episode[] {
  const spans = alarms
    .map((a) => {
      const start = Date.parse(a.raised_at);
      const end = a.returned_at ? Date.parse(a.returned_at) : start;
      return { start, end: Number.isFinite(end) && end > start ? end : start };
    })
    .filter((s) => Number.isFinite(s.start))
    .sort((a, b) => a.start - b.start);
  const groups: { start: number; end: number; n: number }[] = [];
  for (const s of spans) {
    const last = groups.at(-1);
    if (last && s.start - last.end <= gapHours * HOUR) {
      last.end = Math.max(last.end, s.end);
      last.n++;
    } else {
      groups.push({ start: s.start, end: s.end, n: 1 });
    }
  }
  return groups
    .reverse()
    .slice(0, max)
    .map((g) => {
      const from = g.start - HOUR;
      const to = Math.min(g.end + HOUR, from + MAX_REPLAY_DAYS * DAY);
      return { from: new Date(from), to: new Date(to), alarms: g.n };
    });
}

/** A Date as the value of an <input type="datetime-local"> (local time, to the minute). */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of an <input type="datetime-local"> as a Date; null when empty or invalid. */
export function fromLocalInput(v: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (!m) {
    return null;
  }
  const d = new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0));
  return Number.isNaN(d.getTime()) ? null : d;
}
