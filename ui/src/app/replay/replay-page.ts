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
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { conditionLabel } from '../core/alarms';
import { API } from '../core/api';
import { I18n, TranslatePipe } from '../core/i18n/i18n';
import { DateTimePipe, DurationPipe, durationUnits } from '../core/pipes';
import { Session } from '../core/session';
import { selectLine } from '../config/config-model';
import { ConfigProblems, LocatedProblem } from '../shared/config-problems';
import { SeverityBadge } from '../shared/severity-badge';
import {
  AlarmTimes,
  Episode,
  MAX_REPLAY_DAYS,
  episodes as pastEpisodes,
  exactDuration,
  ReplayAlarm,
  ReplayRequest,
  ReplayResult,
  ReplayRow,
  fromLocalInput,
  lastHours,
  pagedPeople,
  periodProblem,
  shiftKind,
  summarise,
  toLocalInput,
} from './replay-model';

/**
 * What-if replay (auditors and administrators): pick a period (the last 24 hours, a past episode,
 * or any), edit the configuration (the one in force for an administrator; empty means the one the
 * log recorded), run the replay on the server — in a scratch store, nothing sent, the real log
 * untouched — and read, alarm by alarm, when it was raised for real and in the replay, how much
 * earlier or later, what appears on one side only, and who would have been paged.
 */
@Component({
  selector: 'app-replay-page',
  imports: [
    ConfigProblems,
    MatButtonModule,
    MatIconModule,
    RouterLink,
    TranslatePipe,
    DateTimePipe,
    DurationPipe,
    SeverityBadge,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './replay-page.html',
  styleUrl: './replay-page.scss',
})
export class ReplayPage implements OnInit {
  private readonly http = inject(HttpClient);
  protected readonly session = inject(Session);
  protected readonly i18n = inject(I18n);

  protected readonly maxDays = MAX_REPLAY_DAYS;
  protected readonly from = signal('');
  protected readonly to = signal('');
  protected readonly yaml = signal('');
  /** The configuration in force (administrators only: it holds phone numbers). */
  protected readonly inForce = signal<string | null>(null);
  protected readonly cascade = signal<ReplayRequest['cascade']>('auto');
  protected readonly episodes = signal<Episode[]>([]);
  protected readonly busy = signal(false);
  protected readonly result = signal<ReplayResult | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly problems = signal<LocatedProblem[]>([]);
  protected readonly editor = viewChild<ElementRef<HTMLTextAreaElement>>('editor');

  /** Auditors and administrators replay; the server decides, this only hides the form. */
  protected readonly allowed = computed(() => {
    const r = this.session.role();
    return r === 'auditor' || r === 'admin';
  });
  protected readonly period = computed(() => {
    const from = fromLocalInput(this.from());
    const to = fromLocalInput(this.to());
    return from && to ? { from, to } : null;
  });
  protected readonly periodProblem = computed(() => {
    const p = this.period();
    return p ? periodProblem(p) : 'order';
  });
  protected readonly summary = computed(() => summarise(this.result()?.alarms ?? []));

  ngOnInit(): void {
    this.setPeriod(lastHours(new Date(), 24));
    void this.loadEpisodes();
    if (this.session.isAdmin()) {
      void this.loadConfig();
    }
  }

  protected setPeriod(p: { from: Date; to: Date }): void {
    this.from.set(toLocalInput(p.from));
    this.to.set(toLocalInput(p.to));
  }

  protected lastDays(days: number): void {
    this.setPeriod(lastHours(new Date(), days * 24));
  }

  private async loadEpisodes(): Promise<void> {
    try {
      const res = await firstValueFrom(
        this.http.get<AlarmTimes[] | { alarms: AlarmTimes[] }>(`${API}/alarms?limit=1000`),
      );
      const alarms = Array.isArray(res) ? res : (res?.alarms ?? []);
      this.episodes.set(pastEpisodes(alarms));
    } catch {
      // No alarm engine or no right to list alarms: no episode to offer, the period is typed.
    }
  }

  private async loadConfig(): Promise<void> {
    try {
      const snap = await firstValueFrom(this.http.get<{ yaml: string }>(`${API}/config`));
      this.inForce.set(snap.yaml);
      if (!this.yaml()) {
        this.yaml.set(snap.yaml);
      }
    } catch {
      // Not offered: the replay runs with the recorded configuration unless one is pasted.
    }
  }

  protected useInForce(): void {
    this.yaml.set(this.inForce() ?? '');
    this.problems.set([]);
  }

  protected useRecorded(): void {
    this.yaml.set('');
    this.problems.set([]);
  }

  protected async run(): Promise<void> {
    const p = this.period();
    if (!p || this.periodProblem()) {
      return;
    }
    const body: ReplayRequest = {
      from: p.from.toISOString(),
      to: p.to.toISOString(),
      config: this.yaml(),
      cascade: this.cascade(),
    };
    this.busy.set(true);
    this.error.set(null);
    this.problems.set([]);
    try {
      this.result.set(await firstValueFrom(this.http.post<ReplayResult>(`${API}/replay`, body)));
    } catch (e) {
      this.result.set(null);
      this.showError(e);
    } finally {
      this.busy.set(false);
    }
  }

  private showError(e: unknown): void {
    if (!(e instanceof HttpErrorResponse)) {
      this.error.set(String(e));
      return;
    }
    const p = (e.error ?? {}) as { type?: string; detail?: string; errors?: LocatedProblem[] };
    switch (true) {
      case p.type === 'urn:vigie:problem:invalid-config':
        this.problems.set(p.errors ?? []);
        this.error.set(this.i18n.t('replay.error.config', { n: p.errors?.length ?? 0 }));
        return;
      case e.status === 429:
        this.error.set(this.i18n.t('replay.error.busy'));
        return;
      case p.type === 'urn:vigie:problem:replay-timeout':
        this.error.set(this.i18n.t('replay.error.timeout'));
        return;
      case e.status === 403 || e.status === 401:
        this.error.set(this.i18n.t('replay.error.forbidden'));
        return;
      case e.status === 501:
        this.error.set(this.i18n.t('replay.error.unavailable'));
        return;
      case e.status === 0:
        this.error.set(this.i18n.t('replay.error.network'));
        return;
    }
    this.error.set(p.detail ?? e.statusText ?? String(e.status));
  }

  /** Puts the cursor on a problem in the editor. */
  protected goTo(p: LocatedProblem): void {
    const el = this.editor()?.nativeElement;
    if (el && p.line) {
      selectLine(el, p.line, p.column || 1);
    }
  }

  protected kind(r: ReplayRow): string {
    return shiftKind(r);
  }

  /** "12 min plus tôt", "identique", "seulement dans le rejeu". */
  protected shiftText(r: ReplayRow): string {
    const k = shiftKind(r);
    if (k === 'earlier' || k === 'later') {
      const d = exactDuration(r.shift_s ?? 0, durationUnits(this.i18n));
      return this.i18n.t('replay.shift.' + k, { d });
    }
    return this.i18n.t('replay.shift.' + k);
  }

  protected side(r: ReplayRow): ReplayAlarm {
    return (r.replayed ?? r.recorded)!;
  }

  protected condition(a: ReplayAlarm): string {
    return conditionLabel(a.condition, (k) => this.i18n.t(k));
  }

  protected people(a: ReplayAlarm | undefined) {
    return pagedPeople(a?.calls);
  }

  protected channels(list: string[]): string {
    return list.map((c) => this.i18n.t('channel.' + c)).join(' + ');
  }
}
