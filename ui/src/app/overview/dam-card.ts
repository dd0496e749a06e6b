import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';

import { conditionLabel } from '../core/alarms';
import { I18n, TranslatePipe } from '../core/i18n/i18n';
import { Alarm } from '../core/models';
import { DurationPipe, FreshnessPipe, NumberPipe } from '../core/pipes';
import { DamView } from '../core/site-store';
import { FillGauge } from '../shared/fill-gauge';
import { LevelScale } from '../shared/level-scale';
import { QualityBadge } from '../shared/quality-badge';
import { SeverityBadge } from '../shared/severity-badge';

/** Below this rate (m/h) the level is called stable. */
export const STABLE_TREND_M_PER_H = 0.01;

/** A reading older than this many reporting periods (and at least 2 min) is stale. */
export const STALE_PERIODS = 3;

/** A spill forecast closer than this (s) is highlighted. */
export const SPILL_SOON_S = 24 * 3600;

/** A spill forecast further than this (s) is only said to be far: the trend will change before. */
export const SPILL_FAR_S = 7 * 86400;

export type TrendDirection = 'up' | 'down' | 'stable' | 'unknown';

export function trendDirection(trend: number | null | undefined): TrendDirection {
  if (trend === null || trend === undefined || !Number.isFinite(trend)) {
    return 'unknown';
  }
  if (Math.abs(trend) < STABLE_TREND_M_PER_H) {
    return 'stable';
  }
  return trend > 0 ? 'up' : 'down';
}

const TREND_ICON: Readonly<Record<TrendDirection, string>> = {
  up: 'trending_up',
  down: 'trending_down',
  stable: 'trending_flat',
  unknown: 'help',
};

/** One dam on the overview: level, fill, trend, forecast, alarms and how fresh the data is. */
@Component({
  selector: 'app-dam-card',
  imports: [
    MatIconModule,
    RouterLink,
    TranslatePipe,
    NumberPipe,
    DurationPipe,
    FreshnessPipe,
    FillGauge,
    LevelScale,
    QualityBadge,
    SeverityBadge,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './dam-card.html',
  styleUrl: './dam-card.scss',
  host: {
    role: 'article',
    '[attr.aria-labelledby]': 'titleId()',
    '[class.has-alarm]': '!!alarm()',
    'data-testid': 'dam-card',
  },
})
export class DamCard {
  private readonly i18n = inject(I18n);

  /** The alarm's condition in words, as the card has little room for the full summary. */
  protected conditionText(a: Alarm): string {
    return conditionLabel(a.condition, (k) => this.i18n.t(k)) || a.summary || '';
  }

  readonly view = input.required<DamView>();
  /** The dam's worst open alarm, if the alarm API is there. */
  readonly alarm = input<Alarm | undefined>();
  readonly alarmsAvailable = input(false);
  /** Current time (ms), ticking. */
  readonly now = input.required<number>();

  protected readonly titleId = computed(() => `dam-${this.view().dam.id}-title`);
  protected readonly state = computed(() => this.view().level?.state);
  protected readonly trend = computed(() => trendDirection(this.state()?.trend_m_per_h));
  protected readonly trendIcon = computed(() => TREND_ICON[this.trend()]);

  protected readonly stale = computed(() => {
    const s = this.state();
    if (!s) {
      return true;
    }
    const period = this.view().level?.spec.period_s || 60;
    const limit = Math.max(120, STALE_PERIODS * period) * 1000;
    return this.now() - Date.parse(s.time) > limit;
  });

  /** Quality to show: the reading's, or "stale" when the sensor has gone quiet. */
  protected readonly quality = computed(() =>
    this.stale() && this.state() ? 'stale' : this.state()?.quality,
  );

  /** A forecast within a day is highlighted; further away it is only information. */
  protected readonly spillSoon = computed(() => {
    const tts = this.state()?.time_to_spill;
    return (
      this.spill() === 'spilling' || (this.spill() === 'forecast' && !!tts && tts < SPILL_SOON_S)
    );
  });

  protected readonly spill = computed<'spilling' | 'forecast' | 'far' | 'none' | 'unknown'>(() => {
    const s = this.state();
    if (!s) {
      return 'unknown';
    }
    if (s.spilling) {
      return 'spilling';
    }
    const tts = s.time_to_spill;
    if (tts === null || tts === undefined || !(tts > 0)) {
      return 'none';
    }
    return tts > SPILL_FAR_S ? 'far' : 'forecast';
  });

  protected readonly crossedNames = computed(() =>
    this.view()
      .crossed.map((t) => t.name)
      .join(', '),
  );

  /** Severity of the header badge: the worst alarm, else the worst crossed threshold. */
  protected readonly status = computed(() => {
    const a = this.alarm();
    if (a) {
      return { severity: a.severity, label: this.conditionText(a) };
    }
    const t = this.view().worstCrossed;
    if (t) {
      return { severity: t.severity, label: t.name };
    }
    return { severity: this.state() ? 'ok' : 'unknown', label: '' };
  });
}
