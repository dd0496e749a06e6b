import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { I18n } from '../core/i18n/i18n';
import { ConfigProblems, LocatedProblem } from './config-problems';

@Component({
  imports: [ConfigProblems],
  template: `<app-config-problems [problems]="problems()" (goTo)="chosen.set($event)" />`,
})
class Host {
  readonly problems = signal<LocatedProblem[]>([
    {
      line: 29,
      column: 18,
      path: 'dams[0].capacity_m3',
      code: 'capacity_not_positive',
      params: ['-5'],
      message: 'must be a volume above 0 m³ (got -5)',
    },
    { line: 0, column: 0, message: 'a problem found by an adapter, without a code' },
  ]);
  readonly chosen = signal<LocatedProblem | null>(null);
}

describe('ConfigProblems', () => {
  beforeEach(() => localStorage.clear());

  function render() {
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    const items = [...(fixture.nativeElement as HTMLElement).querySelectorAll('li')];
    return { fixture, items };
  }

  it('says where and what, in the reader’s language when the code is known', () => {
    const { items } = render();
    expect(items.length).toBe(2);
    expect(items[0].textContent).toContain('Ligne 29, col. 18');
    expect(items[0].textContent).toContain('Ouvrage 1, capacité (m³)');
    expect(items[0].textContent).toContain('doit être un volume supérieur à 0 m³ (reçu -5)');
    // Without a code, the server's English, marked as English for screen readers.
    expect(items[1].textContent).toContain('a problem found by an adapter, without a code');
    expect(items[1].querySelector('[lang="en"]')).not.toBeNull();
    expect(items[1].querySelector('button')?.disabled).toBe(true);
  });

  it('follows a language switch', () => {
    const { fixture, items } = render();
    TestBed.inject(I18n).setLang('en');
    fixture.detectChanges();
    expect(items[0].textContent).toContain('Dam 1, capacity (m³)');
    expect(items[0].textContent).toContain('must be a volume above 0 m³ (got -5)');
  });

  it('tells the screen which problem was chosen', () => {
    const { fixture, items } = render();
    items[0].querySelector('button')!.click();
    expect(fixture.componentInstance.chosen()?.line).toBe(29);
  });
});
