// Locale-aware formatting with Intl, cached: formatters are costly to build and the overview
// re-renders every second.

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = locale + JSON.stringify(options);
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, f);
  }
  return f;
}

export function dateFormat(
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = locale + JSON.stringify(options);
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, f);
  }
  return f;
}

/** A number with a fixed count of decimals; '—' for a missing or non-finite value. */
export function formatNumber(
  locale: string,
  value: number | null | undefined,
  digits = 2,
  signed = false,
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '—';
  }
  return numberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: signed ? 'exceptZero' : 'auto',
  }).format(value);
}

/** A volume in m³, grouped by thousands, without decimals. */
export function formatVolume(locale: string, m3: number | null | undefined): string {
  return formatNumber(locale, m3, 0);
}

export type DateStyle = 'time' | 'hm' | 'day' | 'datetime' | 'date' | 'short';

const DATE_OPTIONS: Readonly<Record<DateStyle, Intl.DateTimeFormatOptions>> = {
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
  hm: { hour: '2-digit', minute: '2-digit' },
  day: { day: '2-digit', month: '2-digit' },
  datetime: {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  },
  date: { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' },
  short: { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' },
};

export function formatDate(
  locale: string,
  value: string | number | Date | null | undefined,
  style: DateStyle = 'datetime',
): string {
  const ms = toMillis(value);
  if (ms === null) {
    return '—';
  }
  return dateFormat(locale, DATE_OPTIONS[style]).format(ms);
}

export function toMillis(value: string | number | Date | null | undefined): number | null {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  const ms =
    value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** Units of a duration, largest first, as the i18n dictionaries name them. */
export interface DurationParts {
  d: number;
  h: number;
  m: number;
  s: number;
}

export function splitDuration(seconds: number): DurationParts {
  const total = Math.max(0, Math.floor(seconds));
  return {
    d: Math.floor(total / 86400),
    h: Math.floor((total % 86400) / 3600),
    m: Math.floor((total % 3600) / 60),
    s: total % 60,
  };
}

/** Two most significant units: "2 j 4 h", "3 h 20 min", "45 min", "40 s". */
export function formatDuration(
  seconds: number,
  units: { d: string; h: string; min: string; s: string },
): string {
  const p = splitDuration(seconds);
  if (p.d > 0) {
    return p.h > 0 ? `${p.d} ${units.d} ${p.h} ${units.h}` : `${p.d} ${units.d}`;
  }
  if (p.h > 0) {
    return p.m > 0 ? `${p.h} ${units.h} ${p.m} ${units.min}` : `${p.h} ${units.h}`;
  }
  if (p.m > 0) {
    return p.m >= 10 || p.s === 0 ? `${p.m} ${units.min}` : `${p.m} ${units.min} ${p.s} ${units.s}`;
  }
  return `${p.s} ${units.s}`;
}

/** mm:ss or h:mm:ss, for countdowns. */
export function formatCountdown(seconds: number): string {
  const p = splitDuration(seconds);
  const hours = p.d * 24 + p.h;
  const mm = String(p.m).padStart(2, '0');
  const ss = String(p.s).padStart(2, '0');
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}
