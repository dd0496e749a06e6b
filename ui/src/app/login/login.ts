import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute } from '@angular/router';

import { I18n, TranslatePipe } from '../core/i18n/i18n';
import { LoginError, Session } from '../core/session';

/** Only paths of this application are followed after login (no open redirect). */
export function safeReturn(raw: string | null): string {
  return raw && raw.startsWith('/') && !raw.startsWith('//') && !raw.startsWith('/login')
    ? raw
    : '/';
}

/** Login: a name and a password, big targets, plain messages. */
@Component({
  selector: 'app-login',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="login" aria-labelledby="login-title">
      <h1 id="login-title" class="page-title">{{ 'login.title' | t }}</h1>
      @if (session.expired()) {
        <p class="notice" role="status">{{ 'login.expired' | t }}</p>
      }
      <form (ngSubmit)="submit()" #f="ngForm" novalidate>
        <mat-form-field>
          <mat-label>{{ 'login.user' | t }}</mat-label>
          <input
            matInput
            name="user"
            autocomplete="username"
            autocapitalize="none"
            required
            [(ngModel)]="user"
            data-testid="login-user"
          />
        </mat-form-field>
        <mat-form-field>
          <mat-label>{{ 'login.password' | t }}</mat-label>
          <input
            matInput
            name="password"
            type="password"
            autocomplete="current-password"
            required
            [(ngModel)]="password"
            data-testid="login-password"
          />
        </mat-form-field>
        @if (error(); as e) {
          <p class="notice error" role="alert" data-testid="login-error">
            <mat-icon svgIcon="error" aria-hidden="true" />{{ e }}
          </p>
        }
        <button
          mat-flat-button
          type="submit"
          [disabled]="busy() || !user || !password"
          data-testid="login-submit"
        >
          <mat-icon svgIcon="login" aria-hidden="true" />{{ 'login.submit' | t }}
        </button>
      </form>
      <p class="muted">{{ 'login.help' | t }}</p>
    </section>
  `,
  styles: `
    .login {
      max-width: 420px;
      margin: 32px auto;
    }
    form {
      display: flex;
      flex-direction: column;
      gap: 16px;
    }
    button[type='submit'] {
      min-height: 48px;
      font-size: 1.05rem;
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
      margin-top: 24px;
    }
  `,
})
export class Login {
  protected readonly session = inject(Session);
  private readonly i18n = inject(I18n);
  private readonly route = inject(ActivatedRoute);

  protected user = '';
  protected password = '';
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async submit(): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.session.login(this.user.trim(), this.password);
      // A full load: the live stream and every view restart with the new identity.
      window.location.assign(safeReturn(this.route.snapshot.queryParamMap.get('return')));
    } catch (e) {
      const status = e instanceof LoginError ? e.status : 0;
      this.error.set(
        status === 401
          ? this.i18n.t('login.wrong')
          : status === 429
            ? this.i18n.t('login.locked')
            : status === 501
              ? this.i18n.t('login.unavailable')
              : this.i18n.t('login.failed'),
      );
      this.password = '';
    } finally {
      this.busy.set(false);
    }
  }
}
