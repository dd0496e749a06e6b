// The configuration screen's data (GET /api/v1/config, POST /api/v1/config/check, PUT
// /api/v1/config) and the words that turn a YAML path into something an operator reads.

export interface ConfigProblem {
  line: number;
  column: number;
  path?: string;
  /** Stable code and parameters (adapters/config), worded by the UI; message is the English. */
  code?: string;
  params?: string[];
  message: string;
}

export interface ConfigCheck {
  valid: boolean;
  problems: ConfigProblem[];
  changes: string[];
  applied?: boolean;
  restart_needed?: boolean;
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  role: string;
  sensors: string;
  created_at: string;
  revoked_at?: string;
}

export interface DocThreshold {
  name: string;
  level_m: number;
  severity: string;
  deadband_m: number;
  on_delay: string;
  off_delay: string;
}

export interface DocSensor {
  id: string;
  kind: string;
  unit: string;
  plausible_range: [number, number];
  max_rate_m_per_h: number;
  period: string;
  stale_after: string;
}

export interface DocDam {
  id: string;
  name: string;
  capacity_m3: number;
  spillway_crest_m: number;
  dyke_height_m?: number;
  storage_curve: { power?: { a: number; b: number }; table?: [number, number][] };
  sensors: DocSensor[];
  thresholds: DocThreshold[];
  alarms: Record<string, Record<string, unknown> | undefined>;
}

export interface DocOperator {
  id: string;
  name: string;
  phone: string;
  email?: string;
  role: string;
}

export interface DocRotation {
  id: string;
  name?: string;
  members: string[];
  handover: { weekday: string; at: string };
  start: string;
  overrides: { from: string; to: string; operator: string }[];
}

export interface DocPolicy {
  id: string;
  applies_to: { dams: string | string[]; severities: string[] };
  rotation?: string;
  steps: { targets: string[]; channels: string[]; mode: string; wait_for_ack?: string }[];
  repeat_last_every?: string;
}

export interface ConfigDocument {
  site?: { name: string; time_zone: string; language: string };
  dams?: DocDam[];
  operators?: DocOperator[];
  groups?: { id: string; name?: string; members: string[] }[];
  rotations?: DocRotation[];
  escalation_policies?: DocPolicy[];
}

export interface ConfigSnapshot {
  source: string;
  digest: string;
  yaml: string;
  document: ConfigDocument;
  editable: boolean;
  applied_at?: string;
  applied_by?: string;
  api_keys?: ApiKeyInfo[];
}

/** Field names of the configuration in words (French and English), for problem messages. */
const FIELDS: Readonly<Record<string, { fr: string; en: string }>> = {
  dams: { fr: 'Ouvrage', en: 'Dam' },
  thresholds: { fr: 'seuil', en: 'threshold' },
  sensors: { fr: 'capteur', en: 'sensor' },
  operators: { fr: 'Personne d’astreinte', en: 'On-call person' },
  rotations: { fr: 'Roulement', en: 'Rotation' },
  escalation_policies: { fr: 'Règle d’escalade', en: 'Escalation policy' },
  steps: { fr: 'étape', en: 'step' },
  groups: { fr: 'Groupe', en: 'Group' },
  level_m: { fr: 'niveau (m)', en: 'level (m)' },
  capacity_m3: { fr: 'capacité (m³)', en: 'capacity (m³)' },
  spillway_crest_m: { fr: 'cote du déversoir (m)', en: 'spillway crest (m)' },
  dyke_height_m: { fr: 'hauteur de digue (m)', en: 'dyke height (m)' },
  storage_curve: { fr: 'courbe de remplissage', en: 'storage curve' },
  severity: { fr: 'gravité', en: 'severity' },
  deadband_m: { fr: 'hystérésis (m)', en: 'deadband (m)' },
  on_delay: { fr: 'délai d’entrée', en: 'on delay' },
  off_delay: { fr: 'délai de sortie', en: 'off delay' },
  phone: { fr: 'téléphone', en: 'phone' },
  plausible_range: { fr: 'plage vraisemblable', en: 'plausible range' },
  period: { fr: 'période de mesure', en: 'reporting period' },
  stale_after: { fr: 'silence toléré', en: 'stale after' },
  members: { fr: 'membres', en: 'members' },
  targets: { fr: 'destinataires', en: 'targets' },
  channels: { fr: 'canaux', en: 'channels' },
  wait_for_ack: { fr: 'attente d’acquittement', en: 'wait for acknowledgement' },
  name: { fr: 'nom', en: 'name' },
  id: { fr: 'identifiant', en: 'id' },
  site: { fr: 'Site', en: 'Site' },
  time_zone: { fr: 'fuseau horaire', en: 'time zone' },
};

/**
 * "dams[0].thresholds[1].level_m" → "Ouvrage 1, seuil 2, niveau (m)" (the number is the item's
 * place in the file, from 1). Unknown parts are kept as written.
 */
export function describePath(path: string, lang: 'fr' | 'en'): string {
  if (!path) {
    return '';
  }
  return path
    .split('.')
    .map((seg) => {
      const m = /^([a-z0-9_]+)(?:\[(\d+)\])?$/.exec(seg);
      if (!m) {
        return seg;
      }
      const word = FIELDS[m[1]]?.[lang] ?? m[1];
      return m[2] === undefined ? word : `${word} ${Number(m[2]) + 1}`;
    })
    .join(', ');
}

/** The offset in text of a 1-based line and column, to put the cursor on a problem. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) {
      return text.length;
    }
    offset = nl + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

/**
 * Puts the cursor of a YAML editor on a problem's line (selected to its end) and scrolls it into
 * view, for the problem lists of the configuration and replay screens.
 */
export function selectLine(el: HTMLTextAreaElement, line: number, column: number): void {
  const at = offsetOf(el.value, line, column || 1);
  const lineEnd = el.value.indexOf('\n', at);
  el.focus();
  el.setSelectionRange(at, lineEnd < 0 ? el.value.length : lineEnd);
  // Scroll the line into view: textarea has no API for it; estimate from the line height.
  const lh = parseFloat(getComputedStyle(el).lineHeight) || 20;
  el.scrollTop = Math.max(0, (line - 3) * lh);
}
