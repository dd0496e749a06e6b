import {
  ChangeDetectionStrategy,
  Component,
  OnInit,
  computed,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { catchError, debounceTime, map, of, switchMap, tap } from 'rxjs';

import { Api, TimelineFilter, timelineExportUrl } from '../core/api';
import { formatDate } from '../core/format';
import { I18n, TranslatePipe } from '../core/i18n/i18n';
import { Live } from '../core/live';
import { TimelineEntry } from '../core/models';
import { DateTimePipe, DurationPipe } from '../core/pipes';
import { SiteStore } from '../core/site-store';
import { DEFAULT_TIMELINE_TYPES, StoryLine, TIMELINE_TYPES, tell } from './story';

export const TIMELINE_LIMIT = 500;

const PERIODS: Readonly<Record<string, number>> = {
  '1h': 3600,
  '24h': 86400,
  '7d': 7 * 86400,
  '30d': 30 * 86400,
};

interface Day {
  key: string;
  label: string;
  items: { entry: TimelineEntry; story: StoryLine; lateBy: number }[];
}

/** The audit timeline told as a story, filterable, exportable as CSV and JSON. */
@Component({
  selector: 'app-timeline',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    TranslatePipe,
    DateTimePipe,
    DurationPipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './timeline.html',
  styleUrl: './timeline.scss',
})
export class Timeline implements OnInit {
  private readonly api = inject(Api);
  private readonly i18n = inject(I18n);
  private readonly live = inject(Live);
  protected readonly store = inject(SiteStore);

  protected readonly types = TIMELINE_TYPES;
  protected readonly periods = Object.keys(PERIODS);

  protected readonly dam = signal('');
  protected readonly selectedTypes = signal<string[]>([...DEFAULT_TIMELINE_TYPES]);
  protected readonly period = signal('24h');
  protected readonly customFrom = signal('');
  protected readonly customTo = signal('');

  protected readonly entries = signal<TimelineEntry[]>([]);
  /** Position to continue from when the last page was full, else null. */
  protected readonly more = signal<number | null>(null);
  protected readonly loadingMore = signal(false);
  protected readonly loading = signal(false);
  protected readonly error = signal(false);
  private readonly reloadTick = signal(0);

  /** The filter as the API takes it. */
  protected readonly filter = computed<TimelineFilter>(() => {
    this.reloadTick();
    const now = Date.now();
    let from: Date | undefined;
    let to: Date | undefined;
    if (this.period() === 'custom') {
      from = this.customFrom() ? new Date(this.customFrom()) : undefined;
      to = this.customTo() ? new Date(this.customTo()) : undefined;
    } else {
      from = new Date(now - (PERIODS[this.period()] ?? 86400) * 1000);
    }
    const all =
      this.selectedTypes().length === 0 || this.selectedTypes().length === TIMELINE_TYPES.length;
    return {
      from,
      to,
      dam: this.dam() || undefined,
      types: all ? undefined : this.selectedTypes(),
      limit: TIMELINE_LIMIT,
    };
  });

  protected readonly csvUrl = computed(() => timelineExportUrl(this.filter(), 'csv'));
  protected readonly jsonUrl = computed(() => timelineExportUrl(this.filter(), 'json'));

  /** Newest first, grouped by day. */
  protected readonly days = computed<Day[]>(() => {
    const locale = this.i18n.locale();
    this.i18n.lang();
    const names = new Map((this.store.site()?.dams ?? []).map((d) => [d.id, d.name]));
    const damName = (id: string) => names.get(id) ?? id;
    const days: Day[] = [];
    const sorted = [...this.entries()].sort(
      (a, b) => Date.parse(b.time) - Date.parse(a.time) || b.position - a.position,
    );
    for (const entry of sorted) {
      const key = formatDate(locale, entry.time, 'date');
      let day = days[days.length - 1];
      if (!day || day.key !== key) {
        day = { key, label: key, items: [] };
        days.push(day);
      }
      const lateBy = (Date.parse(entry.recorded_at) - Date.parse(entry.time)) / 1000;
      day.items.push({ entry, story: tell(entry, this.i18n, damName), lateBy });
    }
    return days;
  });

  constructor() {
    toObservable(this.filter)
      .pipe(
        debounceTime(150),
        tap(() => this.loading.set(true)),
        switchMap((f) =>
          this.api.timeline(f).pipe(
            map((page) => ({
              entries: page.entries,
              next: page.entries.length >= TIMELINE_LIMIT ? page.next_after : null,
              error: false,
            })),
            catchError(() => of({ entries: [] as TimelineEntry[], next: null, error: true })),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((r) => {
        this.loading.set(false);
        this.error.set(r.error);
        this.entries.set(r.entries);
        this.more.set(r.next);
      });

    // New audit-worthy events: reload a period that ends now.
    this.live
      .on()
      .pipe(debounceTime(1000), takeUntilDestroyed())
      .subscribe((e) => {
        if (this.period() !== 'custom' && e.type !== 'sensor.readings_recorded') {
          this.reload();
        }
      });
  }

  ngOnInit(): void {
    this.store.start();
  }

  /** Appends the next page of the same filter. */
  protected loadMore(): void {
    const after = this.more();
    if (after === null || this.loadingMore()) {
      return;
    }
    this.loadingMore.set(true);
    this.api.timeline({ ...this.filter(), after }).subscribe({
      next: (page) => {
        this.entries.update((e) => [...e, ...page.entries]);
        this.more.set(page.entries.length >= TIMELINE_LIMIT ? page.next_after : null);
        this.loadingMore.set(false);
      },
      error: () => {
        this.error.set(true);
        this.loadingMore.set(false);
      },
    });
  }

  protected reload(): void {
    this.reloadTick.update((n) => n + 1);
  }

  protected typeLabel(type: string): string {
    const key = 'eventType.' + type;
    return this.i18n.has(key) ? this.i18n.t(key) : type;
  }

  protected dataJson(e: TimelineEntry): string {
    return JSON.stringify(e.data, null, 2);
  }
}
