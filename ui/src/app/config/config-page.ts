import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  OnInit,
  computed,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { API } from '../core/api';
import { I18n, TranslatePipe } from '../core/i18n/i18n';
import { DateTimePipe, NumberPipe } from '../core/pipes';
import { Session } from '../core/session';
import { ConfigProblems, LocatedProblem } from '../shared/config-problems';
import { ConfigCheck, ConfigSnapshot, DocDam, selectLine } from './config-model';

/**
 * Configuration (administrators): the dams, sensors, storage curves, thresholds, on-call
 * rotations, escalation policies and API keys in force, as tables; and the YAML itself, which can
 * be checked (every problem located, in words) and applied (recorded in the log with who and what
 * changed).
 */
@Component({
  selector: 'app-config-page',
  imports: [
    ConfigProblems,
    FormsModule,
    MatButtonModule,
    MatIconModule,
    MatTabsModule,
    RouterLink,
    TranslatePipe,
    DateTimePipe,
    NumberPipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './config-page.html',
  styleUrl: './config-page.scss',
})
export class ConfigPage implements OnInit {
  private readonly http = inject(HttpClient);
  protected readonly session = inject(Session);
  protected readonly i18n = inject(I18n);

  protected readonly snapshot = signal<ConfigSnapshot | null>(null);
  protected readonly loadError = signal<number | null>(null);
  protected readonly text = signal('');
  protected readonly check = signal<ConfigCheck | null>(null);
  protected readonly checkedText = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly applyError = signal<string | null>(null);
  protected readonly editor = viewChild<ElementRef<HTMLTextAreaElement>>('editor');

  protected readonly doc = computed(() => this.snapshot()?.document ?? null);
  protected readonly dirty = computed(() => this.text() !== (this.snapshot()?.yaml ?? ''));
  /** The verdict applies to the text on screen (not to an older version of it). */
  protected readonly current = computed(() =>
    this.checkedText() === this.text() ? this.check() : null,
  );

  ngOnInit(): void {
    void this.load();
  }

  async load(): Promise<void> {
    try {
      const snap = await firstValueFrom(this.http.get<ConfigSnapshot>(`${API}/config`));
      this.snapshot.set(snap);
      this.text.set(snap.yaml);
      this.loadError.set(null);
    } catch (e) {
      this.loadError.set(e instanceof HttpErrorResponse ? e.status : 0);
    }
  }

  protected onEdit(value: string): void {
    this.text.set(value);
    this.applyError.set(null);
  }

  protected async runCheck(): Promise<void> {
    const text = this.text();
    this.busy.set(true);
    try {
      const res = await firstValueFrom(
        this.http.post<ConfigCheck>(`${API}/config/check`, text, {
          headers: { 'Content-Type': 'application/yaml' },
        }),
      );
      this.check.set(res);
      this.checkedText.set(text);
    } catch (e) {
      this.applyError.set(problemDetail(e));
    } finally {
      this.busy.set(false);
    }
  }

  protected async apply(): Promise<void> {
    const text = this.text();
    this.busy.set(true);
    this.applyError.set(null);
    try {
      const res = await firstValueFrom(
        this.http.put<ConfigCheck>(`${API}/config`, text, {
          headers: { 'Content-Type': 'application/yaml' },
        }),
      );
      this.check.set(res);
      this.checkedText.set(text);
      await this.load();
      this.check.set(res);
      this.checkedText.set(this.text());
    } catch (e) {
      if (e instanceof HttpErrorResponse && e.status === 422 && e.error?.problems) {
        this.check.set(e.error as ConfigCheck);
        this.checkedText.set(text);
      } else {
        this.applyError.set(problemDetail(e));
      }
    } finally {
      this.busy.set(false);
    }
  }

  protected revert(): void {
    this.text.set(this.snapshot()?.yaml ?? '');
    this.check.set(null);
    this.applyError.set(null);
  }

  /** Puts the cursor on the problem in the editor. */
  protected goTo(p: LocatedProblem): void {
    const el = this.editor()?.nativeElement;
    if (el && p.line) {
      selectLine(el, p.line, p.column || 1);
    }
  }

  protected curve(d: DocDam): string {
    if (d.storage_curve.power) {
      return this.i18n.t('config.curvePower', {
        a: d.storage_curve.power.a,
        b: d.storage_curve.power.b,
      });
    }
    return this.i18n.t('config.curveTable', { n: d.storage_curve.table?.length ?? 0 });
  }

  protected operatorName(id: string): string {
    return this.doc()?.operators?.find((o) => o.id === id)?.name ?? id;
  }

  protected members(ids: string[]): string {
    return ids.map((id) => this.operatorName(id)).join(' → ');
  }

  protected alarmRules(d: DocDam): string[] {
    return Object.entries(d.alarms ?? {})
      .filter(([, v]) => !!v)
      .map(
        ([k, v]) =>
          `${this.i18n.t('config.alarm.' + k)} (${this.i18n.t('severity.' + String(v!['severity'] ?? 'unknown'))})`,
      );
  }

  protected dams(d: string | string[]): string {
    return Array.isArray(d) ? d.join(', ') : this.i18n.t('config.allDams');
  }
}

function problemDetail(e: unknown): string {
  if (e instanceof HttpErrorResponse) {
    return (e.error as { detail?: string } | null)?.detail ?? e.statusText ?? String(e.status);
  }
  return String(e);
}
