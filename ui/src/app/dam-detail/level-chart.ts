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
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Subject, catchError, forkJoin, map, of, switchMap, tap, throttleTime } from 'rxjs';
import uPlot from 'uplot';

import { Api } from '../core/api';
import { Clock } from '../core/clock';
import { volumeAt } from '../core/curve';
import { formatDate, formatNumber, formatVolume } from '../core/format';
import { I18n, TranslatePipe } from '../core/i18n/i18n';
import { Live } from '../core/live';
import {
  Dam,
  ReadingsRecorded,
  SensorSpec,
  SeriesPoint,
  ThresholdCrossed,
  TimelineEntry,
} from '../core/models';
import { DateTimePipe, DurationPipe, NumberPipe } from '../core/pipes';
import { Theme } from '../core/theme';
import { DASHES, chartColors, severityColor, withAlpha } from '../shared/chart-theme';
import { observeWidth } from '../shared/observe-width';
import { PRESETS, TimeRange, isLive, lastSpan, stepFor, zoomIn, zoomOut } from './series-range';

/** A threshold crossing drawn on the chart and listed under it. */
export interface Crossing {
  at: number;
  threshold: string;
  severity: string;
  direction: 'up' | 'down';
  value: number;
  late: boolean;
}

interface Loaded {
  range: TimeRange;
  step: number;
  points: SeriesPoint[];
  crossings: Crossing[];
  error: boolean;
}

/**
 * Level and volume of one dam over time, with uPlot: presets from ten minutes to a year, drag to
 * zoom, each zoom re-querying the series API with a bucket size fitting the range. Thresholds are
 * drawn as lines and crossings as markers; a text summary repeats them for screen readers.
 */
