import { TestBed } from '@angular/core/testing';

import { I18n } from './i18n/i18n';
import { DurationPipe, FreshnessPipe, NumberPipe } from './pipes';

describe('FreshnessPipe', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');
  let pipe: FreshnessPipe;
  let i18n: I18n;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({});
    i18n = TestBed.inject(I18n);
    pipe = TestBed.runInInjectionContext(() => new FreshnessPipe());
  });

  const ago = (s: number) => new Date(now - s * 1000).toISOString();

  it.each([
    [40, 'il y a 40 s'],
    [59, 'il y a 59 s'],
    [185, 'il y a 3 min 5 s'],
    [600, 'il y a 10 min'],
    [725, 'il y a 12 min'],
    [2 * 3600 + 5 * 60, 'il y a 2 h 5 min'],
    [3 * 86400 + 3600 * 4, 'il y a 3 j 4 h'],
  ])('tells %i s as "%s"', (seconds, want) => {
    expect(pipe.transform(ago(seconds), now)).toBe(want);
  });

  it('says "just now" under 5 s and for a clock slightly ahead', () => {
    expect(pipe.transform(ago(2), now)).toBe("à l'instant");
    expect(pipe.transform(ago(-30), now)).toBe("à l'instant");
  });

  it('says there is no reading for a missing or invalid time', () => {
    expect(pipe.transform(undefined, now)).toBe('aucune mesure');
    expect(pipe.transform('not a date', now)).toBe('aucune mesure');
  });

  it('ticks: the same time reads older as the clock moves', () => {
    const t = ago(40);
    expect(pipe.transform(t, now)).toBe('il y a 40 s');
    expect(pipe.transform(t, now + 20_000)).toBe('il y a 1 min');
  });

  it('follows the language', () => {
    i18n.setLang('en');
    expect(pipe.transform(ago(40), now)).toBe('40 s ago');
    expect(pipe.transform(ago(2 * 86400), now)).toBe('2 d ago');
  });

  it('accepts milliseconds and Date objects', () => {
    expect(pipe.transform(now - 40_000, now)).toBe('il y a 40 s');
    expect(pipe.transform(new Date(now - 40_000), now)).toBe('il y a 40 s');
  });
});

describe('NumberPipe and DurationPipe', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({});
  });

  it('formats with the French decimal comma, and the English point', () => {
    const pipe = TestBed.runInInjectionContext(() => new NumberPipe());
    expect(pipe.transform(4.321, 2)).toBe('4,32');
    expect(pipe.transform(0.12, 2, true)).toBe('+0,12');
    expect(pipe.transform(undefined)).toBe('—');
    TestBed.inject(I18n).setLang('en');
    expect(pipe.transform(4.321, 2)).toBe('4.32');
  });

  it('formats durations with two units at most', () => {
    const pipe = TestBed.runInInjectionContext(() => new DurationPipe());
    expect(pipe.transform(3 * 3600 + 20 * 60 + 12)).toBe('3 h 20 min');
    expect(pipe.transform(45)).toBe('45 s');
    expect(pipe.transform(null)).toBe('—');
  });
});
