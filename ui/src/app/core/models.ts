// Types of the Vigie HTTP API (/api/v1), mirroring adapters/readstore and domain/ in the Go module.
// Every field the UI does not strictly need is optional, so a server that is a version ahead or
// behind does not break the screen.

export type Quality = 'good' | 'suspect' | 'implausible';
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface CurvePoint {
  h_m: number;
  v_m3: number;
}

export interface SensorSpec {
  id: string;
  dam?: string;
  kind: string;
  unit: string;
  plausible_min: number;
  plausible_max: number;
  period_s: number;
  /** Latest state, when the server includes it (GET /api/v1/sensors, /dams/{id}). */
  state?: SensorState;
}

export interface Threshold {
  name: string;
  level_m: number;
  severity: Severity;
  deadband_m?: number;
  on_delay_s?: number;
  off_delay_s?: number;
}

export interface StorageCurve {
  kind: 'power' | 'table' | 'other' | string;
  a?: number;
  b?: number;
  /** Surveyed points of a table curve, or samples of another kind, by increasing height. */
  points: CurvePoint[];
}

export interface Dam {
  id: string;
  name: string;
  capacity_m3: number;
  spillway_crest_m: number;
  dyke_height_m?: number;
  /** Points of the storage curve (the Api service fills it from storage_curve.points). */
  curve?: CurvePoint[];
  storage_curve?: StorageCurve;
  sensors: SensorSpec[];
  thresholds: Threshold[];
  /** Where the dam is, when the server knows (the map places it there). */
  location?: { lat: number; lon: number };
}

export interface Site {
  name: string;
  dams: Dam[];
}

/** Latest known state of one sensor (GET /api/v1/sensors). */
export interface SensorState {
  sensor: string;
  dam: string;
  time: string;
  value: number;
  quality: Quality;
  recorded_at?: string;
  trend_m_per_h?: number;
  volume_m3?: number;
  fill_pct?: number;
  spilling?: boolean;
  /** Seconds until the spillway crest at the current trend; absent when not rising. */
  time_to_spill?: number | null;
  /** Names of the thresholds currently crossed, lowest first. */
  above?: string[] | null;
  position?: number;
}

/** GET /api/v1/sensors/{id}/series. */
export interface Series {
  sensor: string;
  from: string;
  to: string;
  /** 0 for raw readings. */
  step_s: number;
  points: SeriesPoint[];
}

/** One bucket (or one raw reading) of a series. */
export interface SeriesPoint {
  time: string;
  min: number;
  max: number;
  avg: number;
  last: number;
  count: number;
  implausible?: number;
  quality?: Quality;
}

export interface TimelineEntry {
  position: number;
  stream: string;
  type: string;
  dam?: string;
  sensor?: string;
  time: string;
  recorded_at: string;
  actor?: string;
  summary: string;
  data?: unknown;
}

/** One stored event, as /api/v1/events and the SSE stream carry it. */
export interface TimelinePage {
  entries: TimelineEntry[];
  next_after: number;
}

export interface EventRecord {
  position: number;
  stream: string;
  revision?: number;
  type: string;
  schema?: number;
  time?: string;
  data: unknown;
  metadata?: unknown;
}

export interface EventsPage {
  events: EventRecord[];
  next_after: number;
}

/** Payload of sensor.readings_recorded (domain/gauge.ReadingsRecorded). */
export interface ReadingsRecorded {
  sensor: string;
  dam: string;
  readings: { t: string; v: number; q: Quality; why?: string; late?: boolean }[];
}

/** Payload of sensor.threshold_crossed (domain/gauge.ThresholdCrossed). */
export interface ThresholdCrossed {
  sensor: string;
  dam: string;
  threshold: string;
  severity: Severity;
  direction: 'up' | 'down';
  level_m: number;
  value_m: number;
  at: string;
  since?: string;
  late?: boolean;
}

export interface AlarmComment {
  by?: string;
  at: string;
  text: string;
}

/** One notification of an alarm's cascade (readstore.AlarmNotification). */
export interface CascadeNotification {
  id?: string;
  /** The operator's id in the configuration; operator_name their display name, when known. */
  operator: string;
  operator_name?: string;
  channel: string;
  step?: number;
  fallback?: boolean;
  /** requested (being sent), sent, delivered or failed; shown as given when unknown. */
  status: string;
  /** A failure's reason, as recorded (English); reason_code and reason_params when the server
   * recognises it, reason_cause for the cause of a "gave up after N attempts". */
  reason?: string;
  reason_code?: string;
  reason_params?: string[];
  reason_cause?: { code: string; params?: string[] };
  /** When it was requested. */
  at: string;
}

/**
 * The escalation cascade of an alarm (readstore.AlarmCascade): who was notified, by which
 * channel, when, and when the next step fires.
 */
export interface AlarmCascade {
  running?: boolean;
  run?: number;
  policy?: string;
  step?: number;
  stop_reason?: string;
  next_step_at?: string | null;
  notifications?: CascadeNotification[];
}

/**
 * An alarm of the alarm console (GET /api/v1/alarms), as adapters/readstore.AlarmView writes it.
 * Optional fields are read defensively.
 */
export interface Alarm {
  id: string;
  dam?: string;
  condition?: string;
  kind?: string;
  class?: string;
  sensor?: string;
  source?: string;
  severity: Severity;
  /** ISA-18.2 state: unack_active, ack_active, unack_rtn, normal, shelved, suppressed_by_design, closed. */
  state: string;
  active?: boolean;
  acknowledged?: boolean;
  /** The alarm told in a sentence, in the site's language. */
  summary?: string;
  value?: number;
  peak?: number;
  limit?: number;
  unit?: string;
  raised_at: string;
  since?: string;
  returned_at?: string;
  acked_by?: string;
  acked_via?: string;
  acked_at?: string;
  shelved_until?: string;
  shelve_reason?: string;
  escalation_level?: number;
  comments?: AlarmComment[];
  cascade?: AlarmCascade;
}

export const SEVERITY_RANK: Readonly<Record<string, number>> = {
  low: 1,
  medium: 2,
  high: 3,
  critical: 4,
};

export function severityRank(s: string | undefined): number {
  return (s && SEVERITY_RANK[s]) || 0;
}
