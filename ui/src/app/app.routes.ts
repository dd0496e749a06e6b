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
  {
    path: 'login',
    loadComponent: () => import('./login/login').then((m) => m.Login),
    title: 'nav.login',
  },
  {
    path: 'boards',
    loadComponent: () => import('./boards/boards').then((m) => m.Boards),
    title: 'nav.boards',
  },
  {
    path: 'boards/:id',
    loadComponent: () => import('./boards/board').then((m) => m.BoardPage),
    title: 'nav.boards',
  },
  {
    // A board in the authority's portal (iframe): read-only, no navigation, token in ?token=.
    path: 'embed/:id',
    loadComponent: () => import('./boards/board').then((m) => m.BoardPage),
    data: { embedded: true },
    title: 'nav.boards',
  },
  {
    path: 'config',
    loadComponent: () => import('./config/config-page').then((m) => m.ConfigPage),
    title: 'nav.config',
  },
  {
    path: 'replay',
    loadComponent: () => import('./replay/replay-page').then((m) => m.ReplayPage),
    title: 'nav.replay',
  },
  { path: '**', redirectTo: '' },
];
