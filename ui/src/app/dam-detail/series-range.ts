// Pure helpers for the level chart: which zoom presets exist, which bucket size fits a range.

export interface TimeRange {
  /** ms since the epoch */
  from: number;
  to: number;
}

export interface Preset {
  key: string;
  /** span in seconds */
  span: number;
}

export const PRESETS: readonly Preset[] = [
  { key: '10m', span: 600 },
  { key: '1h', span: 3600 },
  { key: '6h', span: 6 * 3600 },
  { key: '24h', span: 86400 },
  { key: '7d', span: 7 * 86400 },
  { key: '30d', span: 30 * 86400 },
  { key: '1y', span: 365 * 86400 },
];

/** Widest span the chart zooms out to (s). */
export const MAX_SPAN_S = 365 * 86400;
/** Narrowest span (s). */
export const MIN_SPAN_S = 600;

/** About this many points are asked for, whatever the range: enough for any screen width. */
export const TARGET_POINTS = 1000;

/** Raw readings are asked for up to this span (s): the server serves raw ranges of 7 days at most. */
export const RAW_MAX_SPAN_S = 7 * 86400;

/** Bucket sizes aligned with the server's roll-ups (1 min, 1 h, 1 day) and their fractions. */
const NICE_STEPS_S = [
  60,
  120,
  300,
  600,
  900,
  1800,
  3600,
  2 * 3600,
  3 * 3600,
  6 * 3600,
  12 * 3600,
  86400,
  2 * 86400,
  7 * 86400,
];

/**
 * Bucket size (s) for a range: 0 (raw readings) up to 6 h, or while the sensor sends at most
 * TARGET_POINTS readings in it, else the smallest nice step giving at most TARGET_POINTS buckets.
 */
export function stepFor(rangeS: number, periodS: number): number {
  const period = periodS > 0 ? periodS : 60;
  if (rangeS <= 6 * 3600 || (rangeS / period <= TARGET_POINTS && rangeS <= RAW_MAX_SPAN_S)) {
    return 0;
  }
  const wanted = rangeS / TARGET_POINTS;
  return NICE_STEPS_S.find((s) => s >= wanted) ?? Math.ceil(wanted / 86400) * 86400;
}

/** The last `span` seconds up to now. */
export function lastSpan(span: number, now: number): TimeRange {
  return { from: now - span * 1000, to: now };
}

/** Zooms out by `factor` around the centre, never past now nor wider than a year. */
export function zoomOut(r: TimeRange, now: number, factor = 3): TimeRange {
  const span = Math.min(((r.to - r.from) / 1000) * factor, MAX_SPAN_S) * 1000;
  const centre = (r.from + r.to) / 2;
  let to = Math.min(centre + span / 2, now);
  const from = to - span;
  to = from + span;
  return { from, to };
}

/** Zooms in by `factor` around the centre, never narrower than MIN_SPAN_S. */
export function zoomIn(r: TimeRange, factor = 3): TimeRange {
  const span = Math.max((r.to - r.from) / 1000 / factor, MIN_SPAN_S) * 1000;
  const keepEnd = r.to;
  return { from: keepEnd - span, to: keepEnd };
}

/** Whether a range ends at (about) now, so new readings belong in it. */
export function isLive(r: TimeRange, now: number): boolean {
  return now - r.to < 60_000;
}
