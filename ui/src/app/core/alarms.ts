import { HttpClient, HttpErrorResponse, HttpParams } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { firstValueFrom } from 'rxjs';

import { API } from './api';
import { Live } from './live';
import { Alarm, severityRank } from './models';

/** Whether the server has the alarm API: until it is deployed it answers 404. */
export type AlarmApiStatus = 'unknown' | 'available' | 'missing' | 'error';

/** States in which an alarm still needs attention or is still active. */
const OPEN_STATES = new Set([
  'unacked',
  'acked',
  'rtn_unacked',
  'active',
  'unack_active',
  'ack_active',
  'unack_rtn',
  'raised',
]);

export function isUnacked(a: Alarm): boolean {
  return (
    a.state === 'unacked' ||
    a.state === 'rtn_unacked' ||
    a.state === 'unack_active' ||
    a.state === 'unack_rtn' ||
    a.state === 'raised'
  );
}

export function isOpen(a: Alarm): boolean {
  return OPEN_STATES.has(a.state);
}

/**
 * An alarm's condition in words: "level:alerte" → "seuil alerte", "rate_of_rise" → "montée
 * rapide", "stale:mejean.level" → "capteur muet (mejean.level)". Unknown ones are shown as given.
 */
export function conditionLabel(condition: string | undefined, t: (key: string) => string): string {
  if (!condition) {
    return '';
  }
  const [kind, detail] = condition.split(/:(.*)/s, 2);
  const key = 'condition.' + kind;
  const word = t(key);
  if (word === key) {
    return condition;
  }
  return detail ? `${word} ${kind === 'level' ? detail : `(${detail})`}` : word;
}

/** An alarm action failed; `message` is the server's problem detail when it gave one. */
export class AlarmActionError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Polling period while the live stream does not cover alarms (ms). */
export const ALARM_POLL_MS = 30000;

/**
 * The alarm console's data, against the alarms API contract (GET /api/v1/alarms, POST
 * /api/v1/alarms/{id}/ack|comment|shelve|unshelve). Refreshed on every alarm.* event, and polled
 * as a safety net.
 */
@Injectable({ providedIn: 'root' })
export class Alarms {
  private readonly http = inject(HttpClient);
  private readonly live = inject(Live);
  private readonly destroyRef = inject(DestroyRef);

  readonly status = signal<AlarmApiStatus>('unknown');
  readonly alarms = signal<Alarm[]>([]);
  readonly loading = signal(false);
  private started = false;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  /** Open alarms, worst first. */
  readonly open = computed(() => this.alarms().filter(isOpen).sort(compareAlarms));

  /** The worst open alarm of each dam. */
  readonly worstByDam = computed(() => {
    const worst = new Map<string, Alarm>();
    for (const a of this.open()) {
      if (a.dam && !worst.has(a.dam) && a.state !== 'shelved') {
        worst.set(a.dam, a);
      }
    }
    return worst;
  });

  readonly unackedCount = computed(() => this.alarms().filter(isUnacked).length);

  start(): void {
    if (this.started) {
      return;
    }
    this.started = true;
    this.live.start();
    this.live.opened.pipe(takeUntilDestroyed(this.destroyRef)).subscribe(() => void this.refresh());
    this.live
      .onPrefix('alarm.')
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(() => this.scheduleRefresh());
    this.live
      .onPrefix('cascade.')
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(() => this.scheduleRefresh());
    const poll = setInterval(() => void this.refresh(), ALARM_POLL_MS);
    this.destroyRef.onDestroy(() => clearInterval(poll));
    void this.refresh();
  }

  async refresh(): Promise<void> {
    this.loading.set(true);
    try {
      const body = await firstValueFrom(
        this.http.get<Alarm[] | { alarms: Alarm[] }>(`${API}/alarms`),
      );
      this.alarms.set(Array.isArray(body) ? body : (body?.alarms ?? []));
      this.status.set('available');
    } catch (e) {
      this.status.set(
        e instanceof HttpErrorResponse && (e.status === 404 || e.status === 405 || e.status === 501)
          ? 'missing'
          : 'error',
      );
    } finally {
      this.loading.set(false);
    }
  }

  acknowledge(id: string, comment?: string): Promise<void> {
    return this.post(id, 'ack', comment ? { comment } : {});
  }

  comment(id: string, comment: string): Promise<void> {
    return this.post(id, 'comment', { comment });
  }

  shelve(id: string, reason: string, until: Date): Promise<void> {
    return this.post(id, 'shelve', { reason, until: until.toISOString() });
  }

  unshelve(id: string): Promise<void> {
    return this.post(id, 'unshelve', {});
  }

  /** Loads one alarm with its full history. */
  get(id: string): Promise<Alarm> {
    return firstValueFrom(this.http.get<Alarm>(`${API}/alarms/${encodeURIComponent(id)}`));
  }

  private async post(id: string, action: string, body: object): Promise<void> {
    try {
      await firstValueFrom(
        this.http.post(`${API}/alarms/${encodeURIComponent(id)}/${action}`, body, {
          params: new HttpParams(),
        }),
      );
    } catch (e) {
      throw toActionError(e);
    }
    await this.refresh();
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer !== null) {
      return;
    }
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refresh();
    }, 200);
  }
}

/** Unacknowledged first, then by severity, then the most recent. */
export function compareAlarms(a: Alarm, b: Alarm): number {
  return (
    Number(isUnacked(b)) - Number(isUnacked(a)) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    Date.parse(b.raised_at) - Date.parse(a.raised_at)
  );
}

function toActionError(e: unknown): AlarmActionError {
  if (e instanceof HttpErrorResponse) {
    const problem = e.error as { detail?: string; title?: string } | null;
    const message =
      (problem && typeof problem === 'object' && (problem.detail || problem.title)) ||
      e.statusText ||
      '';
    return new AlarmActionError(e.status, message);
  }
  return new AlarmActionError(0, String(e));
}
