import { TestBed } from '@angular/core/testing';

import {
  EVENT_SOURCE_FACTORY,
  EventSourceLike,
  Live,
  LiveEvent,
  RECONNECT_DELAYS_MS,
  STREAM_URL,
} from './live';

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

/** A scripted EventSource: the test opens it, fails it and sends events. */
class FakeEventSource implements EventSourceLike {
  readyState = CONNECTING;
  onopen: ((ev: Event) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  closed = false;
  private readonly listeners = new Map<string, ((ev: MessageEvent) => void)[]>();

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: (ev: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = CLOSED;
  }

  open(): void {
    this.readyState = OPEN;
    this.onopen?.(new Event('open'));
  }

  /** The connection dropped; the browser retries by itself (readyState CONNECTING). */
  drop(): void {
    this.readyState = CONNECTING;
    this.onerror?.(new Event('error'));
  }

  /** The browser gave up (HTTP error): readyState CLOSED. */
  fail(): void {
    this.readyState = CLOSED;
    this.onerror?.(new Event('error'));
  }

  emit(type: string, data: string, id = ''): void {
    const ev = new MessageEvent(type, { data, lastEventId: id });
    for (const l of this.listeners.get(type) ?? []) {
      l(ev);
    }
  }
}

describe('Live', () => {
  let sources: FakeEventSource[];
  let live: Live;
  const latest = () => sources[sources.length - 1];

  beforeEach(() => {
    vi.useFakeTimers();
    sources = [];
    TestBed.configureTestingModule({
      providers: [
        {
          provide: EVENT_SOURCE_FACTORY,
          useValue: (url: string) => {
            const es = new FakeEventSource(url);
            sources.push(es);
            return es;
          },
        },
      ],
    });
    live = TestBed.inject(Live);
  });

  afterEach(() => {
    live.stop();
    vi.useRealTimers();
  });

  it('connects once to the stream and goes online when it opens', () => {
    const opened = vi.fn();
    live.opened.subscribe(opened);
    live.start();
    live.start();
    expect(sources.length).toBe(1);
    expect(latest().url).toBe(STREAM_URL);
    expect(live.status()).toBe('connecting');
    latest().open();
    expect(live.status()).toBe('online');
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it('dispatches named events with their parsed record, and skips garbage', () => {
    const got: LiveEvent[] = [];
    live.on('sensor.readings_recorded').subscribe((e) => got.push(e));
    live.start();
    latest().open();
    latest().emit(
      'sensor.readings_recorded',
      JSON.stringify({
        position: 7,
        stream: 'sensor-a',
        type: 'sensor.readings_recorded',
        data: { sensor: 'a' },
      }),
      '7',
    );
    latest().emit('sensor.readings_recorded', '{not json');
    latest().emit(
      'config.applied',
      JSON.stringify({ position: 8, stream: 'config-vigie', type: 'config.applied', data: {} }),
      '8',
    );
    expect(got.length).toBe(1);
    expect(got[0].id).toBe('7');
    expect(got[0].record.position).toBe(7);
    expect(live.lastEventAt()).not.toBeNull();
  });

  it('filters by prefix', () => {
    const got: string[] = [];
    live.onPrefix('alarm.').subscribe((e) => got.push(e.type));
    live.start();
    latest().open();
    latest().emit(
      'alarm.raised',
      '{"position":1,"stream":"alarm-1","type":"alarm.raised","data":{}}',
    );
    latest().emit(
      'sensor.threshold_crossed',
      '{"position":2,"stream":"s","type":"sensor.threshold_crossed","data":{}}',
    );
    expect(got).toEqual(['alarm.raised']);
  });

  it('shows offline at once when the connection drops, and lets the browser reconnect', () => {
    live.start();
    latest().open();
    latest().drop();
    expect(live.status()).toBe('offline');
    expect(live.offlineSince()).not.toBeNull();
    vi.advanceTimersByTime(60_000);
    expect(sources.length).toBe(1); // EventSource retries by itself, with Last-Event-ID
    latest().open();
    expect(live.status()).toBe('online');
    expect(live.offlineSince()).toBeNull();
  });

  it('reconnects itself with growing delays when the browser gives up', () => {
    live.start();
    latest().fail();
    expect(live.status()).toBe('offline');
    for (let i = 0; i < RECONNECT_DELAYS_MS.length + 2; i++) {
      const delay = RECONNECT_DELAYS_MS[Math.min(i, RECONNECT_DELAYS_MS.length - 1)];
      const before = sources.length;
      vi.advanceTimersByTime(delay - 1);
      expect(sources.length).toBe(before);
      vi.advanceTimersByTime(1);
      expect(sources.length).toBe(before + 1);
      expect(sources[before - 1].closed).toBe(true);
      expect(live.status()).toBe('offline'); // stays offline until a connection opens
      latest().fail();
    }
  });

  it('starts the back-off again after a successful connection, and resyncs', () => {
    const opened = vi.fn();
    live.opened.subscribe(opened);
    live.start();
    latest().fail();
    vi.advanceTimersByTime(RECONNECT_DELAYS_MS[0]);
    latest().fail();
    vi.advanceTimersByTime(RECONNECT_DELAYS_MS[1]);
    latest().open();
    expect(opened).toHaveBeenCalledTimes(1);
    expect(live.attempt()).toBe(0);
    latest().fail();
    const before = sources.length;
    vi.advanceTimersByTime(RECONNECT_DELAYS_MS[0]);
    expect(sources.length).toBe(before + 1);
  });

  it('ignores callbacks of a source it has replaced', () => {
    live.start();
    const first = latest();
    first.fail();
    vi.advanceTimersByTime(RECONNECT_DELAYS_MS[0]);
    latest().open();
    first.onerror?.(new Event('error'));
    expect(live.status()).toBe('online');
  });

  it('reconnects at once when the network comes back', () => {
    live.start();
    latest().fail();
    window.dispatchEvent(new Event('online'));
    expect(sources.length).toBe(2);
  });

  it('marks offline when the device loses its network, until it is back', () => {
    live.start();
    latest().open();
    window.dispatchEvent(new Event('offline'));
    expect(live.status()).toBe('offline');
    latest().emit(
      'sensor.readings_recorded',
      '{"position":1,"stream":"s","type":"sensor.readings_recorded","data":{}}',
    );
    expect(live.status()).toBe('offline');
    window.dispatchEvent(new Event('online'));
    expect(live.status()).toBe('online');
    expect(sources.length).toBe(1); // the stream survived: no new connection
  });

  it('goes online on a first event even before onopen', () => {
    live.start();
    latest().readyState = OPEN;
    latest().emit(
      'sensor.readings_recorded',
      '{"position":1,"stream":"s","type":"sensor.readings_recorded","data":{}}',
    );
    expect(live.status()).toBe('online');
  });

  it('stops retrying once stopped', () => {
    live.start();
    latest().fail();
    live.stop();
    vi.advanceTimersByTime(120_000);
    expect(sources.length).toBe(1);
  });
});
