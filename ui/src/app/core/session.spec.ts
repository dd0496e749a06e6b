import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { Session, sessionInterceptor } from './session';

describe('Session', () => {
  let http: HttpClient;
  let ctl: HttpTestingController;
  let session: Session;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([sessionInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    ctl = TestBed.inject(HttpTestingController);
    session = TestBed.inject(Session);
  });

  it('logs in, then sends the CSRF token on changes only', async () => {
    const done = session.login('durand', 'secret-secret');
    ctl.expectOne('/api/v1/session').flush({
      user: 'durand',
      role: 'operator',
      csrf_token: 'tok',
      expires_at: '2026-01-01T00:00:00Z',
    });
    await done;
    expect(session.status()).toBe('user');
    expect(session.canAct()).toBe(true);
    http.get('/api/v1/site').subscribe();
    expect(ctl.expectOne('/api/v1/site').request.headers.has('X-CSRF-Token')).toBe(false);
    http.post('/api/v1/alarms/a/ack', {}).subscribe();
    expect(ctl.expectOne('/api/v1/alarms/a/ack').request.headers.get('X-CSRF-Token')).toBe('tok');
  });

  it('is anonymous without a session, and unavailable on a server without accounts', async () => {
    let p = session.load();
    ctl.expectOne('/api/v1/session').flush({}, { status: 401, statusText: 'Unauthorized' });
    await p;
    expect(session.status()).toBe('anonymous');
    expect(session.canAct()).toBe(false);
    p = session.load();
    ctl.expectOne('/api/v1/session').flush({}, { status: 501, statusText: 'Not Implemented' });
    await p;
    expect(session.status()).toBe('unavailable');
    expect(session.canAct()).toBe(true);
  });

  it('notices a session that expired under the user', async () => {
    session.info.set({ user: 'u', role: 'admin', csrf_token: 't', expires_at: '' });
    session.status.set('user');
    http.get('/api/v1/sensors').subscribe({ error: () => undefined });
    ctl.expectOne('/api/v1/sensors').flush({}, { status: 401, statusText: 'Unauthorized' });
    expect(session.status()).toBe('anonymous');
    expect(session.expired()).toBe(true);
  });

  it('reads an embed token from the address and sends it on every call, never acting', () => {
    session.initFromLocation({ pathname: '/embed/d-1', search: '?token=ve1.abc.def' });
    expect(session.status()).toBe('embed');
    expect(session.canAct()).toBe(false);
    http.get('/api/v1/dashboards/d-1').subscribe();
    expect(ctl.expectOne('/api/v1/dashboards/d-1').request.headers.get('X-Vigie-Embed')).toBe(
      've1.abc.def',
    );
  });
});
