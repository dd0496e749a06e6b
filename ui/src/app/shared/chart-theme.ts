/** Colours of the current theme resolved to rgb(), for drawing on a canvas. */
export interface ChartColors {
  text: string;
  muted: string;
  grid: string;
  line: string;
  band: string;
  volume: string;
  critical: string;
  high: string;
  medium: string;
  low: string;
  ok: string;
  surface: string;
}

const VARS: Readonly<Record<keyof ChartColors, string>> = {
  text: '--mat-sys-on-surface',
  muted: '--mat-sys-on-surface-variant',
  grid: '--mat-sys-outline-variant',
  line: '--vigie-water-line',
  band: '--vigie-water',
  volume: '--mat-sys-tertiary',
  critical: '--vigie-critical',
  high: '--vigie-high',
  medium: '--vigie-medium',
  low: '--vigie-low',
  ok: '--vigie-ok',
  surface: '--mat-sys-surface',
};

/**
 * Resolves the theme's CSS variables. Custom properties holding light-dark() are only resolved
 * once used in a real property, so each is read through a probe element's `color`.
 */
export function chartColors(host: HTMLElement): ChartColors {
  const probe = host.ownerDocument.createElement('span');
  probe.style.display = 'none';
  host.appendChild(probe);
  const out = {} as Record<keyof ChartColors, string>;
  for (const [key, v] of Object.entries(VARS) as [keyof ChartColors, string][]) {
    probe.style.color = `var(${v})`;
    out[key] = getComputedStyle(probe).color || '#888';
  }
  probe.remove();
  return out;
}

export function severityColor(c: ChartColors, severity: string): string {
  switch (severity) {
    case 'critical':
      return c.critical;
    case 'high':
      return c.high;
    case 'medium':
      return c.medium;
    case 'low':
      return c.low;
  }
  return c.muted;
}

/** The same colour with an alpha, from an rgb()/rgba() string. */
export function withAlpha(rgb: string, alpha: number): string {
  const m = rgb.match(/rgba?\(([^)]+)\)/);
  if (!m) {
    return rgb;
  }
  const [r, g, b] = m[1].split(/[ ,/]+/).filter(Boolean);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

export const DASHES: Readonly<Record<string, number[]>> = {
  low: [2, 3],
  medium: [6, 3],
  high: [10, 3, 2, 3],
  critical: [],
};
