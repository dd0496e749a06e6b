import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { Access } from './core/access';
import { Alarms } from './core/alarms';
import { Clock } from './core/clock';
import { I18n, TranslatePipe } from './core/i18n/i18n';
import { Live } from './core/live';
import { DurationPipe } from './core/pipes';
import { Session } from './core/session';
import { Theme } from './core/theme';

/** The shell: header with connection status, navigation, theme and language switches. */
@Component({
  selector: 'app-root',
  imports: [
    RouterOutlet,
    RouterLink,
    RouterLinkActive,
    MatButtonModule,
    MatIconModule,
    MatTooltipModule,
    TranslatePipe,
    DurationPipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './app.html',
  styleUrl: './app.scss',
})
export class App {
  protected readonly live = inject(Live);
  protected readonly theme = inject(Theme);
  protected readonly i18n = inject(I18n);
  protected readonly clock = inject(Clock);
  protected readonly alarms = inject(Alarms);
  protected readonly access = inject(Access);
  protected readonly session = inject(Session);
  private readonly router = inject(Router);

  /** An embedded board shows no application chrome. */
  protected readonly embedded = computed(() => this.session.status() === 'embed');

  protected async logout(): Promise<void> {
    await this.session.logout().catch(() => undefined);
    // A full load: the live stream reconnects without the old cookie.
    window.location.assign('/login');
  }

  protected loginLink(): { return: string } {
    return { return: this.router.url.startsWith('/login') ? '/' : this.router.url };
  }

  protected readonly statusIcon = computed(
    () => ({ online: 'cloud_done', connecting: 'sync', offline: 'cloud_off' })[this.live.status()],
  );

  /** Seconds since the connection was lost. */
  protected readonly offlineFor = computed(() => {
    const since = this.live.offlineSince();
    return since === null ? 0 : Math.max(0, (this.clock.now() - since) / 1000);
  });

  constructor() {
    this.live.start();
    this.alarms.start();
  }
}
