import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';

import { Api } from './api';
import { volumeAt } from './curve';
import { Live } from './live';
import {
  Dam,
  ReadingsRecorded,
  SensorSpec,
  SensorState,
  Site,
  Threshold,
  severityRank,
} from './models';

export interface SensorView {
  spec: SensorSpec;
  state?: SensorState;
}

/** Everything a screen shows about one dam. */
export interface DamView {
  dam: Dam;
  /** The main water-level sensor, whose state drives the card. */
  level?: SensorView;
  sensors: SensorView[];
  /** Thresholds currently crossed by the level, lowest first. */
  crossed: Threshold[];
  /** The most severe crossed threshold. */
  worstCrossed?: Threshold;
  /** Top of the level scale (m): the dyke, or above the highest threshold. */
  scaleTop: number;
}

/** How long to wait for more events before re-reading the sensor states (ms). */
export const REFRESH_DEBOUNCE_MS = 250;

/**
 * The site and the latest state of its sensors, kept live: a reading event updates the value at
 * once from the event's data, then the sensor states are re-read from the API (which computes the
 * trend and forecast) within a fraction of a second.
 */
@Injectable({ providedIn: 'root' })
export class SiteStore {
  private readonly api = inject(Api);
  private readonly live = inject(Live);
  private readonly destroyRef = inject(DestroyRef);

  readonly site = signal<Site | null>(null);
  readonly states = signal<ReadonlyMap<string, SensorState>>(new Map());
  readonly error = signal<boolean>(false);
  readonly loaded = signal(false);

  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private started = false;

  readonly dams = computed<DamView[]>(() => {
    const site = this.site();
    const states = this.states();
    return site ? site.dams.map((d) => damView(d, states)) : [];
  });

  /** Starts loading and following the live stream; later calls do nothing. */
  start(): void {
    if (this.started) {
      return;
    }
    this.started = true;
    this.live.start();
    this.live.opened.pipe(takeUntilDestroyed(this.destroyRef)).subscribe(() => void this.reload());
    this.live
      .on('sensor.readings_recorded')
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((e) => {
        this.applyReadings(e.record.data as ReadingsRecorded);
        this.scheduleRefresh();
      });
    this.live
      .on('sensor.threshold_crossed')
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(() => this.scheduleRefresh());
    this.live
      .on('config.applied', 'sensor.configured')
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(() => void this.reload());
    void this.reload();
  }

  dam(id: string): DamView | undefined {
    return this.dams().find((d) => d.dam.id === id);
  }

  async reload(): Promise<void> {
    try {
      const [site, states] = await Promise.all([
        firstValueFrom(this.api.site()),
        firstValueFrom(this.api.sensors()),
      ]);
      this.site.set(site);
      this.setStates(states);
      this.error.set(false);
    } catch {
      this.error.set(true);
    } finally {
      this.loaded.set(true);
    }
  }

  async refreshStates(): Promise<void> {
    try {
      this.setStates(await firstValueFrom(this.api.sensors()));
      this.error.set(false);
    } catch {
      this.error.set(true);
    }
  }

  /**
   * Shows the newest in-order reading of an event at once. Volume and fill come from the storage
   * curve; the trend and the forecast wait for the API.
   */
  applyReadings(r: ReadingsRecorded | undefined): void {
    if (!r?.sensor || !Array.isArray(r.readings)) {
      return;
    }
    const current = this.states().get(r.sensor);
    let newest = current;
    for (const reading of r.readings) {
      if (reading.late) {
        continue;
      }
      if (newest && Date.parse(reading.t) <= Date.parse(newest.time)) {
        continue;
      }
      newest = {
        ...(newest ?? { sensor: r.sensor, dam: r.dam }),
        sensor: r.sensor,
        dam: r.dam,
        time: reading.t,
        value: reading.v,
        quality: reading.q,
        recorded_at: new Date().toISOString(),
      };
    }
    if (!newest || newest === current) {
      return;
    }
    const dam = this.site()?.dams.find((d) => d.id === r.dam);
    if (dam && newest.quality !== 'implausible') {
      const volume = volumeAt(dam.curve, newest.value);
      if (volume !== null) {
        newest.volume_m3 = volume;
        newest.fill_pct = dam.capacity_m3 > 0 ? (100 * volume) / dam.capacity_m3 : undefined;
      }
      newest.spilling = newest.value >= dam.spillway_crest_m;
    }
    const next = new Map(this.states());
    next.set(r.sensor, newest);
    this.states.set(next);
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer !== null) {
      return;
    }
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refreshStates();
    }, REFRESH_DEBOUNCE_MS);
  }

  private setStates(states: SensorState[]): void {
    const next = new Map<string, SensorState>();
    for (const s of states ?? []) {
      next.set(s.sensor, s);
    }
    this.states.set(next);
  }
}

export function damView(dam: Dam, states: ReadonlyMap<string, SensorState>): DamView {
  const sensors = (dam.sensors ?? []).map((spec) => ({ spec, state: states.get(spec.id) }));
  // Some sensors may report for the dam without being in its configuration.
  const level = sensors.find((s) => s.spec.kind === 'water_level') ?? sensors[0];
  const thresholds = [...(dam.thresholds ?? [])].sort((a, b) => a.level_m - b.level_m);
  const above = new Set(level?.state?.above ?? []);
  const crossed = thresholds.filter((t) => above.has(t.name));
  const worstCrossed = crossed.reduce<Threshold | undefined>(
    (w, t) => (!w || severityRank(t.severity) >= severityRank(w.severity) ? t : w),
    undefined,
  );
  const highest = Math.max(
    dam.spillway_crest_m || 0,
    ...thresholds.map((t) => t.level_m),
    level?.state?.value ?? 0,
  );
  const scaleTop =
    dam.dyke_height_m && dam.dyke_height_m >= highest
      ? dam.dyke_height_m
      : Math.ceil(highest * 1.1 * 10) / 10 || 1;
  return { dam, level, sensors, crossed, worstCrossed, scaleTop };
}
