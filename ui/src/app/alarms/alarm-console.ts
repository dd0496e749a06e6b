import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  OnInit,
  computed,
  effect,
  inject,
  signal,
  viewChildren,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatSortModule, Sort } from '@angular/material/sort';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { Session } from '../core/session';
import { AlarmActionError, Alarms, compareAlarms, isOpen, isUnacked } from '../core/alarms';
import { Clock } from '../core/clock';
import { formatCountdown } from '../core/format';
import { I18n, TranslatePipe } from '../core/i18n/i18n';
import { Alarm, CascadeNotification, severityRank } from '../core/models';
import { DateTimePipe, FreshnessPipe, NumberPipe } from '../core/pipes';
import { SiteStore } from '../core/site-store';
import { SeverityBadge } from '../shared/severity-badge';
import { AlarmDialog, AlarmDialogData, AlarmDialogMode, AlarmDialogResult } from './alarm-dialog';

export type StateFilter = 'open' | 'unacked' | 'acked' | 'shelved' | 'all';

/** Keyboard shortcuts of the console, shown in its help (keys that need words are i18n keys). */
export const SHORTCUTS: readonly { keys: string; action: string }[] = [
  { keys: 'j / ↓', action: 'shortcut.next' },
  { keys: 'k / ↑', action: 'shortcut.previous' },
  { keys: 'a', action: 'shortcut.ack' },
  { keys: 'shortcut.keys.shiftA', action: 'shortcut.ackComment' },
  { keys: 'c', action: 'shortcut.comment' },
  { keys: 's', action: 'shortcut.shelve' },
  { keys: 'u', action: 'shortcut.unshelve' },
  { keys: '?', action: 'shortcut.help' },
];

/**
 * The alarm console: open alarms worst first, sortable and filterable, acknowledged with one
 * click (or one key), commented, shelved with a reason and an expiry.
 */
/** Keys that act on an alarm, ignored for read-only roles. */
const ACTION_KEYS = new Set(['a', 'A', 'c', 's', 'S', 'u']);