@Component({
  selector: 'app-level-chart',
  imports: [
    MatButtonModule,
    MatIconModule,
    MatTooltipModule,
    TranslatePipe,
    DateTimePipe,
    NumberPipe,
    DurationPipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './level-chart.html',
  styleUrl: './level-chart.scss',
})
export class LevelChart {
  private readonly api = inject(Api);
  private readonly live = inject(Live);
  private readonly clock = inject(Clock);
  private readonly theme = inject(Theme);
  private readonly i18n = inject(I18n);
  private readonly host = inject(ElementRef<HTMLElement>);
  private readonly destroyRef = inject(DestroyRef);

  readonly dam = input.required<Dam>();
  readonly sensor = input.required<SensorSpec>();

  protected readonly presets = PRESETS;
  protected readonly range = signal<TimeRange>(lastSpan(86400, Date.now()));
  protected readonly loaded = signal<Loaded | null>(null);
  protected readonly loading = signal(false);
  protected readonly activePreset = signal<string | null>('24h');

  private readonly plotEl = viewChild.required<ElementRef<HTMLDivElement>>('plot');
  private plot: uPlot | null = null;
  private readonly requests = new Subject<TimeRange>();
  private readonly liveReload = new Subject<void>();

  protected readonly stats = computed(() => {
    const l = this.loaded();
    if (!l || l.points.length === 0) {
      return null;
    }
    let min = Infinity;
    let max = -Infinity;
    for (const p of l.points) {
      if (p.count > 0) {
        min = Math.min(min, p.min);
        max = Math.max(max, p.max);
      }
    }
    const last = [...l.points].reverse().find((p) => p.count > 0);
    return { min, max, last: last?.last ?? null, count: l.points.length };
  });

  protected readonly stepLabel = computed(() => this.loaded()?.step ?? 0);

  protected readonly summary = computed(() => {
    const s = this.stats();
    const l = this.loaded();
    if (!s || !l) {
      return this.i18n.t('chart.noData');
    }
    const locale = this.i18n.locale();
    return this.i18n.t('chart.summary', {
      from: formatDate(locale, l.range.from),
      to: formatDate(locale, l.range.to),
      min: formatNumber(locale, s.min),
      max: formatNumber(locale, s.max),
      last: formatNumber(locale, s.last),
      n: l.crossings.length,
    });
  });

  constructor() {
    this.requests
      .pipe(
        tap(() => this.loading.set(true)),
        switchMap((range) => this.fetch(range)),
        takeUntilDestroyed(),
      )
      .subscribe((l) => {
        this.loading.set(false);
        this.loaded.set(l);
      });

    // New readings of this sensor reload a live window, at most every 5 s.
    this.live
      .on('sensor.readings_recorded')
      .pipe(takeUntilDestroyed())
      .subscribe((e) => {
        if ((e.record.data as ReadingsRecorded)?.sensor === this.sensor().id) {
          this.liveReload.next();
        }
      });
    this.liveReload
      .pipe(throttleTime(5000, undefined, { leading: true, trailing: true }), takeUntilDestroyed())
      .subscribe(() => {
        const r = this.range();
        const now = Date.now();
        if (isLive(r, now)) {
          this.setRange(lastSpan((r.to - r.from) / 1000, now), this.activePreset(), false);
        }
      });

    afterNextRender(() => {
      this.createPlot();
      const stop = observeWidth(this.plotEl().nativeElement, () => this.resize());
      this.destroyRef.onDestroy(() => {
        stop();
        this.plot?.destroy();
        this.plot = null;
      });
    });

    // Colours and number formats follow the theme and the language.
    effect(() => {
      this.theme.mode();
      this.i18n.lang();
      untracked(() => {
        if (this.plot) {
          this.createPlot();
        }
      });
    });

    effect(() => {
      const l = this.loaded();
      untracked(() => this.render(l));
    });

    // A new sensor (navigation to another dam) starts again from the last 24 h.
    effect(() => {
      this.sensor();
      untracked(() => this.showLast(86400, '24h'));
    });
  }

  protected showLast(span: number, key: string): void {
    this.setRange(lastSpan(span, Date.now()), key);
  }

  protected zoomOut(): void {
    this.setRange(zoomOut(this.range(), Date.now()), null);
  }

  protected zoomIn(): void {
    this.setRange(zoomIn(this.range()), null);
  }

  private setRange(r: TimeRange, preset: string | null, announce = true): void {
    this.range.set(r);
    if (announce) {
      this.activePreset.set(preset);
    }
    this.requests.next(r);
  }

  private fetch(range: TimeRange) {
    const sensor = this.sensor();
    const step = stepFor((range.to - range.from) / 1000, sensor.period_s);
    const series = this.api.series({
      sensor: sensor.id,
      from: new Date(range.from),
      to: new Date(range.to),
      stepS: step,
    });
    const timeline = this.api
      .timeline({
        from: new Date(range.from),
        to: new Date(range.to),
        dam: this.dam().id,
        types: ['sensor.threshold_crossed'],
        limit: 1000,
      })
      .pipe(
        map((page) => page.entries),
        catchError(() => of([] as TimelineEntry[])),
      );
    return forkJoin([series, timeline]).pipe(
      map(([points, entries]) => ({
        range,
        step,
        points: points ?? [],
        crossings: toCrossings(entries, sensor.id),
        error: false,
      })),
      catchError(() => of({ range, step, points: [], crossings: [], error: true })),
    );
  }

  private createPlot(): void {
    this.plot?.destroy();
    const el = this.plotEl().nativeElement;
    el.replaceChildren();
    const c = chartColors(this.host.nativeElement);
    const locale = this.i18n.locale();
    const t = (k: string) => this.i18n.t(k);
    const dpr = typeof devicePixelRatio === 'number' ? devicePixelRatio : 1;
    const font = `${Math.round(12 * dpr)}px system-ui, sans-serif`;
    const axisFont = '12px system-ui, sans-serif';
    const fmtM = (_u: uPlot, v: number | null) =>
      v === null || v === undefined ? '—' : `${formatNumber(locale, v, 2)} m`;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: plotHeight(el),
      pxAlign: false,
      cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 8 } },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      legend: { show: true, live: true },
      scales: {
        x: { time: true, range: () => [this.range().from / 1000, this.range().to / 1000] },
        m: { range: (u, min, max) => this.levelRange(min, max) },
        v: {
          range: (u, min, max) =>
            min === null || max === null || !Number.isFinite(min)
              ? [0, 1]
              : [Math.min(0, min), max * 1.05 || 1],
        },
      },
      axes: [
        {
          stroke: c.muted,
          font: axisFont,
          grid: { stroke: withAlpha(c.grid, 0.6), width: 1 },
          ticks: { stroke: c.grid },
          space: 70,
          size: 54,
          values: (_u, splits, _i, _space, incr) => timeTicks(locale, splits, incr),
        },
        {
          scale: 'm',
          label: t('chart.levelAxis'),
          stroke: c.muted,
          font: axisFont,
          labelFont: axisFont,
          grid: { stroke: withAlpha(c.grid, 0.6), width: 1 },
          ticks: { stroke: c.grid },
          values: (_u, splits) => splits.map((s) => formatNumber(locale, s, 2)),
          size: 56,
        },
        {
          scale: 'v',
          side: 1,
          label: t('chart.volumeAxis'),
          stroke: c.muted,
          font: axisFont,
          labelFont: axisFont,
          grid: { show: false },
          ticks: { stroke: c.grid },
          values: (_u, splits) => splits.map((s) => compactVolume(locale, s)),
          size: 64,
        },
      ],
      series: [
        {
          label: t('chart.time'),
          value: (_u, v) => (v === null ? '—' : formatDate(locale, v * 1000)),
        },
        {
          label: t('chart.level'),
          scale: 'm',
          stroke: c.line,
          width: 2,
          value: fmtM,
          points: { show: (u) => (u.data[0]?.length ?? 0) < 150 },
        },
        {
          label: t('chart.min'),
          scale: 'm',
          stroke: withAlpha(c.line, 0.35),
          width: 1,
          value: fmtM,
        },
        {
          label: t('chart.max'),
          scale: 'm',
          stroke: withAlpha(c.line, 0.35),
          width: 1,
          value: fmtM,
        },
        {
          label: t('chart.volume'),
          scale: 'v',
          stroke: c.volume,
          width: 1.5,
          dash: [6, 4],
          value: (_u, v) => (v === null ? '—' : `${formatVolume(locale, v)} m³`),
        },
        {
          label: t('chart.implausible'),
          scale: 'm',
          stroke: c.critical,
          fill: c.critical,
          width: 0,
          paths: () => null,
          points: { show: true, size: 9, stroke: c.critical, fill: c.surface, width: 2 },
          value: fmtM,
        },
      ],
      bands: [{ series: [3, 2], fill: withAlpha(c.band, 0.35) }],
      hooks: {
        setSelect: [(u) => this.onSelect(u)],
        draw: [(u) => this.drawOverlays(u, c, font, dpr)],
      },
    };
    this.plot = new uPlot(opts, emptyData(), el);
    this.render(this.loaded());
  }

  private levelRange(min: number | null, max: number | null): uPlot.Range.MinMax {
    const thresholds = this.dam()
      .thresholds.map((t) => t.level_m)
      .sort((a, b) => a - b);
    let lo = min ?? 0;
    let hi = max ?? 1;
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
      lo = 0;
      hi = thresholds[0] ?? 1;
    }
    // Always show the next threshold above the data, so the margin to it is visible.
    const next = thresholds.find((t) => t > hi);
    if (next !== undefined) {
      hi = next;
    }
    const pad = Math.max((hi - lo) * 0.08, 0.05);
    return [Math.max(lo - pad, Math.min(lo, 0) - pad), hi + pad];
  }

  private render(l: Loaded | null): void {
    if (!this.plot) {
      return;
    }
    this.plot.setData(l ? toAligned(l, this.dam()) : emptyData(), true);
  }

  private onSelect(u: uPlot): void {
    const sel = u.select;
    if (sel.width < 5) {
      return;
    }
    const from = u.posToVal(sel.left, 'x') * 1000;
    const to = u.posToVal(sel.left + sel.width, 'x') * 1000;
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    const minSpan = 60_000;
    const centre = (from + to) / 2;
    const span = Math.max(to - from, minSpan);
    this.setRange({ from: centre - span / 2, to: Math.min(centre + span / 2, Date.now()) }, null);
  }

  private drawOverlays(
    u: uPlot,
    c: ReturnType<typeof chartColors>,
    font: string,
    dpr: number,
  ): void {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.font = font;
    ctx.textBaseline = 'bottom';
    const locale = this.i18n.locale();
    const dam = this.dam();
    const lines = dam.thresholds.map((t) => ({
      level: t.level_m,
      color: severityColor(c, t.severity),
      dash: DASHES[t.severity] ?? [],
      label: `${t.name} ${formatNumber(locale, t.level_m, 2)} m`,
    }));
    if (dam.spillway_crest_m > 0) {
      lines.push({
        level: dam.spillway_crest_m,
        color: c.text,
        dash: [],
        label: `${this.i18n.t('scale.crest')} ${formatNumber(locale, dam.spillway_crest_m, 2)} m`,
      });
    }
    for (const line of lines) {
      const y = u.valToPos(line.level, 'm', true);
      if (y < top || y > top + height) {
        continue;
      }
      ctx.strokeStyle = line.color;
      ctx.lineWidth = 2 * dpr;
      ctx.setLineDash(line.dash.map((d) => d * dpr));
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = line.color;
      ctx.fillText(line.label, left + 6 * dpr, y - 3 * dpr);
    }
    for (const cr of this.loaded()?.crossings ?? []) {
      const x = u.valToPos(cr.at / 1000, 'x', true);
      if (x < left || x > left + width) {
        continue;
      }
      const color = severityColor(c, cr.severity);
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.lineWidth = 1.5 * dpr;
      ctx.setLineDash([3 * dpr, 3 * dpr]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      ctx.setLineDash([]);
      const s = 7 * dpr;
      const yy = top + 2 * dpr;
      ctx.beginPath();
      if (cr.direction === 'up') {
        ctx.moveTo(x, yy);
        ctx.lineTo(x - s, yy + s * 1.6);
        ctx.lineTo(x + s, yy + s * 1.6);
      } else {
        ctx.moveTo(x, yy + s * 1.6);
        ctx.lineTo(x - s, yy);
        ctx.lineTo(x + s, yy);
      }
      ctx.closePath();
      ctx.fill();
    }
    ctx.restore();
  }

  private resize(): void {
    const el = this.plotEl().nativeElement;
    this.plot?.setSize({ width: Math.max(200, el.clientWidth), height: plotHeight(el) });
  }
}

