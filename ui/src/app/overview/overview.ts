import { ChangeDetectionStrategy, Component, OnInit, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';

import { Alarms } from '../core/alarms';
import { Clock } from '../core/clock';
import { TranslatePipe } from '../core/i18n/i18n';
import { SiteStore } from '../core/site-store';
import { DamCard } from './dam-card';

/** Every dam of the site at a glance, live. */
@Component({
  selector: 'app-overview',
  imports: [DamCard, MatButtonModule, MatIconModule, MatProgressSpinnerModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1 class="page-title">
      {{ 'overview.title' | t }}
      @if (store.site(); as site) {
        <span class="site-name">— {{ site.name }}</span>
      }
    </h1>

    @if (store.error() && store.dams().length === 0) {
      <div class="notice error" role="alert">
        <mat-icon svgIcon="error" aria-hidden="true" />
        <span>{{ 'overview.loadError' | t }}</span>
        <button mat-stroked-button type="button" (click)="store.reload()">
          <mat-icon svgIcon="refresh" aria-hidden="true" />{{ 'action.retry' | t }}
        </button>
      </div>
    } @else if (!store.loaded()) {
      <div class="loading" role="status">
        <mat-spinner diameter="40" aria-hidden="true" />
        <span>{{ 'overview.loading' | t }}</span>
      </div>
    } @else if (store.dams().length === 0) {
      <p class="notice">{{ 'overview.empty' | t }}</p>
    }

    <div class="cards">
      @for (v of store.dams(); track v.dam.id) {
        <app-dam-card
          [view]="v"
          [alarm]="alarms.worstByDam().get(v.dam.id)"
          [alarmsAvailable]="alarms.status() === 'available'"
          [now]="clock.now()"
        />
      }
    </div>
  `,
  styles: `
    .site-name {
      color: var(--mat-sys-on-surface-variant);
      font-weight: 400;
    }
    .cards {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(min(100%, 400px), 1fr));
      gap: 16px;
    }
    .loading {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 24px 0;
    }
    @media (min-width: 2200px) {
      .cards {
        grid-template-columns: repeat(auto-fill, minmax(520px, 1fr));
      }
    }
  `,
})
export class Overview implements OnInit {
  protected readonly store = inject(SiteStore);
  protected readonly alarms = inject(Alarms);
  protected readonly clock = inject(Clock);

  ngOnInit(): void {
    this.store.start();
    this.alarms.start();
  }
}
