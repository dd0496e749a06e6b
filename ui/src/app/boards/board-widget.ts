import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';

import { Alarms, isUnacked } from '../core/alarms';
import { Clock } from '../core/clock';
import { I18n, TranslatePipe } from '../core/i18n/i18n';
import { severityRank } from '../core/models';
import { FreshnessPipe } from '../core/pipes';
import { DamView, SiteStore } from '../core/site-store';
import { LevelChart } from '../dam-detail/level-chart';
import { DamCard } from '../overview/dam-card';
import { SeverityBadge } from '../shared/severity-badge';
import { KpiKind, Widget } from './layout';
import { MAP_H, MAP_W, MapOptions, placeDams } from './map-layout';

/** A dam on the map: where, its state in a word and a shape, and its accessible name. */
interface MapSpot {
  view: DamView;
  x: number;
  y: number;
  severity: string;
  /** The marker's shape, so the state never rests on colour alone. */
  shape: 'ok' | 'warn' | 'danger';
  unacked: boolean;
  /** "63 % · Critique", under the name. */
  status: string;
  /** What a screen reader says, and where the link goes. */
  label: string;
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
    NgTemplateOutlet,
    RouterLink,
    SeverityBadge,
    TranslatePipe,
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
        <section class="tile map-tile" [attr.aria-labelledby]="widget().id + '-map'">
          <h2 class="tile-title" [id]="widget().id + '-map'">
            {{ widget().title || ('board.type.map' | t) }}
          </h2>
          <svg
            class="map"
            [attr.viewBox]="'0 0 ' + mapW + ' ' + mapH"
            role="group"
            [attr.aria-label]="mapLabel()"
            data-testid="dam-map"
          >
            <rect class="land" x="0" y="0" [attr.width]="mapW" [attr.height]="mapH" rx="2" />
            @if (mapLayout().geographic) {
              @for (g of graticule; track g) {
                <line class="grid" [attr.x1]="g" y1="0" [attr.x2]="g" [attr.y2]="mapH" />
                <line
                  class="grid"
                  x1="0"
                  [attr.y1]="g * 0.64"
                  [attr.x2]="mapW"
                  [attr.y2]="g * 0.64"
                />
              }
              <g class="north" transform="translate(94,9)" aria-hidden="true">
                <path d="M0,-5 L2.2,1.5 L0,0.4 L-2.2,1.5 Z" />
                <text y="5.6" text-anchor="middle">{{ 'board.map.north' | t }}</text>
              </g>
              @if (mapLayout().scale; as sc) {
                <g
                  class="scale"
                  [attr.transform]="'translate(4,' + (mapH - 4) + ')'"
                  aria-hidden="true"
                >
                  <path [attr.d]="'M0,-1.5 V0 H' + sc.units + ' V-1.5'" />
                  <text [attr.x]="sc.units / 2" y="-2.2" text-anchor="middle">{{ sc.km }} km</text>
                </g>
              }
            } @else {
              <path class="river" d="M0,45 C20,38 35,50 55,40 S85,30 100,34" aria-hidden="true" />
            }
            @for (s of mapSpots(); track s.view.dam.id) {
              @if (embedded()) {
                <g
                  class="spot"
                  [class]="'spot sev-' + s.severity"
                  [attr.transform]="'translate(' + s.x + ',' + s.y + ')'"
                  tabindex="0"
                  role="img"
                  [attr.aria-label]="s.label"
                  data-testid="map-dam"
                >
                  <ng-container *ngTemplateOutlet="spot; context: { $implicit: s }" />
                </g>
              } @else {
                <a
                  class="spot"
                  [class]="'spot sev-' + s.severity"
                  [attr.transform]="'translate(' + s.x + ',' + s.y + ')'"
                  [routerLink]="['/dams', s.view.dam.id]"
                  [attr.aria-label]="s.label"
                  data-testid="map-dam"
                >
                  <ng-container *ngTemplateOutlet="spot; context: { $implicit: s }" />
                </a>
              }
            }
            <ng-template #spot let-s>
              <svg:circle class="focus-ring" r="7.5" />
              <svg:g class="marker" aria-hidden="true">
                @switch (s.shape) {
                  @case ('ok') {
                    <svg:circle r="3.6" />
                    <svg:path class="glyph" d="M-1.7,0.1 L-0.5,1.4 L1.8,-1.3" />
                  }
                  @case ('warn') {
                    <svg:path d="M0,-4.2 L4.2,3.2 L-4.2,3.2 Z" />
                    <svg:text class="glyph-text" y="2.4" text-anchor="middle">!</svg:text>
                  }
                  @default {
                    <svg:path
                      d="M-1.7,-4 L1.7,-4 L4,-1.7 L4,1.7 L1.7,4 L-1.7,4 L-4,1.7 L-4,-1.7 Z"
                    />
                    <svg:text class="glyph-text" y="1.6" text-anchor="middle">!!</svg:text>
                  }
                }
                @if (s.unacked) {
                  <svg:circle class="unacked" r="5.6" />
                }
              </svg:g>
              <svg:text class="name" y="-6.4" text-anchor="middle" aria-hidden="true">
                {{ s.view.dam.name }}
              </svg:text>
              <svg:text class="status" y="9.6" text-anchor="middle" aria-hidden="true">
                {{ s.status }}
              </svg:text>
            </ng-template>
          </svg>
          <ul class="legend" [attr.aria-label]="'board.map.legend' | t">
            <li><span class="key sev-ok" aria-hidden="true">✓</span>{{ 'board.map.ok' | t }}</li>
            <li>
              <span class="key sev-medium" aria-hidden="true">!</span>{{ 'board.map.warn' | t }}
            </li>
            <li>
              <span class="key sev-critical" aria-hidden="true">!!</span
              >{{ 'board.map.danger' | t }}
            </li>
            <li><span class="key ring" aria-hidden="true">◯</span>{{ 'board.map.unacked' | t }}</li>
          </ul>
          @if (!mapLayout().geographic) {
            <p class="muted map-note">{{ 'board.map.schematic' | t }}</p>
          }
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
    .map-tile {
      display: flex;
      flex-direction: column;
    }
    .map {
      width: 100%;
      flex: 1 1 auto;
      min-height: 120px;
    }
    .land {
      fill: var(--mat-sys-surface-container);
    }
    .grid {
      stroke: var(--mat-sys-outline-variant);
      stroke-width: 0.2;
    }
    .river {
      fill: none;
      stroke: var(--mat-sys-primary);
      stroke-opacity: 0.35;
      stroke-width: 2.5;
    }
    .north path,
    .scale path {
      fill: var(--mat-sys-on-surface-variant);
      stroke: var(--mat-sys-on-surface-variant);
      stroke-width: 0.3;
    }
    .scale path {
      fill: none;
    }
    .north text,
    .scale text {
      font-size: 2.8px;
      fill: var(--mat-sys-on-surface-variant);
    }
    .spot {
      cursor: pointer;
      outline: none;
    }
    .spot .marker > circle:first-child,
    .spot .marker > path:first-child {
      fill: var(--badge-color, var(--vigie-ok));
      stroke: var(--mat-sys-surface);
      stroke-width: 0.7;
    }
    .spot .glyph {
      fill: none;
      stroke: #fff;
      stroke-width: 0.9;
      stroke-linecap: round;
      stroke-linejoin: round;
    }
    .spot .glyph-text {
      font-size: 4.2px;
      font-weight: 700;
      fill: #fff;
    }
    .spot .unacked {
      fill: none;
      stroke: var(--badge-color, var(--vigie-ok));
      stroke-width: 0.6;
      stroke-dasharray: 1.2 0.8;
    }
    .spot .name {
      font-size: 3.4px;
      font-weight: 600;
      fill: var(--mat-sys-on-surface);
      paint-order: stroke;
      stroke: var(--mat-sys-surface-container);
      stroke-width: 0.8px;
    }
    .spot .status {
      font-size: 2.9px;
      fill: var(--mat-sys-on-surface);
      paint-order: stroke;
      stroke: var(--mat-sys-surface-container);
      stroke-width: 0.8px;
    }
    .spot .focus-ring {
      fill: none;
      stroke: transparent;
      stroke-width: 0.8;
    }
    .spot:focus-visible .focus-ring,
    .spot:hover .focus-ring {
      stroke: var(--mat-sys-primary);
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
      list-style: none;
      padding: 0;
      margin: 6px 0 0;
      font: var(--mat-sys-body-small);
    }
    .legend li {
      display: flex;
      align-items: center;
      gap: 6px;
    }
    .legend .key {
      display: inline-grid;
      place-items: center;
      min-width: 20px;
      height: 20px;
      border-radius: 10px;
      font-weight: 700;
      font-size: 12px;
      color: #fff;
      background: var(--badge-color, var(--vigie-ok));
    }
    .legend .key.ring {
      color: var(--mat-sys-on-surface);
      background: none;
    }
    .map-note {
      margin: 4px 0 0;
      font: var(--mat-sys-body-small);
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

  protected readonly mapW = MAP_W;
  protected readonly mapH = MAP_H;
  protected readonly graticule = [20, 40, 60, 80];

  protected readonly mapLayout = computed(() =>
    placeDams(
      this.store.dams().map((v) => v.dam),
      (this.widget().options ?? {}) as MapOptions,
    ),
  );

  protected readonly mapSpots = computed<MapSpot[]>(() => {
    const views = new Map(this.store.dams().map((v) => [v.dam.id, v]));
    const worst = this.alarms.worstByDam();
    const unackedDams = new Set(
      this.alarms
        .open()
        .filter(isUnacked)
        .map((a) => a.dam),
    );
    return this.mapLayout().spots.flatMap((p) => {
      const view = views.get(p.id);
      if (!view) {
        return [];
      }
      const alarm = worst.get(p.id);
      const crossed = view.worstCrossed?.severity;
      const severity =
        [alarm?.severity, crossed].sort((a, b) => severityRank(b) - severityRank(a))[0] ?? 'ok';
      const shape =
        severity === 'ok'
          ? 'ok'
          : severityRank(severity) >= severityRank('high')
            ? 'danger'
            : 'warn';
      const fill = view.level?.state?.fill_pct;
      const words = [
        typeof fill === 'number' ? this.i18n.t('board.map.fill', { pct: Math.round(fill) }) : null,
        this.i18n.t('severity.' + severity),
      ].filter((w): w is string => !!w);
      const unacked = unackedDams.has(p.id);
      const label = this.i18n.t(this.embedded() ? 'board.map.damLabel' : 'board.map.damLink', {
        dam: view.dam.name,
        state: [...words, ...(unacked ? [this.i18n.t('board.map.unacked')] : [])].join(', '),
      });
      return [{ view, x: p.x, y: p.y, severity, shape, unacked, status: words.join(' · '), label }];
    });
  });

  protected readonly mapLabel = computed(() =>
    this.i18n.t(this.mapLayout().geographic ? 'board.map.labelGeo' : 'board.map.label', {
      n: this.mapSpots().length,
    }),
  );

  protected unacked = isUnacked;

  protected damName(id: string | undefined): string {
    return this.store.site()?.dams.find((d) => d.id === id)?.name ?? id ?? '';
  }
}
