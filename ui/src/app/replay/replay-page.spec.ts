import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { provideIcons } from '../core/icon-registry';
import { Session, UserRole } from '../core/session';
import { ReplayPage } from './replay-page';
import { ReplayResult } from './replay-model';

const RESULT: ReplayResult = {
  config: 'api:user:chef',
  from: '2025-10-09T10:00:00Z',
  to: '2025-10-10T10:00:00Z',
  readings: 1234,
  cascade: true,
  same_decisions: false,
  differing_streams: 3,
  differences: ['alarm-mejean~level:alerte~1: raised 10m0s earlier'],
  skipped: [],
  duration_ms: 2500,
  alarms: [
    {
      id: 'mejean~level:alerte~1',
      shift_s: -750,
      recorded: {
        dam: 'mejean',
        condition: 'level:alerte',
        severity: 'high',
        raised: '2025-10-10T03:12:30Z',
        value: 6,
        limit: 6,
        calls: [{ at: '2025-10-10T03:12:31Z', step: 1, operator: 'op-durand', channel: 'sms' }],
      },
      replayed: {
        dam: 'mejean',
        condition: 'level:alerte',
        severity: 'high',
        raised: '2025-10-10T03:00:00Z',
        value: 5.5,
        limit: 5.5,
        calls: [
          { at: '2025-10-10T03:00:01Z', step: 1, operator: 'op-durand', channel: 'sms' },
          { at: '2025-10-10T03:00:01Z', step: 1, operator: 'op-durand', channel: 'voice' },
        ],
      },
    },
    {
      id: 'mejean~level:crise~1',
      replayed: {
        dam: 'mejean',
        condition: 'level:crise',
        severity: 'critical',
        raised: '2025-10-10T05:00:00Z',
        value: 8,
        limit: 8,
        calls: [],
      },
    },
  ],
};

describe('ReplayPage', () => {
  let fixture: ComponentFixture<ReplayPage>;
  let http: HttpTestingController;
  const el = () => fixture.nativeElement as HTMLElement;
  const q = (id: string) => el().querySelector(`[data-testid="${id}"]`) as HTMLElement | null;

  async function settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await fixture.whenStable();
      await new Promise((r) => setTimeout(r));
    }
  }

  async function open(role: UserRole): Promise<void> {
    localStorage.clear();
    await TestBed.configureTestingModule({
      imports: [ReplayPage],
      providers: [
        provideRouter([]),
        provideIcons(),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
    const session = TestBed.inject(Session);
    session.info.set({ user: 'u', role, csrf_token: 't', expires_at: '' });
    session.status.set('user');
    fixture = TestBed.createComponent(ReplayPage);
    fixture.detectChanges();
    for (const req of http.match('/api/v1/alarms?limit=1000')) {
      req.flush({
        alarms: [{ raised_at: '2025-10-10T03:00:00Z', returned_at: '2025-10-10T09:00:00Z' }],
      });
    }
    for (const req of http.match('/api/v1/config')) {
      req.flush({ yaml: 'site:\n  name: Nîmes\n' });
    }
    await settle();
  }

  it('prefills the configuration in force for an administrator and offers past episodes', async () => {
    await open('admin');
    expect((q('replay-yaml') as HTMLTextAreaElement).value).toContain('Nîmes');
    expect(el().querySelectorAll('[data-testid="replay-episode"]').length).toBe(1);
    (el().querySelector('[data-testid="replay-episode"]') as HTMLButtonElement).click();
    await settle();
    expect((q('replay-from') as HTMLInputElement).value).toMatch(/^2025-10-10T0[0-9]:00$/);
  });

  it('runs the replay and shows, per alarm, the difference and who would have been paged', async () => {
    await open('auditor');
    http.expectNone('/api/v1/config');
    expect((q('replay-yaml') as HTMLTextAreaElement).value).toBe('');
    (q('replay-run') as HTMLButtonElement).click();
    await settle();
    const req = http.expectOne('/api/v1/replay');
    expect(req.request.method).toBe('POST');
    expect(req.request.body.config).toBe('');
    expect(req.request.body.cascade).toBe('auto');
    const span = Date.parse(req.request.body.to) - Date.parse(req.request.body.from);
    expect(span).toBe(24 * 3_600_000);
    req.flush(RESULT);
    await settle();
    const rows = [...el().querySelectorAll('[data-testid="replay-row"]')] as HTMLElement[];
    expect(rows.length).toBe(2);
    expect(rows[0].textContent).toContain('12 min 30 s plus tôt');
    expect(rows[0].textContent).toContain('op-durand par SMS + appel vocal (étape 1');
    expect(rows[0].textContent).toContain('En réalité : 1 personne(s)');
    expect(rows[1].textContent).toContain('seulement dans le rejeu');
    expect(q('replay-verdict')?.textContent).toContain('1 plus tôt');
  });

  it('shows the located problems of a bad configuration', async () => {
    await open('admin');
    (q('replay-run') as HTMLButtonElement).click();
    await settle();
    http.expectOne('/api/v1/replay').flush(
      {
        type: 'urn:vigie:problem:invalid-config',
        title: 'Invalid configuration',
        status: 422,
        errors: [
          { line: 2, column: 3, field: 'dams[0].thresholds[1].level_m', detail: 'trop bas' },
          {
            line: 4,
            column: 18,
            field: 'dams[0].capacity_m3',
            code: 'capacity_not_positive',
            params: ['-5'],
            detail: 'must be a volume above 0 m³ (got -5)',
          },
        ],
      },
      { status: 422, statusText: 'Unprocessable Entity' },
    );
    await settle();
    expect(q('replay-error')?.textContent).toContain('2 erreur(s)');
    expect(q('replay-problems')?.textContent).toContain('Ligne 2, col. 3');
    expect(q('replay-problems')?.textContent).toContain('Ouvrage 1, seuil 2, niveau (m)');
    // A coded problem is worded in French; one without a code keeps the server's text.
    expect(q('replay-problems')?.textContent).toContain(
      'doit être un volume supérieur à 0 m³ (reçu -5)',
    );
    expect(q('replay-problems')?.textContent).not.toContain('must be');
    expect(q('replay-problems')?.textContent).toContain('trop bas');
  });

  it('says when another replay is running', async () => {
    await open('admin');
    (q('replay-run') as HTMLButtonElement).click();
    await settle();
    http
      .expectOne('/api/v1/replay')
      .flush(
        { type: 'urn:vigie:problem:replay-busy', status: 429 },
        { status: 429, statusText: 'Too Many Requests' },
      );
    await settle();
    expect(q('replay-error')?.textContent).toContain('Un autre rejeu est en cours');
  });

  it('is closed to viewers and operators', async () => {
    await open('viewer');
    expect(q('replay-not-allowed')).not.toBeNull();
    expect(q('replay-run')).toBeNull();
  });
});
