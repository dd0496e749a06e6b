import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { provideIcons } from '../core/icon-registry';
import { EVENT_SOURCE_FACTORY } from '../core/live';
import { Alarm } from '../core/models';
import { Session } from '../core/session';
import { AlarmConsole } from './alarm-console';

const NOW = Date.now();
const ALARMS: Alarm[] = [
  {
    id: 'a1',
    dam: 'd',
    severity: 'high',
    state: 'unack_active',
    condition: 'level:alerte',
    raised_at: new Date(NOW - 60_000).toISOString(),
    cascade: {
      notifications: [
        {
          operator: 'C. Durand',
          channel: 'sms',
          status: 'delivered',
          at: new Date(NOW - 50_000).toISOString(),
        },
        {
          operator: 'op-martin',
          operator_name: 'Sacha Martin',
          channel: 'voice',
          status: 'failed',
          reason: 'gave up after 3 attempt(s): busy: SIP 486 Busy Here',
          reason_code: 'gave_up',
          reason_params: ['3', 'busy: SIP 486 Busy Here'],
          reason_cause: { code: 'call_busy', params: ['SIP 486 Busy Here'] },
          at: new Date(NOW - 40_000).toISOString(),
        },
      ],
      next_step_at: new Date(NOW + 5 * 60_000).toISOString(),
    },
  },
  {
    id: 'a2',
    dam: 'd',
    severity: 'critical',
    state: 'unack_active',
    condition: 'level:danger',
    raised_at: new Date(NOW - 30_000).toISOString(),
  },
  {
    id: 'a3',
    dam: 'd',
    severity: 'low',
    state: 'ack_active',
    condition: 'level:vigilance',
    raised_at: new Date(NOW - 90_000).toISOString(),
  },
];

describe('AlarmConsole', () => {
  let fixture: ComponentFixture<AlarmConsole>;
  let http: HttpTestingController;
  const el = () => fixture.nativeElement as HTMLElement;
  const rows = () => [...el().querySelectorAll('[data-testid="alarm-row"]')] as HTMLElement[];

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await fixture.whenStable();
      await new Promise((r) => setTimeout(r));
    }
  }

  function flushLoad(alarms: Alarm[] | null): void {
    for (const req of http.match('/api/v1/alarms')) {
      if (alarms === null) {
        req.flush({ title: 'Not Found' }, { status: 404, statusText: 'Not Found' });
      } else {
        req.flush(alarms);
      }
    }
    for (const req of http.match('/api/v1/site'))
      req.flush({
        name: 'S',
        dams: [
          {
            id: 'd',
            name: 'Digue D',
            capacity_m3: 1,
            spillway_crest_m: 1,
            sensors: [],
            thresholds: [],
          },
        ],
      });
    for (const req of http.match('/api/v1/sensors')) req.flush({ sensors: [] });
  }

  beforeEach(async () => {
    localStorage.clear();
    await TestBed.configureTestingModule({
      imports: [AlarmConsole],
      providers: [
        provideRouter([]),
        provideIcons(),
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
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(Session).info.set({
      user: 'durand',
      role: 'operator',
      csrf_token: 't',
      expires_at: '',
    });
    TestBed.inject(Session).status.set('user');
    fixture = TestBed.createComponent(AlarmConsole);
    fixture.detectChanges();
  });

  it('lists open alarms, unacknowledged and most severe first, with the escalation countdown', async () => {
    flushLoad(ALARMS);
    await settle();
    expect(rows().map((r) => r.textContent!.match(/level:\S+/)![0])).toEqual([
      'level:danger',
      'level:alerte',
      'level:vigilance',
    ]);
    expect(rows()[1].textContent).toMatch(/Escalade dans 0?4:5\d|Escalade dans 05:00/);
    expect(rows()[0].textContent).toContain('Digue D');
  });

  it('tells who the cascade notified, by which channel and how it went', async () => {
    flushLoad(ALARMS);
    await settle();
    const cascade = rows()[1].querySelector('[data-testid="cascade"]');
    expect(cascade?.textContent).toContain('C. Durand');
    expect(cascade?.textContent).toMatch(/SMS/);
    expect(cascade?.textContent).toMatch(/remis/);
    // The person's name from the configuration, not their id; the failure in French, the
    // recorded English on hover.
    expect(cascade?.textContent).toContain('Sacha Martin');
    expect(cascade?.textContent).not.toContain('op-martin');
    const reason = cascade?.querySelector('[data-testid="cascade-reason"]');
    expect(reason?.textContent?.trim()).toBe('abandon après 3 tentative(s) : occupé');
    expect(reason?.getAttribute('title')).toBe(
      'gave up after 3 attempt(s): busy: SIP 486 Busy Here',
    );
  });

  it('offers no action to a viewer, and ignores the shortcuts', async () => {
    TestBed.inject(Session).info.set({
      user: 'martin',
      role: 'viewer',
      csrf_token: 't',
      expires_at: '',
    });
    flushLoad(ALARMS);
    await settle();
    expect(el().querySelector('[data-testid="ack"]')).toBeNull();
    expect(el().querySelector('[data-testid="read-only"]')).not.toBeNull();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    http.expectNone('/api/v1/alarms/a2/ack');
  });

  it("acknowledges the selected alarm with the 'a' key", async () => {
    flushLoad(ALARMS);
    await settle();
    expect(rows()[0].classList).toContain('selected');
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    const req = http.expectOne('/api/v1/alarms/a2/ack');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({});
  });

  it("moves the selection with 'j' and 'k'", async () => {
    flushLoad(ALARMS);
    await settle();
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true }));
    await settle();
    expect(rows()[1].classList).toContain('selected');
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', bubbles: true }));
    await settle();
    expect(rows()[0].classList).toContain('selected');
  });

  it('ignores shortcuts typed in a field', async () => {
    flushLoad(ALARMS);
    await settle();
    const input = document.createElement('input');
    el().appendChild(input);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    http.expectNone('/api/v1/alarms/a2/ack');
  });

  it('acknowledges with one click', async () => {
    flushLoad(ALARMS);
    await settle();
    (rows()[1].querySelector('[data-testid="ack"]') as HTMLButtonElement).click();
    http.expectOne('/api/v1/alarms/a1/ack');
  });

  it('says plainly when the server has no alarm API yet', async () => {
    flushLoad(null);
    await settle();
    expect(el().querySelector('[data-testid="alarms-missing"]')).not.toBeNull();
    expect(rows().length).toBe(0);
  });
});
