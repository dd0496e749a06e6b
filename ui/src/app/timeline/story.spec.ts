import { TestBed } from '@angular/core/testing';

import { I18n } from '../core/i18n/i18n';
import { TimelineEntry } from '../core/models';
import { tell } from './story';

const entry = (over: Partial<TimelineEntry>): TimelineEntry => ({
  position: 1,
  stream: 's',
  type: 'x',
  time: '2026-03-10T10:00:00Z',
  recorded_at: '2026-03-10T10:00:01Z',
  summary: 'server summary',
  ...over,
});

describe('tell', () => {
  let i18n: I18n;
  const names = (id: string) => ({ mejean: 'Bassin de Méjean' })[id] ?? id;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({});
    i18n = TestBed.inject(I18n);
  });

  it('tells a threshold crossing with the dam name, severity and levels', () => {
    const s = tell(
      entry({
        type: 'sensor.threshold_crossed',
        data: {
          sensor: 'mejean.level',
          dam: 'mejean',
          threshold: 'alerte',
          severity: 'high',
          direction: 'up',
          level_m: 4.5,
          value_m: 4.52,
          at: '2026-03-10T10:00:00Z',
        },
      }),
      i18n,
      names,
    );
    expect(s.text).toBe(
      'Bassin de Méjean : le niveau a franchi le seuil « alerte » (gravité élevée, 4,50 m) à la hausse — mesure 4,52 m.',
    );
    expect(s.icon).toBe('arrow_upward');
    expect(s.severity).toBe('sev-high');
  });

  it('flags a crossing learnt late', () => {
    const s = tell(
      entry({
        type: 'sensor.threshold_crossed',
        data: {
          dam: 'mejean',
          threshold: 'alerte',
          direction: 'down',
          level_m: 4.5,
          value_m: 4.3,
          late: true,
        },
      }),
      i18n,
      names,
    );
    expect(s.text).toContain('repassé sous le seuil');
    expect(s.text).toContain('(information arrivée en retard)');
  });

  it('lists the changes of an applied configuration', () => {
    const s = tell(
      entry({
        type: 'config.applied',
        actor: 'user:admin',
        data: { source: 'file:nimes.yaml', changes: ['a', 'b'] },
      }),
      i18n,
      names,
    );
    expect(s.text).toBe('Nouvelle configuration appliquée (file:nimes.yaml) par user:admin.');
    expect(s.details).toEqual(['a', 'b']);
  });

  it('falls back to the server summary for a type it does not know', () => {
    expect(tell(entry({ type: 'cascade.step_scheduled' }), i18n, names).text).toBe(
      'server summary',
    );
  });

  it('speaks English too', () => {
    i18n.setLang('en');
    const s = tell(
      entry({
        type: 'sensor.readings_recorded',
        data: { sensor: 'mejean.level', readings: [{ t: 'x', v: 1.5, q: 'good' }] },
      }),
      i18n,
      names,
    );
    expect(s.text).toBe('mejean.level: 1 reading(s) received, last 1.50 m.');
  });
});
