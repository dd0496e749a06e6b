import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';

import { Alarms, isUnacked } from '../core/alarms';
import { Clock } from '../core/clock';
import { I18n, TranslatePipe } from '../core/i18n/i18n';
import { severityRank } from '../core/models';
import { FreshnessPipe, NumberPipe } from '../core/pipes';
import { DamView, SiteStore } from '../core/site-store';
import { LevelChart } from '../dam-detail/level-chart';
import { DamCard } from '../overview/dam-card';
import { SeverityBadge } from '../shared/severity-badge';
import { KpiKind, Widget } from './layout';

/** Where a dam sits on the schematic map, in % of the width and height. */
interface MapSpot {
  view: DamView;
  x: number;
  y: number;
  severity: string;
}

/**
 * One tile of a board: a dam card, a level chart, the open alarms, the map of the dams or a key
 * figure. Every widget reads the same live stores as the full screens.
 */
@Component({
  selector: 'app-board-widget',
  imports: [
    DamCard,
    LevelChart,
    MatIconModule,
    RouterLink,
    SeverityBadge,
    TranslatePipe,
    NumberPipe,
    FreshnessPipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @switch (widget().type) {
      @case ('dam-card') {
        @if (damView(); as v) {
          <app-dam-card
            [view]="v"
            [alarm]="alarms.worstByDam().get(v.dam.id)"
            [alarmsAvailable]="alarms.status() === 'available'"
            [now]="clock.now()"
          />
        } @else {
          <p class="missing">{{ 'board.noDam' | t: { dam: widget().dam ?? '' } }}</p>
        }
      }
      @case ('chart') {
        @if (damView(); as v) {
          <section class="tile" [attr.aria-label]="v.dam.name">
            <h2 class="tile-title">{{ widget().title || v.dam.name }}</h2>
            @if (v.level) {
              <app-level-chart [dam]="v.dam" [sensor]="v.level.spec" />
            }
          </section>
        } @else {
          <p class="missing">{{ 'board.noDam' | t: { dam: widget().dam ?? '' } }}</p>
        }
      }
      @case ('alarm-list') {
        <section class="tile" [attr.aria-label]="'board.type.alarm-list' | t">
          <h2 class="tile-title">{{ widget().title || ('board.type.alarm-list' | t) }}</h2>
          @if (alarms.status() === 'missing') {
            <p class="muted">{{ 'alarms.missing' | t }}</p>
          }
          <ul class="alarm-list">
            @for (a of openAlarms(); track a.id) {
              <li [class.unacked]="unacked(a)">
                <app-severity-badge [severity]="a.severity" />
                <span class="what">
                  <strong>{{ damName(a.dam) }}</strong> — {{ a.summary || a.condition }}
                  <span class="muted">
                    · {{ 'alarm.state.' + a.state | t }} ·
                    {{ a.raised_at | freshness: clock.now() }}
                  </span>
                </span>
              </li>
            } @empty {
              <li class="muted">{{ 'card.noAlarm' | t }}</li>
            }
          </ul>
          @if (!embedded() && openAlarms().length) {
            <a class="more" routerLink="/alarms">{{ 'board.toConsole' | t }}</a>
          }
        </section>
      }
      @case ('map') {
        <section class="tile" [attr.aria-label]="'board.type.map' | t">
          <h2 class="tile-title">{{ widget().title || ('board.type.map' | t) }}</h2>
          <svg class="map" viewBox="0 0 100 60" role="img" [attr.aria-label]="mapLabel()">
            <path class="river" d="M0,45 C20,38 35,50 55,40 S85,30 100,34" />
            @for (s of mapSpots(); track s.view.dam.id) {
              <g
                [attr.transform]="'translate(' + s.x + ',' + s.y + ')'"
                [class]="'spot sev-' + s.severity"
              >
                <circle r="3.2" />
                <text y="-5" text-anchor="middle">{{ s.view.dam.name }}</text>
                <text y="8.5" text-anchor="middle" class="fill">
                  {{ s.view.level?.state?.fill_pct ?? null | num: 0 }} %
                </text>
              </g>
            }
          </svg>
        </section>
      }
      @case ('kpi') {
        <section class="tile kpi" [attr.aria-label]="'board.kpi.' + kpi() | t">
          <span class="kpi-value" data-testid="kpi-value">{{ kpiValue() }}</span>
          <span class="kpi-label">{{ widget().title || ('board.kpi.' + kpi() | t) }}</span>
        </section>
      }
    }
  `,
  styles: `
    :host {
      display: block;
      height: 100%;
      overflow: auto;
    }
    :host ::ng-deep app-dam-card {
      height: 100%;
      box-sizing: border-box;
    }
    .tile {
      height: 100%;
      box-sizing: border-box;
      padding: 12px 16px;
      border-radius: 16px;
      background: var(--mat-sys-surface-container-low);
      border: 1px solid var(--mat-sys-outline-variant);
    }
    .tile-title {
      font: var(--mat-sys-title-medium);
      margin: 0 0 8px;
    }
    .alarm-list {
      list-style: none;
      padding: 0;
      margin: 0;
    }
    .alarm-list li {
      display: flex;
      gap: 8px;
      align-items: baseline;
      padding: 6px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .alarm-list li.unacked .what {
      font-weight: 600;
    }
    .muted,
    .missing {
      color: var(--mat-sys-on-surface-variant);
    }
    .more {
      display: inline-block;
      margin-top: 8px;
      min-height: 44px;
      line-height: 44px;
    }
    .map {
      width: 100%;
      height: calc(100% - 32px);
    }
    .river {
      fill: none;
      stroke: var(--mat-sys-primary);
      stroke-opacity: 0.35;
      stroke-width: 2.5;
    }
    .spot circle {
      fill: var(--badge-color, var(--vigie-ok));
      stroke: var(--mat-sys-surface);
      stroke-width: 0.8;
    }
    .spot text {
      font-size: 3.6px;
      fill: var(--mat-sys-on-surface);
    }
    .kpi {
      display: flex;
      flex-direction: column;
      justify-content: center;
      align-items: flex-start;
    }
    .kpi-value {
      font-size: clamp(2rem, 5vw, 3.5rem);
      font-weight: 600;
      line-height: 1.1;
      font-variant-numeric: tabular-nums;
    }
    .kpi-label {
      font: var(--mat-sys-title-small);
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class BoardWidget {
  readonly widget = input.required<Widget>();
  /** In an embedded page: no links into the application. */
  readonly embedded = input(false);

  protected readonly store = inject(SiteStore);
  protected readonly alarms = inject(Alarms);
  protected readonly clock = inject(Clock);
  private readonly i18n = inject(I18n);

  protected readonly damView = computed(() =>
    this.store.dams().find((v) => v.dam.id === this.widget().dam),
  );

  protected readonly openAlarms = computed(() =>
    this.alarms
      .open()
      .filter((a) => !this.widget().dam || a.dam === this.widget().dam)
      .slice(0, 20),
  );

  protected readonly kpi = computed<KpiKind>(() => this.widget().options?.kpi ?? 'unacked');

  protected readonly kpiValue = computed(() => {
    const dams = this.store.dams();
    switch (this.kpi()) {
      case 'unacked':
        return String(this.alarms.unackedCount());
      case 'standing':
        return String(this.alarms.open().filter((a) => a.state !== 'shelved').length);
      case 'spilling':
        return String(dams.filter((v) => v.level?.state?.spilling).length);
      case 'max_fill': {
        const fills = dams
          .map((v) => v.level?.state?.fill_pct)
          .filter((f): f is number => typeof f === 'number');
        return fills.length ? `${Math.round(Math.max(...fills))} %` : '—';
      }
    }
  });

  protected readonly mapSpots = computed<MapSpot[]>(() => {
    const dams = this.store.dams();
    const positions = (this.widget().options?.['positions'] ?? {}) as Record<
      string,
      [number, number]
    >;
    const worst = this.alarms.worstByDam();
    return dams.map((view, i) => {
      // Without coordinates in the configuration, dams are spread along the river; a widget may
      // place them itself (options.positions: {dam: [x%, y%]}).
      const p = positions[view.dam.id];
      const x = p ? p[0] : ((i + 0.5) / dams.length) * 100;
      const y = p ? (p[1] * 60) / 100 : 22 + (i % 2) * 14;
      const alarm = worst.get(view.dam.id);
      const crossed = view.worstCrossed?.severity;
      const sev = [alarm?.severity, crossed].sort((a, b) => severityRank(b) - severityRank(a))[0];
      return { view, x, y, severity: sev ?? 'ok' };
    });
  });

  protected readonly mapLabel = computed(() =>
    this.mapSpots()
      .map((s) => `${s.view.dam.name}: ${this.i18n.t('severity.' + s.severity)}`)
      .join('; '),
  );

  protected unacked = isUnacked;

  protected damName(id: string | undefined): string {
    return this.store.site()?.dams.find((d) => d.id === id)?.name ?? id ?? '';
  }
}
