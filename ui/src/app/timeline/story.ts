import { formatNumber } from '../core/format';
import { I18n } from '../core/i18n/i18n';
import { ReadingsRecorded, ThresholdCrossed, TimelineEntry } from '../core/models';

/** One timeline entry told as a sentence. */
export interface StoryLine {
  icon: string;
  /** Severity class for the icon colour (the sentence says it in words too). */
  severity: string;
  text: string;
  /** Details worth a second line: a configuration's list of changes. */
  details: string[];
}

/** Event types offered in the timeline filter, readings last (they are many). */
export const TIMELINE_TYPES: readonly string[] = [
  'sensor.threshold_crossed',
  'alarm.raised',
  'alarm.acknowledged',
  'alarm.commented',
  'alarm.shelved',
  'alarm.unshelved',
  'alarm.cleared',
  'alarm.escalated',
  'notification.sent',
  'notification.failed',
  'config.applied',
  'sensor.configured',
  'sensor.readings_recorded',
];

/** Types shown by default: everything but individual readings. */
export const DEFAULT_TIMELINE_TYPES: readonly string[] = TIMELINE_TYPES.filter(
  (t) => t !== 'sensor.readings_recorded',
);

type Data = Record<string, unknown>;

/**
 * Tells an entry in the operator's language from its data; an unknown type falls back to the
 * server's summary, so new event types still read sensibly.
 */
export function tell(e: TimelineEntry, i18n: I18n, damName: (id: string) => string): StoryLine {
  const locale = i18n.locale();
  const data = (e.data && typeof e.data === 'object' ? e.data : {}) as Data;
  const dam = damName(String(data['dam'] ?? e.dam ?? ''));
  const m = (v: unknown) => formatNumber(locale, typeof v === 'number' ? v : NaN, 2);
  switch (e.type) {
    case 'sensor.threshold_crossed': {
      const d = data as Partial<ThresholdCrossed>;
      const key = d.direction === 'down' ? 'story.crossedDown' : 'story.crossedUp';
      const text = i18n.t(key, {
        dam,
        threshold: d.threshold ?? '',
        severity: i18n.t('severity.' + (d.severity ?? 'unknown')).toLowerCase(),
        level: m(d.level_m),
        value: m(d.value_m),
      });
      return {
        icon: d.direction === 'down' ? 'arrow_downward' : 'arrow_upward',
        severity: d.direction === 'down' ? 'sev-ok' : 'sev-' + (d.severity ?? 'unknown'),
        text: d.late ? `${text} ${i18n.t('story.late')}` : text,
        details: [],
      };
    }
    case 'sensor.readings_recorded': {
      const d = data as Partial<ReadingsRecorded>;
      const readings = d.readings ?? [];
      const last = readings[readings.length - 1];
      const bad = readings.filter((r) => r.q === 'implausible').length;
      let text = i18n.t('story.readings', {
        sensor: d.sensor ?? e.sensor ?? '',
        n: readings.length,
        value: m(last?.v),
      });
      if (bad > 0) {
        text += ' ' + i18n.t('story.readingsImplausible', { n: bad });
      }
      return {
        icon: 'sensors',
        severity: bad > 0 ? 'sev-medium' : 'sev-unknown',
        text,
        details: [],
      };
    }
    case 'sensor.configured': {
      const n = Array.isArray(data['thresholds']) ? (data['thresholds'] as unknown[]).length : 0;
      return {
        icon: 'sync',
        severity: 'sev-unknown',
        text: i18n.t('story.sensorConfigured', {
          sensor: String(data['sensor'] ?? e.sensor ?? ''),
          n,
          actor: actorOf(e, data, i18n),
        }),
        details: [],
      };
    }
    case 'config.applied': {
      const changes = Array.isArray(data['changes'])
        ? (data['changes'] as unknown[]).map(String)
        : [];
      return {
        icon: 'sync',
        severity: 'sev-unknown',
        text: i18n.t('story.configApplied', {
          source: String(data['source'] ?? ''),
          actor: actorOf(e, data, i18n),
        }),
        details: changes,
      };
    }
  }
  if (e.type.startsWith('alarm.')) {
    const action = e.type.slice('alarm.'.length);
    const key = 'story.alarm.' + action;
    const base = i18n.has(key) ? i18n.t(key, { dam, actor: actorOf(e, data, i18n) }) : '';
    const detail = String(data['comment'] ?? data['reason'] ?? '');
    return {
      icon:
        action === 'raised'
          ? 'notifications_active'
          : action === 'acknowledged'
            ? 'check'
            : action === 'shelved'
              ? 'pause'
              : 'notifications',
      severity: action === 'raised' ? 'sev-' + String(data['severity'] ?? 'high') : 'sev-unknown',
      text: base ? (e.summary ? `${base} — ${e.summary}` : base) : e.summary,
      details: detail ? [detail] : [],
    };
  }
  return {
    icon: e.type.startsWith('notification.') ? 'notifications' : 'info',
    severity: 'sev-unknown',
    text: e.summary || e.type,
    details: [],
  };
}

function actorOf(e: TimelineEntry, data: Data, i18n: I18n): string {
  return e.actor || String(data['actor'] ?? data['by'] ?? '') || i18n.t('story.system');
}
