import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { volumeAt } from './curve';
import { EVENT_SOURCE_FACTORY } from './live';
import { Site } from './models';
import { SiteStore } from './site-store';

const SITE: Site = {
  name: 'Nîmes',
  dams: [
    {
      id: 'd',
      name: 'Dam',
      capacity_m3: 1000,
      spillway_crest_m: 5,
      curve: [
        { h_m: 0, v_m3: 0 },
        { h_m: 5, v_m3: 1000 },
      ],
      sensors: [
        {
          id: 'd.level',
          kind: 'water_level',
          unit: 'm',
          plausible_min: 0,
          plausible_max: 8,
          period_s: 60,
        },
      ],
      thresholds: [],
    },
  ],
};

describe('SiteStore', () => {
  let store: SiteStore;
  let http: HttpTestingController;

  beforeEach(async () => {
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
    store = TestBed.inject(SiteStore);
    http = TestBed.inject(HttpTestingController);
    const loading = store.reload();
    http.expectOne('/api/v1/site').flush(SITE);
    http.expectOne('/api/v1/sensors').flush([
      {
        sensor: 'd.level',
        dam: 'd',
        time: '2026-03-10T11:59:00Z',
        value: 2,
        quality: 'good',
        trend_m_per_h: 0.1,
      },
    ]);
    await loading;
  });

  it('builds a view per dam with its level sensor', () => {
    const v = store.dams()[0];
    expect(v.level?.state?.value).toBe(2);
    expect(v.scaleTop).toBeGreaterThanOrEqual(5);
  });

  it('shows a newer reading from an event at once, with volume and fill from the curve', () => {
    store.applyReadings({
      sensor: 'd.level',
      dam: 'd',
      readings: [{ t: '2026-03-10T12:00:00Z', v: 2.5, q: 'good' }],
    });
    const s = store.dams()[0].level!.state!;
    expect(s.value).toBe(2.5);
    expect(s.volume_m3).toBe(500);
    expect(s.fill_pct).toBe(50);
    expect(s.trend_m_per_h).toBe(0.1); // kept until the API recomputes it
  });

  it('ignores late and older readings', () => {
    store.applyReadings({
      sensor: 'd.level',
      dam: 'd',
      readings: [{ t: '2026-03-10T11:00:00Z', v: 9, q: 'good' }],
    });
    store.applyReadings({
      sensor: 'd.level',
      dam: 'd',
      readings: [{ t: '2026-03-10T12:30:00Z', v: 9, q: 'good', late: true }],
    });
    expect(store.dams()[0].level!.state!.value).toBe(2);
  });

  it('interpolates and extrapolates the storage curve', () => {
    expect(volumeAt(SITE.dams[0].curve, 1)).toBe(200);
    expect(volumeAt(SITE.dams[0].curve, -1)).toBe(0);
    expect(volumeAt(SITE.dams[0].curve, 6)).toBe(1200);
  });
});
