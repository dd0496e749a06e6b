import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { AlarmActionError, Alarms, compareAlarms, conditionLabel } from './alarms';
import { EVENT_SOURCE_FACTORY } from './live';
import { Alarm } from './models';

const alarm = (over: Partial<Alarm>): Alarm => ({
  id: 'x',
  severity: 'low',
  state: 'unacked',
  raised_at: '2026-03-10T10:00:00Z',
  ...over,
});

describe('Alarms', () => {
  let alarms: Alarms;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        {
          provide: EVENT_SOURCE_FACTORY,
          useValue: () => ({
            readyState: 0,
            onopen: null,
            onerror: null,
            addEventListener: () => undefined,
            close: () => undefined,
          }),
        },
      ],
    });
    alarms = TestBed.inject(Alarms);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('says the alarm API is missing when the server answers 404', async () => {
    const done = alarms.refresh();
    http
      .expectOne('/api/v1/alarms')
      .flush({ title: 'Not Found' }, { status: 404, statusText: 'Not Found' });
    await done;
    expect(alarms.status()).toBe('missing');
    expect(alarms.alarms()).toEqual([]);
  });

  it('reports other failures as errors', async () => {
    const done = alarms.refresh();
    http.expectOne('/api/v1/alarms').flush('', { status: 500, statusText: 'Internal' });
    await done;
    expect(alarms.status()).toBe('error');
  });

  it('loads alarms from a bare list or an object', async () => {
    let done = alarms.refresh();
    http.expectOne('/api/v1/alarms').flush([alarm({ id: 'a' })]);
    await done;
    expect(alarms.status()).toBe('available');
    expect(alarms.alarms().map((a) => a.id)).toEqual(['a']);
    done = alarms.refresh();
    http.expectOne('/api/v1/alarms').flush({ alarms: [alarm({ id: 'b' })] });
    await done;
    expect(alarms.alarms().map((a) => a.id)).toEqual(['b']);
  });

  it('keeps the worst open, unshelved alarm of each dam', async () => {
    const done = alarms.refresh();
    http
      .expectOne('/api/v1/alarms')
      .flush([
        alarm({ id: 'low', dam: 'd', severity: 'low' }),
        alarm({ id: 'crit-shelved', dam: 'd', severity: 'critical', state: 'shelved' }),
        alarm({ id: 'high', dam: 'd', severity: 'high', state: 'acked' }),
        alarm({ id: 'closed', dam: 'd', severity: 'critical', state: 'normal' }),
      ]);
    await done;
    // Unacknowledged first, then severity: the operator must see what awaits an action.
    expect(alarms.worstByDam().get('d')?.id).toBe('low');
    expect(alarms.unackedCount()).toBe(1);
  });

  it('acknowledges with an optional comment, then reloads', async () => {
    const done = alarms.acknowledge('a 1', 'on my way');
    const req = http.expectOne('/api/v1/alarms/a%201/ack');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ comment: 'on my way' });
    req.flush(null, { status: 204, statusText: 'No Content' });
    await Promise.resolve();
    await Promise.resolve();
    http.expectOne('/api/v1/alarms').flush([]);
    await done;
  });

  it('shelves with a reason and an expiry', async () => {
    const until = new Date('2026-03-10T14:00:00Z');
    const done = alarms.shelve('a', 'maintenance', until);
    const req = http.expectOne('/api/v1/alarms/a/shelve');
    expect(req.request.body).toEqual({ reason: 'maintenance', until: '2026-03-10T14:00:00.000Z' });
    req.flush(null, { status: 204, statusText: 'No Content' });
    await Promise.resolve();
    await Promise.resolve();
    http.expectOne('/api/v1/alarms').flush([]);
    await done;
  });

  it('turns a refused action into an error carrying the problem detail', async () => {
    const done = alarms.acknowledge('a');
    http
      .expectOne('/api/v1/alarms/a/ack')
      .flush(
        { type: 'about:blank', title: 'Conflict', status: 409, detail: 'alarm is shelved' },
        { status: 409, statusText: 'Conflict' },
      );
    await expect(done).rejects.toEqual(new AlarmActionError(409, 'alarm is shelved'));
  });

  it('orders unacknowledged first, then by severity, then newest', () => {
    const list = [
      alarm({ id: 'acked-crit', severity: 'critical', state: 'acked' }),
      alarm({ id: 'unacked-low-old', severity: 'low', raised_at: '2026-03-10T09:00:00Z' }),
      alarm({ id: 'unacked-low-new', severity: 'low', raised_at: '2026-03-10T11:00:00Z' }),
      alarm({ id: 'unacked-high', severity: 'high' }),
    ].sort(compareAlarms);
    expect(list.map((a) => a.id)).toEqual([
      'unacked-high',
      'unacked-low-new',
      'unacked-low-old',
      'acked-crit',
    ]);
  });
});

describe('conditionLabel', () => {
  const words: Record<string, string> = {
    'condition.level': 'seuil',
    'condition.rate_of_rise': 'montée rapide',
    'condition.stale': 'capteur muet',
  };
  const t = (k: string) => words[k] ?? k;

  it('tells a condition in words, and keeps an unknown one as given', () => {
    expect(conditionLabel('level:alerte', t)).toBe('seuil alerte');
    expect(conditionLabel('rate_of_rise', t)).toBe('montée rapide');
    expect(conditionLabel('stale:mejean.level', t)).toBe('capteur muet (mejean.level)');
    expect(conditionLabel('something_new', t)).toBe('something_new');
    expect(conditionLabel(undefined, t)).toBe('');
  });
});
