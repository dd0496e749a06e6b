import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';

import { Api, timelineExportUrl } from './api';

describe('Api', () => {
  let api: Api;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    api = TestBed.inject(Api);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('takes the storage curve from storage_curve.points, sorted by height', async () => {
    const site = firstValueFrom(api.site());
    http.expectOne('/api/v1/site').flush({
      name: 'S',
      dams: [
        {
          id: 'd',
          name: 'D',
          capacity_m3: 1,
          spillway_crest_m: 1,
          thresholds: [],
          sensors: [
            {
              id: 'd.level',
              dam: 'd',
              kind: 'water_level',
              unit: 'm',
              plausible_min: 0,
              plausible_max: 2,
            },
          ],
          storage_curve: {
            kind: 'table',
            points: [
              { h_m: 1, v_m3: 10 },
              { h_m: 0, v_m3: 0 },
            ],
          },
        },
      ],
    });
    const d = (await site).dams[0];
    expect(d.curve).toEqual([
      { h_m: 0, v_m3: 0 },
      { h_m: 1, v_m3: 10 },
    ]);
    expect(d.sensors[0].period_s).toBe(60);
  });

  it('reads sensor states from {sensors:[{state}]} and skips sensors that never reported', async () => {
    const states = firstValueFrom(api.sensors());
    http.expectOne('/api/v1/sensors').flush({
      sensors: [
        {
          id: 'a',
          dam: 'd',
          state: { sensor: 'a', dam: 'd', time: '2026-03-10T10:00:00Z', value: 1, quality: 'good' },
        },
        { id: 'b', dam: 'd' },
      ],
    });
    expect((await states).map((s) => s.sensor)).toEqual(['a']);
  });

  it('asks for raw readings or buckets explicitly and unwraps the points', async () => {
    const from = new Date('2026-03-10T10:00:00Z');
    const to = new Date('2026-03-10T10:10:00Z');
    const raw = firstValueFrom(api.series({ sensor: 'mejean.level', from, to, stepS: 0 }));
    const req = http.expectOne((r) => r.url === '/api/v1/sensors/mejean.level/series');
    expect(req.request.params.get('step')).toBe('raw');
    expect(req.request.params.get('from')).toBe('2026-03-10T10:00:00.000Z');
    req.flush({
      sensor: 'mejean.level',
      step_s: 0,
      points: [{ time: '2026-03-10T10:00:00Z', min: 1, max: 1, avg: 1, last: 1, count: 1 }],
    });
    expect((await raw).length).toBe(1);
    const buckets = firstValueFrom(api.series({ sensor: 'mejean.level', from, to, stepS: 3600 }));
    const req2 = http.expectOne((r) => r.url === '/api/v1/sensors/mejean.level/series');
    expect(req2.request.params.get('step')).toBe('3600s');
    req2.flush([]);
    expect(await buckets).toEqual([]);
  });

  it('pages the timeline with repeated type parameters', async () => {
    const page = firstValueFrom(
      api.timeline({ dam: 'd', types: ['a.b', 'c.d'], after: 10, limit: 5 }),
    );
    const req = http.expectOne((r) => r.url === '/api/v1/timeline');
    expect(req.request.params.getAll('type')).toEqual(['a.b', 'c.d']);
    expect(req.request.params.get('after')).toBe('10');
    req.flush({ entries: [], next_after: 10 });
    expect(await page).toEqual({ entries: [], next_after: 10 });
  });

  it('links exports: the whole CSV, a full page of JSON', () => {
    const from = new Date('2026-03-10T10:00:00Z');
    expect(timelineExportUrl({ from, dam: 'd', limit: 500, after: 3 }, 'csv')).toBe(
      '/api/v1/timeline?from=2026-03-10T10:00:00.000Z&dam=d&format=csv',
    );
    expect(timelineExportUrl({ from, dam: 'd', limit: 500 }, 'json')).toBe(
      '/api/v1/timeline?from=2026-03-10T10:00:00.000Z&dam=d&limit=10000&format=json',
    );
  });
});
