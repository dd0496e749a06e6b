import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  untracked,
  viewChild,
} from '@angular/core';
import uPlot from 'uplot';

import { volumeAt } from '../core/curve';
import { formatNumber, formatVolume } from '../core/format';
import { I18n, TranslatePipe } from '../core/i18n/i18n';
import { CurvePoint } from '../core/models';
import { Theme } from '../core/theme';
import { chartColors, withAlpha } from '../shared/chart-theme';
import { observeWidth } from '../shared/observe-width';

/** The storage curve (height -> volume) with the current level marked on it. */
@Component({
  selector: 'app-curve-chart',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="plot-wrap" role="img" [attr.aria-label]="description()">
      <div #plot class="plot" data-testid="curve-chart"></div>
    </div>
    <details>
      <summary>{{ 'curve.table' | t }}</summary>
      <table class="data-table">
        <thead>
          <tr>
            <th scope="col" class="num">{{ 'curve.height' | t }}</th>
            <th scope="col" class="num">{{ 'curve.volume' | t }}</th>
          </tr>
        </thead>
        <tbody>
          @for (p of curve(); track p.h_m) {
            <tr>
              <td class="num">{{ fmt(p.h_m) }}</td>
              <td class="num">{{ fmtV(p.v_m3) }}</td>
            </tr>
          }
        </tbody>
      </table>
    </details>
  `,
  styles: `
    :host {
      display: block;
    }
    .plot {
      width: 100%;
      min-height: 220px;
    }
    details {
      margin-top: 8px;
    }
    summary {
      min-height: 48px;
      display: flex;
      align-items: center;
      cursor: pointer;
      font: var(--mat-sys-title-small);
    }
    :host ::ng-deep .u-legend {
      font: var(--mat-sys-body-small);
      color: var(--mat-sys-on-surface);
    }
  `,
})
export class CurveChart {
  private readonly i18n = inject(I18n);
  private readonly theme = inject(Theme);
  private readonly host = inject(ElementRef<HTMLElement>);

  readonly curve = input.required<readonly CurvePoint[]>();
  readonly level = input<number | null | undefined>();
  readonly crest = input<number>(0);

  private readonly plotEl = viewChild.required<ElementRef<HTMLDivElement>>('plot');
  private plot: uPlot | null = null;

  protected readonly description = computed(() => {
    const locale = this.i18n.locale();
    const l = this.level();
    const v = l === null || l === undefined ? null : volumeAt(this.curve(), l);
    return this.i18n.t('curve.description', {
      n: this.curve().length,
      level: formatNumber(locale, l, 2),
      volume: formatVolume(locale, v),
    });
  });

  constructor() {
    afterNextRender(() => {
      this.create();
      const stop = observeWidth(this.plotEl().nativeElement, (w) =>
        this.plot?.setSize({ width: Math.max(200, w), height: 240 }),
      );
      this.destroy = () => {
        stop();
        this.plot?.destroy();
      };
    });
    inject(DestroyRef).onDestroy(() => this.destroy());
    effect(() => {
      this.theme.mode();
      this.i18n.lang();
      this.curve();
      this.level();
      untracked(() => this.plot && this.create());
    });
  }

  private destroy: () => void = () => undefined;

  protected fmt(h: number): string {
    return formatNumber(this.i18n.locale(), h, 2);
  }

  protected fmtV(v: number): string {
    return formatVolume(this.i18n.locale(), v);
  }

  private create(): void {
    this.plot?.destroy();
    const el = this.plotEl().nativeElement;
    el.replaceChildren();
    const c = chartColors(this.host.nativeElement);
    const locale = this.i18n.locale();
    const pts = [...this.curve()].sort((a, b) => a.h_m - b.h_m);
    const xs = pts.map((p) => p.h_m);
    const vs = pts.map((p) => p.v_m3);
    const level = this.level();
    const current: (number | null)[] = xs.map(() => null);
    if (level !== null && level !== undefined && Number.isFinite(level)) {
      // Insert the current level as its own x so the marker sits on the curve.
      let i = xs.findIndex((x) => x >= level);
      if (i === -1) {
        i = xs.length;
      }
      if (xs[i] !== level) {
        xs.splice(i, 0, level);
        vs.splice(i, 0, volumeAt(pts, level) ?? 0);
        current.splice(i, 0, null);
      }
      current[i] = vs[i];
    }
    const axisFont = '12px system-ui, sans-serif';
    this.plot = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: 240,
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false } },
        legend: { show: true },
        axes: [
          {
            stroke: c.muted,
            font: axisFont,
            labelFont: axisFont,
            label: this.i18n.t('curve.height'),
            grid: { stroke: withAlpha(c.grid, 0.6) },
            values: (_u, s) => s.map((v) => formatNumber(locale, v, 1)),
          },
          {
            stroke: c.muted,
            font: axisFont,
            labelFont: axisFont,
            label: this.i18n.t('curve.volume'),
            size: 64,
            grid: { stroke: withAlpha(c.grid, 0.6) },
            values: (_u, s) =>
              s.map((v) => new Intl.NumberFormat(locale, { notation: 'compact' }).format(v)),
          },
        ],
        series: [
          {
            label: this.i18n.t('curve.height'),
            value: (_u, v) => (v === null ? '—' : `${formatNumber(locale, v, 2)} m`),
          },
          {
            label: this.i18n.t('curve.volume'),
            stroke: c.line,
            width: 2,
            fill: withAlpha(c.band, 0.3),
            value: (_u, v) => (v === null ? '—' : `${formatVolume(locale, v)} m³`),
          },
          {
            label: this.i18n.t('curve.current'),
            stroke: c.critical,
            width: 0,
            paths: () => null,
            points: { show: true, size: 12, stroke: c.critical, fill: c.surface, width: 3 },
            value: (_u, v) => (v === null ? '—' : `${formatVolume(locale, v)} m³`),
          },
        ],
        hooks: {
          draw: [
            (u) => {
              const crest = this.crest();
              if (!(crest > 0)) {
                return;
              }
              const x = u.valToPos(crest, 'x', true);
              const { top, height } = u.bbox;
              const ctx = u.ctx;
              ctx.save();
              ctx.strokeStyle = c.text;
              ctx.lineWidth = 2;
              ctx.setLineDash([6, 4]);
              ctx.beginPath();
              ctx.moveTo(x, top);
              ctx.lineTo(x, top + height);
              ctx.stroke();
              ctx.setLineDash([]);
              ctx.fillStyle = c.text;
              ctx.font = `${Math.round(12 * (devicePixelRatio || 1))}px system-ui, sans-serif`;
              ctx.textBaseline = 'top';
              ctx.fillText(this.i18n.t('scale.crest'), x + 4, top + 4);
              ctx.restore();
            },
          ],
        },
      },
      [xs, vs, current],
      el,
    );
  }
}
