import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, OnInit, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { I18n, TranslatePipe } from '../core/i18n/i18n';
import { Session } from '../core/session';
import { SiteStore } from '../core/site-store';
import { describeError } from './board';
import { BoardsApi } from './boards-api';
import { Board, starterWidgets } from './layout';

/** The boards this user may open: their own, and those shared with their role. */
@Component({
  selector: 'app-boards',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    RouterLink,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1 class="page-title">{{ 'boards.title' | t }}</h1>
    @if (status() === 401 || !session.canSave()) {
      <div class="notice" role="status">
        <mat-icon svgIcon="info" aria-hidden="true" />
        <span>{{ 'boards.needLogin' | t }}</span>
        <a mat-stroked-button routerLink="/login" [queryParams]="{ return: '/boards' }">{{
          'login.submit' | t
        }}</a>
      </div>
    }
    @if (status() === 501) {
      <p class="notice">{{ 'boards.unavailable' | t }}</p>
    }
    @if (session.canSave()) {
      <form class="create" (ngSubmit)="create()">
        <mat-form-field>
          <mat-label>{{ 'board.title' | t }}</mat-label>
          <input
            matInput
            name="title"
            [(ngModel)]="newTitle"
            maxlength="100"
            data-testid="new-board-title"
          />
        </mat-form-field>
        <button mat-flat-button type="submit" [disabled]="!newTitle.trim()" data-testid="new-board">
          <mat-icon svgIcon="add" aria-hidden="true" />{{ 'boards.create' | t }}
        </button>
      </form>
      @if (error(); as e) {
        <p class="notice error" role="alert">{{ e }}</p>
      }
    }
    <ul class="boards">
      @for (b of boards(); track b.id) {
        <li>
          <a [routerLink]="['/boards', b.id]" data-testid="board-link">
            <mat-icon svgIcon="grid_view" aria-hidden="true" />
            <span class="name">{{ b.title }}</span>
          </a>
          <span class="muted">
            {{ 'boards.meta' | t: { owner: b.owner, n: b.widgets.length } }}
            @if (b.shared_with.length) {
              · {{ 'boards.sharedWith' | t: { roles: roleNames(b.shared_with) } }}
            }
          </span>
        </li>
      } @empty {
        @if (status() === 200) {
          <li class="muted">{{ 'boards.none' | t }}</li>
        }
      }
    </ul>
  `,
  styles: `
    .create {
      display: flex;
      flex-wrap: wrap;
      gap: 12px;
      align-items: center;
      margin: 12px 0;
    }
    .boards {
      list-style: none;
      padding: 0;
    }
    .boards li {
      padding: 8px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .boards a {
      display: inline-flex;
      align-items: center;
      gap: 8px;
      min-height: 44px;
      font: var(--mat-sys-title-medium);
    }
    .muted {
      display: block;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class Boards implements OnInit {
  private readonly api = inject(BoardsApi);
  private readonly router = inject(Router);
  private readonly store = inject(SiteStore);
  protected readonly session = inject(Session);
  private readonly i18n = inject(I18n);

  protected readonly boards = signal<Board[]>([]);
  protected readonly status = signal<number>(0);
  protected readonly error = signal<string | null>(null);
  protected newTitle = '';

  ngOnInit(): void {
    this.store.start();
    void this.load();
  }

  async load(): Promise<void> {
    try {
      this.boards.set(await firstValueFrom(this.api.list()));
      this.status.set(200);
    } catch (e) {
      this.status.set(e instanceof HttpErrorResponse ? e.status : 0);
    }
  }

  protected async create(): Promise<void> {
    this.error.set(null);
    try {
      const dams = this.store.dams().map((v) => v.dam.id);
      const b = await firstValueFrom(
        this.api.create({
          title: this.newTitle.trim(),
          shared_with: [],
          widgets: starterWidgets(dams),
        }),
      );
      await this.router.navigate(['/boards', b.id]);
    } catch (e) {
      this.error.set(describeError(e, this.i18n));
    }
  }

  protected roleNames(roles: string[]): string {
    return roles.map((r) => this.i18n.t('role.' + r)).join(', ');
  }
}