@Component({
  selector: 'app-alarm-console',
  imports: [
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatSelectModule,
    MatSortModule,
    MatTooltipModule,
    TranslatePipe,
    DateTimePipe,
    FreshnessPipe,
    NumberPipe,
    SeverityBadge,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './alarm-console.html',
  styleUrl: './alarm-console.scss',
  host: { '(document:keydown)': 'onKey($event)' },
})
export class AlarmConsole implements OnInit {
  protected readonly session = inject(Session);
  protected readonly alarms = inject(Alarms);
  protected readonly store = inject(SiteStore);
  protected readonly clock = inject(Clock);
  private readonly i18n = inject(I18n);
  private readonly dialog = inject(MatDialog);
  private readonly snack = inject(MatSnackBar);

  protected readonly shortcuts = SHORTCUTS;
  protected readonly stateFilter = signal<StateFilter>('open');
  protected readonly damFilter = signal('');
  protected readonly severityFilter = signal('');
  protected readonly sort = signal<Sort>({ active: '', direction: '' });
  protected readonly selectedId = signal<string | null>(null);
  protected readonly busy = signal<string | null>(null);
  protected readonly showHelp = signal(false);

  private readonly rows = viewChildren<ElementRef<HTMLElement>>('row');

  protected readonly visible = computed(() => {
    const state = this.stateFilter();
    const dam = this.damFilter();
    const sev = this.severityFilter();
    const list = this.alarms.alarms().filter((a) => {
      switch (state) {
        case 'open':
          if (!isOpen(a)) return false;
          break;
        case 'unacked':
          if (!isUnacked(a)) return false;
          break;
        case 'acked':
          if (a.state !== 'acked' && a.state !== 'ack_active') return false;
          break;
        case 'shelved':
          if (a.state !== 'shelved') return false;
          break;
      }
      return (!dam || a.dam === dam) && (!sev || severityRank(a.severity) >= severityRank(sev));
    });
    const { active, direction } = this.sort();
    if (!active || !direction) {
      return list.sort(compareAlarms);
    }
    const sign = direction === 'asc' ? 1 : -1;
    return list.sort((a, b) => sign * compareBy(active, a, b, (id) => this.damName(id)));
  });

  protected readonly selected = computed(
    () => this.visible().find((a) => a.id === this.selectedId()) ?? null,
  );

  constructor() {
    // Keep a selection: the first alarm, or the next one when the selected alarm leaves the list.
    effect(() => {
      const list = this.visible();
      if (!list.some((a) => a.id === this.selectedId())) {
        this.selectedId.set(list[0]?.id ?? null);
      }
    });
  }

  ngOnInit(): void {
    this.store.start();
    this.alarms.start();
  }

  protected damName(id: string | undefined): string {
    if (!id) {
      return '';
    }
    return this.store.site()?.dams.find((d) => d.id === id)?.name ?? id;
  }

  protected isUnacked(a: Alarm): boolean {
    return isUnacked(a);
  }

  /**
   * The countdown to the cascade's next step, from the cascade view (alarm.cascade.next_step_at)
   * while the alarm is unacknowledged.
   */
  protected escalation(a: Alarm, now: number): { due: boolean; text: string } | null {
    const next = a.cascade?.next_step_at;
    if (!next || !isUnacked(a) || a.cascade?.running === false) {
      return null;
    }
    const left = (Date.parse(next) - now) / 1000;
    if (!Number.isFinite(left)) {
      return null;
    }
    return left <= 0
      ? { due: true, text: this.i18n.t('alarms.escalating') }
      : {
          due: false,
          text: this.i18n.t('alarms.escalatesIn', { countdown: formatCountdown(left) }),
        };
  }

  /**
   * The cascade in a few lines: the step reached, and for each person notified at that step the
   * channels tried with their outcome; a failure's reason once.
   */
  protected cascadeOf(a: Alarm): {
    step: number;
    count: number;
    lines: { who: string; channel: string; at: string; status: string; operator: string }[];
    /** The failure's reason in words, and as recorded (shown on hover when they differ). */
    reason: string;
    recorded: string;
  } | null {
    const ns = a.cascade?.notifications ?? [];
    if (!ns.length) {
      return null;
    }
    const step = a.cascade?.step || Math.max(...ns.map((n) => n.step ?? 0));
    const latest = ns.filter((n) => (n.step ?? step) === step);
    const byOperator = new Map<string, CascadeNotification[]>();
    for (const n of latest) {
      byOperator.set(n.operator, [...(byOperator.get(n.operator) ?? []), n]);
    }
    const lines = [...byOperator.entries()].slice(0, 4).map(([operator, list]) => ({
      operator,
      who: list.find((n) => n.operator_name)?.operator_name || operator,
      channel: list.map((n) => this.channelName(n.channel)).join(', '),
      at: this.time(list[0].at),
      status: [...new Set(list.map((n) => this.statusName(n.status)))].join(', '),
    }));
    const failed = latest.find((n) => n.status === 'failed' && n.reason);
    return {
      step,
      count: ns.length,
      lines,
      reason: failed ? this.reasonText(failed) : '',
      recorded: failed?.reason ?? '',
    };
  }

  /**
   * A failure's reason in the reader's language when the server coded it ("gave up after 3
   * attempts" with its cause), the recorded English otherwise.
   */
  protected reasonText(n: CascadeNotification): string {
    const recorded = n.reason ?? '';
    if (n.reason_code === 'gave_up' && n.reason_params?.length) {
      const head = this.i18n.coded('reason', 'gave_up', n.reason_params, recorded);
      const cause = n.reason_cause
        ? this.i18n.coded(
            'reason',
            n.reason_cause.code,
            n.reason_cause.params,
            n.reason_params[1] ?? '',
          )
        : (n.reason_params[1] ?? '');
      return cause ? this.i18n.t('alarms.reasonCause', { reason: head, cause }) : head;
    }
    return this.i18n.coded('reason', n.reason_code, n.reason_params, recorded);
  }

  private time(iso: string): string {
    const t = Date.parse(iso);
    return Number.isFinite(t)
      ? new Date(t).toLocaleTimeString(this.i18n.locale(), {
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        })
      : '';
  }

  protected channelName(channel: string): string {
    const key = 'channel.' + channel;
    const t = this.i18n.t(key);
    return t === key ? channel : t;
  }

  protected statusName(status: string): string {
    const key = 'notification.' + status;
    const t = this.i18n.t(key);
    return t === key ? status : t;
  }

  protected select(a: Alarm): void {
    this.selectedId.set(a.id);
  }

  protected async ack(a: Alarm): Promise<void> {
    await this.run(a, 'alarms.done.ack', () => this.alarms.acknowledge(a.id));
  }

  protected async open(mode: AlarmDialogMode, a: Alarm): Promise<void> {
    const data: AlarmDialogData = { mode, alarm: a, title: this.i18n.t('alarms.dialog.' + mode) };
    const result = await firstValueFrom(
      this.dialog
        .open<AlarmDialog, AlarmDialogData, AlarmDialogResult>(AlarmDialog, {
          data,
          autoFocus: 'dialog',
          restoreFocus: true,
        })
        .afterClosed(),
    );
    if (!result) {
      return;
    }
    switch (mode) {
      case 'ack':
        await this.run(a, 'alarms.done.ack', () =>
          this.alarms.acknowledge(a.id, result.comment || undefined),
        );
        break;
      case 'comment':
        await this.run(a, 'alarms.done.comment', () => this.alarms.comment(a.id, result.comment));
        break;
      case 'shelve':
        await this.run(a, 'alarms.done.shelve', () =>
          this.alarms.shelve(a.id, result.comment, result.until!),
        );
        break;
    }
  }

  protected async unshelve(a: Alarm): Promise<void> {
    await this.run(a, 'alarms.done.unshelve', () => this.alarms.unshelve(a.id));
  }

  private async run(a: Alarm, done: string, action: () => Promise<void>): Promise<void> {
    this.busy.set(a.id);
    try {
      await action();
      this.snack.open(this.i18n.t(done), undefined, { duration: 4000 });
    } catch (e) {
      const err = e instanceof AlarmActionError ? e : new AlarmActionError(0, String(e));
      const key =
        err.status === 409
          ? 'alarms.error.conflict'
          : err.status === 404
            ? 'alarms.error.missing'
            : err.status === 0
              ? 'alarms.error.offline'
              : 'alarms.error.other';
      this.snack.open(this.i18n.t(key, { detail: err.message }), this.i18n.t('action.close'), {
        duration: 10000,
        politeness: 'assertive',
      });
    } finally {
      this.busy.set(null);
    }
  }

  /** Keyboard shortcuts; ignored while typing or while a dialog is open. */
  protected onKey(ev: KeyboardEvent): void {
    if (
      ev.ctrlKey ||
      ev.metaKey ||
      ev.altKey ||
      this.dialog.openDialogs.length > 0 ||
      isTyping(ev.target)
    ) {
      return;
    }
    if (!this.session.canAct() && ACTION_KEYS.has(ev.key)) {
      return; // read-only roles: the server would refuse anyway
    }
    const a = this.selected();
    const inList = ev.target instanceof HTMLElement && !!ev.target.closest('.alarm-list');
    switch (ev.key) {
      case 'j':
        this.move(1);
        break;
      case 'ArrowDown':
        if (!inList) return;
        this.move(1);
        break;
      case 'k':
        this.move(-1);
        break;
      case 'ArrowUp':
        if (!inList) return;
        this.move(-1);
        break;
      case 'a':
        if (a && this.isUnacked(a)) void this.ack(a);
        break;
      case 'A':
        if (a && this.isUnacked(a)) void this.open('ack', a);
        break;
      case 'c':
        if (a) void this.open('comment', a);
        break;
      case 's':
        if (a && a.state !== 'shelved') void this.open('shelve', a);
        break;
      case 'u':
        if (a && a.state === 'shelved') void this.unshelve(a);
        break;
      case '?':
        this.showHelp.update((v) => !v);
        break;
      default:
        return;
    }
    ev.preventDefault();
  }

  private move(delta: number): void {
    const list = this.visible();
    if (list.length === 0) {
      return;
    }
    const i = list.findIndex((a) => a.id === this.selectedId());
    const next = Math.min(list.length - 1, Math.max(0, i === -1 ? 0 : i + delta));
    this.selectedId.set(list[next].id);
    queueMicrotask(() => this.rows()[next]?.nativeElement.focus());
  }
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) {
    return false;
  }
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    !!target.closest('[role="listbox"], mat-select')
  );
}

function compareBy(key: string, a: Alarm, b: Alarm, damName: (id: string) => string): number {
  switch (key) {
    case 'severity':
      return severityRank(a.severity) - severityRank(b.severity);
    case 'raised':
      return Date.parse(a.raised_at) - Date.parse(b.raised_at);
    case 'dam':
      return damName(a.dam ?? '').localeCompare(damName(b.dam ?? ''));
    case 'state':
      return a.state.localeCompare(b.state);
  }
  return 0;
}
