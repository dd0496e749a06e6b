import { Routes } from '@angular/router';

import { Overview } from './overview/overview';

// Route titles are i18n keys, translated by I18nTitleStrategy.
export const routes: Routes = [
  { path: '', component: Overview, title: 'nav.overview' },
  {
    path: 'dams/:id',
    loadComponent: () => import('./dam-detail/dam-detail').then((m) => m.DamDetail),
    title: 'nav.dam',
  },
  {
    path: 'alarms',
    loadComponent: () => import('./alarms/alarm-console').then((m) => m.AlarmConsole),
    title: 'nav.alarms',
  },
  {
    path: 'timeline',
    loadComponent: () => import('./timeline/timeline').then((m) => m.Timeline),
    title: 'nav.timeline',
  },
  { path: '**', redirectTo: '' },
];