function plotHeight(el: HTMLElement): number {
  return el.clientWidth < 600 ? 260 : 380;
}

function emptyData(): uPlot.AlignedData {
  return [[], [], [], [], [], []];
}

/** Series points to uPlot's column arrays: time, level, min, max, volume, implausible. */
export function toAligned(l: Loaded, dam: Dam): uPlot.AlignedData {
  const n = l.points.length;
  const xs = new Array<number>(n);
  const level = new Array<number | null>(n);
  const min = new Array<number | null>(n);
  const max = new Array<number | null>(n);
  const vol = new Array<number | null>(n);
  const bad = new Array<number | null>(n);
  const raw = l.step === 0;
  for (let i = 0; i < n; i++) {
    const p = l.points[i];
    xs[i] = Date.parse(p.time) / 1000;
    // A raw implausible reading has quality "implausible" (and Implausible 1): drawn apart.
    const implausible =
      raw && (p.quality === 'implausible' || (p.count === 0 && (p.implausible ?? 0) > 0));
    const usable = p.count > 0 && !implausible;
    const v = raw ? p.last : p.avg;
    level[i] = usable ? v : null;
    min[i] = usable && !raw ? p.min : null;
    max[i] = usable && !raw ? p.max : null;
    vol[i] = usable ? volumeAt(dam.curve, v) : null;
    bad[i] = implausible ? p.last : null;
  }
  return [xs, level, min, max, vol, bad];
}

