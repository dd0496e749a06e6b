import { DOCUMENT } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { EN } from './en';
import { FR } from './fr';
import { I18n, TranslatePipe, interpolate } from './i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('have the same keys in French and English', () => {
    expect(Object.keys(EN).sort()).toEqual(Object.keys(FR).sort());
  });

  it('have the same placeholders in both languages', () => {
    for (const [key, fr] of Object.entries(FR)) {
      expect({ key, p: placeholders(EN[key as keyof typeof FR]) }).toEqual({
        key,
        p: placeholders(fr),
      });
    }
  });

  it('have no empty message', () => {
    for (const [key, text] of [...Object.entries(FR), ...Object.entries(EN)]) {
      expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
    }
  });
});

describe('I18n', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({});
  });

  it('speaks French by default', () => {
    const i18n = TestBed.inject(I18n);
    expect(i18n.lang()).toBe('fr');
    expect(i18n.t('nav.alarms')).toBe('Alarmes');
    expect(i18n.locale()).toBe('fr-FR');
  });

  it('switches to English, sets the document language and remembers the choice', () => {
    const i18n = TestBed.inject(I18n);
    i18n.setLang('en');
    TestBed.tick();
    expect(i18n.t('nav.alarms')).toBe('Alarms');
    expect(TestBed.inject(DOCUMENT).documentElement.lang).toBe('en');
    expect(localStorage.getItem('vigie.lang')).toBe('en');
  });

  it('starts in the remembered language', () => {
    localStorage.setItem('vigie.lang', 'en');
    expect(TestBed.inject(I18n).t('nav.timeline')).toBe('Timeline');
  });

  it('ignores a remembered value it does not know', () => {
    localStorage.setItem('vigie.lang', 'de');
    expect(TestBed.inject(I18n).lang()).toBe('fr');
  });

  it('fills parameters and returns unknown keys as they are', () => {
    const i18n = TestBed.inject(I18n);
    expect(i18n.t('card.lastReading', { ago: 'il y a 40 s' })).toBe('Dernière mesure il y a 40 s');
    expect(i18n.t('no.such.key')).toBe('no.such.key');
    expect(i18n.has('nav.alarms')).toBe(true);
    expect(i18n.has('no.such.key')).toBe(false);
  });

  it('words coded messages with positional parameters, else keeps the server text', () => {
    const i18n = TestBed.inject(I18n);
    expect(i18n.coded('config', 'int_out_of_range', ['10', '12'], 'english')).toBe(
      'doit être compris entre 1 et 10 (reçu 12)',
    );
    expect(i18n.coded('reason', 'channel_not_configured', ['sms'], 'english')).toBe(
      'aucun canal sms n’est configuré (voir notifications dans la configuration)',
    );
    expect(i18n.coded('config', 'no_such_code', ['x'], 'the English')).toBe('the English');
    expect(i18n.coded('config', undefined, undefined, 'the English')).toBe('the English');
    i18n.setLang('en');
    expect(i18n.coded('config', 'int_out_of_range', ['10', '12'], 'english')).toBe(
      'must be between 1 and 10 (got 12)',
    );
  });

  it('toggles between the two languages', () => {
    const i18n = TestBed.inject(I18n);
    i18n.toggle();
    expect(i18n.lang()).toBe('en');
    i18n.toggle();
    expect(i18n.lang()).toBe('fr');
  });

  it('translates through the pipe, following a language switch', () => {
    const pipe = TestBed.runInInjectionContext(() => new TranslatePipe());
    expect(pipe.transform('trend.up')).toBe('En hausse');
    TestBed.inject(I18n).setLang('en');
    expect(pipe.transform('trend.up')).toBe('Rising');
  });
});

describe('interpolate', () => {
  it('replaces known placeholders and leaves unknown ones', () => {
    expect(interpolate('{a} et {b}', { a: 1 })).toBe('1 et {b}');
  });
});
