import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { Access, accessInterceptor } from './access';

describe('accessInterceptor', () => {
  let http: HttpClient;
  let ctl: HttpTestingController;
  let access: Access;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([accessInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    ctl = TestBed.inject(HttpTestingController);
    access = TestBed.inject(Access);
  });

  it('says access is denied when the site is refused, and clears it once data comes', () => {
    http.get('/api/v1/site').subscribe({ error: () => undefined });
    ctl
      .expectOne('/api/v1/site')
      .flush({ title: 'Unauthorized' }, { status: 401, statusText: 'Unauthorized' });
    expect(access.denied()).toBe(401);
    http.get('/api/v1/sensors').subscribe();
    ctl.expectOne('/api/v1/sensors').flush({ sensors: [] });
    expect(access.denied()).toBeNull();
  });

  it('leaves a refused alarm API to the alarm console', () => {
    http.get('/api/v1/alarms').subscribe({ error: () => undefined });
    ctl.expectOne('/api/v1/alarms').flush({}, { status: 403, statusText: 'Forbidden' });
    expect(access.denied()).toBeNull();
  });
});