export function toCrossings(
  entries: TimelineEntry[] | null | undefined,
  sensor: string,
): Crossing[] {
  const out: Crossing[] = [];
  for (const e of entries ?? []) {
    if (e.type !== 'sensor.threshold_crossed') {
      continue;
    }
    const d = (e.data ?? {}) as Partial<ThresholdCrossed>;
    if ((d.sensor ?? e.sensor) && (d.sensor ?? e.sensor) !== sensor) {
      continue;
    }
    out.push({
      at: Date.parse(d.at ?? e.time),
      threshold: d.threshold ?? '',
      severity: d.severity ?? '',
      direction: d.direction === 'down' ? 'down' : 'up',
      value: d.value_m ?? NaN,
      late: !!d.late,
    });
  }
  return out;
}

/** Tick labels: the time, with the date under the first tick of each day; dates alone past a day. */
export function timeTicks(locale: string, splits: number[], incrS: number): string[] {
  const withSeconds = incrS < 60;
  let prevDay = '';
  return splits.map((s) => {
    const ms = s * 1000;
    const day = formatDate(locale, ms, 'day');
    if (incrS >= 86400) {
      return day;
    }
    const time = formatDate(locale, ms, withSeconds ? 'time' : 'hm');
    const label = day !== prevDay ? `${time}\n${day}` : time;
    prevDay = day;
    return label;
  });
}

function compactVolume(locale: string, v: number): string {
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(v);
}
