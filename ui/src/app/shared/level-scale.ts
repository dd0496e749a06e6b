import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';

import { formatNumber } from '../core/format';
import { I18n } from '../core/i18n/i18n';
import { Threshold } from '../core/models';

const TOP = 10;
const BOTTOM = 210;
const LABEL_GAP = 13;

interface Mark {
  y: number;
  labelY: number;
  cls: string;
  text: string;
  dash: string;
}

/**
 * A vertical gauge of the water level with the thresholds, the spillway crest and the dyke drawn
 * on it. Each line carries its name and level in text, and thresholds differ by dash pattern as
 * well as by colour.
 */
@Component({
  selector: 'app-level-scale',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <svg
      viewBox="0 0 170 220"
      role="img"
      [attr.aria-label]="description()"
      preserveAspectRatio="xMinYMid meet"
    >
      <rect class="tank" x="6" [attr.y]="top" width="44" [attr.height]="bottom - top" rx="3" />
      @if (waterY() !== null) {
        <rect
          class="water"
          x="7"
          [attr.y]="waterY()"
          width="42"
          [attr.height]="bottom - waterY()!"
        />
        <line class="water-line" x1="2" x2="54" [attr.y1]="waterY()" [attr.y2]="waterY()" />
      }
      @for (m of marks(); track m.text) {
        <line
          [attr.class]="'mark ' + m.cls"
          x1="2"
          x2="56"
          [attr.y1]="m.y"
          [attr.y2]="m.y"
          [attr.stroke-dasharray]="m.dash"
        />
        <line
          [attr.class]="'leader ' + m.cls"
          x1="56"
          x2="62"
          [attr.y1]="m.y"
          [attr.y2]="m.labelY"
        />
        <text [attr.class]="'label ' + m.cls" x="64" [attr.y]="m.labelY + 4">{{ m.text }}</text>
      }
    </svg>
  `,
  styles: `
    :host {
      display: block;
    }
    svg {
      width: 100%;
      height: 100%;
      overflow: visible;
    }
    .tank {
      fill: var(--mat-sys-surface-container-high);
      stroke: var(--mat-sys-outline);
      stroke-width: 1.5;
    }
    .water {
      fill: var(--vigie-water);
    }
    .water-line {
      stroke: var(--vigie-water-line);
      stroke-width: 3;
    }
    .mark {
      stroke-width: 2.5;
    }
    .leader {
      stroke-width: 1;
    }
    .label {
      font-size: 11.5px;
      font-weight: 500;
      fill: var(--mat-sys-on-surface);
    }
    .sev-critical {
      stroke: var(--vigie-critical);
    }
    .sev-high {
      stroke: var(--vigie-high);
    }
    .sev-medium {
      stroke: var(--vigie-medium);
    }
    .sev-low {
      stroke: var(--vigie-low);
    }
    .crest,
    .dyke {
      stroke: var(--mat-sys-on-surface);
    }
    text.sev-critical,
    text.sev-high,
    text.sev-medium,
    text.sev-low,
    text.crest,
    text.dyke {
      stroke: none;
    }
  `,
})
export class LevelScale {
  private readonly i18n = inject(I18n);

  readonly level = input<number | null | undefined>();
  readonly thresholds = input<readonly Threshold[]>([]);
  readonly crest = input<number>(0);
  readonly dyke = input<number | undefined>();
  readonly top = TOP;
  readonly bottom = BOTTOM;
  /** Level at the top of the scale (m). */
  readonly max = input.required<number>();

  private y(h: number): number {
    const max = this.max() || 1;
    const clamped = Math.min(Math.max(h, 0), max);
    return BOTTOM - ((BOTTOM - TOP) * clamped) / max;
  }

  protected readonly waterY = computed(() => {
    const l = this.level();
    return l === null || l === undefined || !Number.isFinite(l) ? null : this.y(l);
  });

  protected readonly marks = computed<Mark[]>(() => {
    const locale = this.i18n.locale();
    const marks: Mark[] = this.thresholds().map((t) => ({
      y: this.y(t.level_m),
      labelY: 0,
      cls: 'sev-' + t.severity,
      text: `${t.name} ${formatNumber(locale, t.level_m, 2)}`,
      dash: DASH[t.severity] ?? '',
    }));
    if (this.crest() > 0) {
      marks.push({
        y: this.y(this.crest()),
        labelY: 0,
        cls: 'crest',
        dash: '',
        text: `${this.i18n.t('scale.crest')} ${formatNumber(locale, this.crest(), 2)}`,
      });
    }
    const dyke = this.dyke();
    if (dyke && dyke > 0) {
      marks.push({
        y: this.y(dyke),
        labelY: 0,
        cls: 'dyke',
        dash: '1 3',
        text: `${this.i18n.t('scale.dyke')} ${formatNumber(locale, dyke, 2)}`,
      });
    }
    // Spread the labels so that close levels stay readable; lines stay at their true height.
    marks.sort((a, b) => b.y - a.y);
    let prev = Infinity;
    for (const m of marks) {
      m.labelY = Math.min(m.y, prev - LABEL_GAP);
      prev = m.labelY;
    }
    const overflow = TOP - Math.min(...marks.map((m) => m.labelY), TOP);
    if (overflow > 0) {
      for (const m of marks) {
        m.labelY += overflow;
      }
    }
    return marks;
  });

  protected readonly description = computed(() => {
    const locale = this.i18n.locale();
    const parts = [
      this.i18n.t('scale.description', { level: formatNumber(locale, this.level(), 2) }),
    ];
    for (const t of this.thresholds()) {
      parts.push(`${t.name} ${formatNumber(locale, t.level_m, 2)} m`);
    }
    if (this.crest() > 0) {
      parts.push(`${this.i18n.t('scale.crest')} ${formatNumber(locale, this.crest(), 2)} m`);
    }
    return parts.join(', ');
  });
}

const DASH: Readonly<Record<string, string>> = {
  low: '2 3',
  medium: '6 3',
  high: '10 3 2 3',
  critical: '',
};
