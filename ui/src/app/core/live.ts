import { DOCUMENT, DestroyRef, Injectable, InjectionToken, inject, signal } from '@angular/core';
import { Observable, Subject, filter } from 'rxjs';

import { EventRecord } from './models';
import { EmbedAuth } from './session';

/** What the service needs of an EventSource, so tests can drive a fake one. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  addEventListener(type: string, listener: (ev: MessageEvent) => void): void;
  close(): void;
}

export const EVENT_SOURCE_FACTORY = new InjectionToken<(url: string) => EventSourceLike>(
  'EVENT_SOURCE_FACTORY',
  {
    providedIn: 'root',
    factory: () => (url: string) => new EventSource(url),
  },
);

export const STREAM_URL = '/api/v1/stream';

/**
 * Event types listened to. Server-Sent Events only reach listeners registered for their exact
 * name, so every type the UI reacts to is listed; unnamed messages are taken too.
 */
export const LIVE_EVENT_TYPES: readonly string[] = [
  'sensor.readings_recorded',
  'sensor.threshold_crossed',
  'sensor.configured',
  'config.applied',
  'alarm.raised',
  'alarm.acknowledged',
  'alarm.commented',
  'alarm.shelved',
  'alarm.unshelved',
  'alarm.cleared',
  'alarm.returned_to_normal',
  'alarm.escalated',
  'alarm.closed',
  'cascade.step_scheduled',
  'cascade.escalated',
  'cascade.stopped',
  'notification.sent',
  'notification.delivered',
  'notification.failed',
];

/** Delays before reconnecting after the browser gave up, in ms; the last one repeats. */
export const RECONNECT_DELAYS_MS: readonly number[] = [1000, 2000, 5000, 10000, 30000];

export type LiveStatus = 'connecting' | 'online' | 'offline';

export interface LiveEvent {
  type: string;
  id: string;
  record: EventRecord;
}

const OPEN = 1;
const CLOSED = 2;

/**
 * The live event stream (SSE). EventSource reconnects by itself after a dropped connection,
 * sending Last-Event-ID; when it gives up (the server answered an error), this service opens a
 * new one with back-off. Each successful (re)connection is announced on `opened`, so screens
 * reload their state and nothing missed while offline stays hidden.
 */
@Injectable({ providedIn: 'root' })
export class Live {
  private readonly factory = inject(EVENT_SOURCE_FACTORY);
  private readonly window = inject(DOCUMENT).defaultView;
  private readonly embed = inject(EmbedAuth);

  readonly status = signal<LiveStatus>('connecting');
  /** When the connection was lost (ms), null while online. */
  readonly offlineSince = signal<number | null>(null);
  /** When the last event arrived (ms). */
  readonly lastEventAt = signal<number | null>(null);
  /** Attempts since the last successful connection. */
  readonly attempt = signal(0);

  private readonly events$ = new Subject<LiveEvent>();
  private readonly opened$ = new Subject<void>();
  private source: EventSourceLike | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private started = false;

  /** Emits after every successful connection, the first one included. */
  readonly opened: Observable<void> = this.opened$.asObservable();

  constructor() {
    const onOnline = () => this.onNetworkBack();
    const onOffline = () => this.markOffline();
    this.window?.addEventListener('online', onOnline);
    this.window?.addEventListener('offline', onOffline);
    inject(DestroyRef).onDestroy(() => {
      this.window?.removeEventListener('online', onOnline);
      this.window?.removeEventListener('offline', onOffline);
      this.stop();
    });
  }

  /** Opens the stream; calling it again does nothing. */
  start(): void {
    if (this.started) {
      return;
    }
    this.started = true;
    this.connect();
  }

  stop(): void {
    this.started = false;
    this.clearRetry();
    this.source?.close();
    this.source = null;
  }

  /** Events of the given types (all events when none is given). */
  on(...types: string[]): Observable<LiveEvent> {
    if (types.length === 0) {
      return this.events$.asObservable();
    }
    const wanted = new Set(types);
    return this.events$.pipe(filter((e) => wanted.has(e.type)));
  }

  /** Events whose type starts with prefix ("alarm."). */
  onPrefix(prefix: string): Observable<LiveEvent> {
    return this.events$.pipe(filter((e) => e.type.startsWith(prefix)));
  }

  private connect(): void {
    this.clearRetry();
    this.source?.close();
    if (this.status() !== 'offline') {
      this.status.set('connecting');
    }
    // EventSource cannot send headers: an embed link's token goes in the URL. A session rides
    // on its cookie.
    const token = this.embed.token();
    const es = this.factory(
      token ? `${STREAM_URL}?embed=${encodeURIComponent(token)}` : STREAM_URL,
    );
    this.source = es;
    es.onopen = () => {
      if (this.source !== es) {
        return;
      }
      this.status.set('online');
      this.offlineSince.set(null);
      this.attempt.set(0);
      this.opened$.next();
    };
    es.onerror = () => {
      if (this.source !== es) {
        return;
      }
      this.markOffline();
      if (es.readyState === CLOSED) {
        // The browser will not retry (HTTP error, wrong content type): we do, with back-off.
        this.scheduleRetry();
      }
      // Otherwise the browser is already reconnecting, with Last-Event-ID.
    };
    const listener = (ev: MessageEvent) => this.dispatch(ev);
    for (const type of LIVE_EVENT_TYPES) {
      es.addEventListener(type, listener);
    }
    es.addEventListener('message', listener);
  }

  private dispatch(ev: MessageEvent): void {
    let record: EventRecord;
    try {
      record = JSON.parse(String(ev.data)) as EventRecord;
    } catch {
      return; // Not ours (a comment or a malformed line): nothing to show.
    }
    if (this.status() === 'connecting') {
      // An event before onopen: the stream works. (An offline device stays shown offline until
      // the network is back, even if a last buffered event arrives.)
      this.status.set('online');
    }
    const type = ev.type === 'message' ? (record.type ?? 'message') : ev.type;
    this.lastEventAt.set(Date.now());
    this.events$.next({ type, id: ev.lastEventId, record });
  }

  private markOffline(): void {
    if (this.status() !== 'offline') {
      this.status.set('offline');
      this.offlineSince.set(Date.now());
    }
  }

  private scheduleRetry(): void {
    if (!this.started || this.retryTimer !== null) {
      return;
    }
    const n = this.attempt();
    const delay = RECONNECT_DELAYS_MS[Math.min(n, RECONNECT_DELAYS_MS.length - 1)];
    this.attempt.set(n + 1);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.started) {
        this.connect();
      }
    }, delay);
  }

  private onNetworkBack(): void {
    if (!this.started) {
      return;
    }
    if (this.source === null || this.source.readyState === CLOSED) {
      this.connect();
    } else if (this.source.readyState === OPEN) {
      // The stream survived the outage.
      this.status.set('online');
      this.offlineSince.set(null);
    }
    // CONNECTING: onopen will tell.
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
  }
}
