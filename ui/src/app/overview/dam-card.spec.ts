import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { provideIcons } from '../core/icon-registry';
import { Alarm, Dam, SensorState } from '../core/models';
import { damView } from '../core/site-store';
import { DamCard, trendDirection } from './dam-card';

const NOW = Date.parse('2026-03-10T12:00:00Z');

const DAM: Dam = {
  id: 'mejean',
  name: 'Bassin de Méjean',
  capacity_m3: 180000,
  spillway_crest_m: 6,
  dyke_height_m: 7.5,
  curve: [
    { h_m: 0, v_m3: 0 },
    { h_m: 6, v_m3: 180000 },
  ],
  sensors: [
    {
      id: 'mejean.level',
      kind: 'water_level',
      unit: 'm',
      plausible_min: -0.5,
      plausible_max: 9,
      period_s: 60,
    },
  ],
  thresholds: [
    { name: 'vigilance', level_m: 2, severity: 'low' },
    { name: 'alerte', level_m: 4.5, severity: 'high' },
  ],
};

function state(over: Partial<SensorState> = {}): SensorState {
  return {
    sensor: 'mejean.level',
    dam: 'mejean',
    time: new Date(NOW - 40_000).toISOString(),
    value: 3.02,
    quality: 'good',
    trend_m_per_h: 0.78,
    volume_m3: 33127,
    fill_pct: 18.4,
    spilling: false,
    time_to_spill: 3 * 3600 + 50 * 60,
    above: ['vigilance'],
    ...over,
  };
}

describe('DamCard', () => {
  let fixture: ComponentFixture<DamCard>;

  async function render(
    s: SensorState | undefined,
    opts: { alarm?: Alarm; alarmsAvailable?: boolean; now?: number } = {},
  ): Promise<string> {
    const states = new Map<string, SensorState>(s ? [[s.sensor, s]] : []);
    fixture.componentRef.setInput('view', damView(DAM, states));
    fixture.componentRef.setInput('now', opts.now ?? NOW);
    fixture.componentRef.setInput('alarm', opts.alarm);
    fixture.componentRef.setInput('alarmsAvailable', opts.alarmsAvailable ?? false);
    await fixture.whenStable();
    return text();
  }

  const text = () => (fixture.nativeElement as HTMLElement).textContent!.replace(/\s+/g, ' ');

  beforeEach(async () => {
    localStorage.clear();
    await TestBed.configureTestingModule({
      imports: [DamCard],
      providers: [provideRouter([]), provideIcons()],
    }).compileComponents();
    fixture = TestBed.createComponent(DamCard);
  });

  it('shows the level, trend, fill, forecast and freshness in words', async () => {
    const t = await render(state());
    expect(t).toContain('Bassin de Méjean');
    expect(t).toContain('3,02 m');
    expect(t).toContain('Mesure fiable');
    expect(t).toContain('En hausse');
    expect(t).toContain('+0,78 m/h');
    expect(t).toContain('18 %');
    expect(t).toMatch(/33\s127 m³ sur 180\s000 m³/);
    expect(t).toContain('Dans 3 h 50 min au rythme actuel');
    expect(t).toContain('Dernière mesure il y a 40 s');
    expect(t).toContain('Seuil(s) franchi(s) : vigilance');
  });

  it('exposes the fill as a meter and the card as a labelled article', async () => {
    await render(state());
    const el = fixture.nativeElement as HTMLElement;
    const meter = el.querySelector('[role="meter"]')!;
    expect(meter.getAttribute('aria-valuenow')).toBe('18.4');
    const title = el.querySelector('h2')!;
    expect(el.getAttribute('role')).toBe('article');
    expect(el.getAttribute('aria-labelledby')).toBe(title.id);
  });

  it('draws every threshold and the spillway on the level scale, with their names', async () => {
    await render(state());
    const labels = [
      ...(fixture.nativeElement as HTMLElement).querySelectorAll('app-level-scale text'),
    ].map((e) => e.textContent);
    expect(labels).toEqual(
      expect.arrayContaining(['vigilance 2,00', 'alerte 4,50', 'Déversoir 6,00', 'Digue 7,50']),
    );
  });

  it('ticks the freshness with the clock and flags a silent sensor', async () => {
    await render(state());
    fixture.componentRef.setInput('now', NOW + 20_000);
    await fixture.whenStable();
    expect(text()).toContain('il y a 1 min');
    expect(text()).not.toContain('Données anciennes');
    fixture.componentRef.setInput('now', NOW + 10 * 60_000);
    await fixture.whenStable();
    expect(text()).toContain('Données anciennes');
    expect(text()).toContain('capteur silencieux');
  });

  it('says when the dam spills', async () => {
    const t = await render(
      state({
        value: 6.1,
        spilling: true,
        time_to_spill: undefined,
        above: ['vigilance', 'alerte'],
      }),
    );
    expect(t).toContain('Déverse en ce moment');
  });

  it('says no spill is expected when the level falls', async () => {
    const t = await render(state({ trend_m_per_h: -0.2, time_to_spill: undefined }));
    expect(t).toContain('En baisse');
    expect(t).toContain('Pas de déversement prévu');
  });

  it('shows the worst alarm with its severity in words', async () => {
    const alarm: Alarm = {
      id: 'a1',
      dam: 'mejean',
      severity: 'high',
      state: 'unack_active',
      condition: 'level:alerte',
      raised_at: new Date(NOW).toISOString(),
    };
    const t = await render(state(), { alarm, alarmsAvailable: true });
    expect(t).toContain('Élevée — seuil alerte');
    expect(t).toContain('Active, non acquittée');
  });

  it('says there is no alarm when the alarm service answers with none', async () => {
    const t = await render(state({ above: [] }), { alarmsAvailable: true });
    expect(t).toContain('Aucune alarme active');
    expect(t).toContain('Normal');
  });

  it('copes with a sensor that never reported', async () => {
    const t = await render(undefined);
    expect(t).toContain('—');
    expect(t).toContain('aucune mesure');
    expect(t).toContain('Pas de mesure');
  });

  it('translates to English', async () => {
    localStorage.setItem('vigie.lang', 'en');
    TestBed.resetTestingModule();
    await TestBed.configureTestingModule({
      imports: [DamCard],
      providers: [provideRouter([]), provideIcons()],
    }).compileComponents();
    fixture = TestBed.createComponent(DamCard);
    const t = await render(state());
    expect(t).toContain('Rising');
    expect(t).toContain('Last reading 40 s ago');
    expect(t).toContain('3.02 m');
  });
});

describe('trendDirection', () => {
  it.each([
    [0.5, 'up'],
    [-0.5, 'down'],
    [0.004, 'stable'],
    [undefined, 'unknown'],
    [NaN, 'unknown'],
  ])('%s m/h is %s', (v, want) => {
    expect(trendDirection(v as number | undefined)).toBe(want);
  });
});
