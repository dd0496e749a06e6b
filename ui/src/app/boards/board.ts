import { CdkDrag, CdkDragDrop, CdkDragHandle, CdkDropList } from '@angular/cdk/drag-drop';
import { HttpErrorResponse } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  DOCUMENT,
  OnInit,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { Alarms } from '../core/alarms';
import { I18n, TranslatePipe } from '../core/i18n/i18n';
import { DateTimePipe } from '../core/pipes';
import { Session } from '../core/session';
import { SiteStore } from '../core/site-store';
import { BoardWidget } from './board-widget';
import { BoardsApi, EmbedLink } from './boards-api';
import {
  Board,
  KPI_KINDS,
  KpiKind,
  ROLES,
  Role,
  WIDGET_TYPES,
  Widget,
  WidgetType,
  byPosition,
  clampSize,
  move,
  newWidget,
  pack,
} from './layout';

/** Height of one grid row (px); widgets span whole rows. */
export const ROW_PX = 88;

/**
 * A board: widgets on a 12-column grid. Its owner (or an admin) edits it in place: add, drag to
 * reorder, resize with the corner handle or the buttons (keyboard), remove, share with roles,
 * save. The same component shows a board read-only in an embedded frame (/embed/:id).
 */
@Component({
  selector: 'app-board',
  imports: [
    BoardWidget,
    CdkDrag,
    CdkDragHandle,
    CdkDropList,
    DateTimePipe,
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './board.html',
  styleUrl: './board.scss',
  host: { '[class.embedded]': 'embedded()' },
})
export class BoardPage implements OnInit {
  /** Route parameter. */
  readonly id = input.required<string>();
  /** Set by the /embed route. */
  readonly embedded = input(false);

  private readonly api = inject(BoardsApi);
  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);
  protected readonly session = inject(Session);
  protected readonly store = inject(SiteStore);
  private readonly alarms = inject(Alarms);
  protected readonly i18n = inject(I18n);

  protected readonly board = signal<Board | null>(null);
  protected readonly error = signal<number | null>(null);
  protected readonly editing = signal(false);
  protected readonly widgets = signal<Widget[]>([]);
  protected readonly title = signal('');
  protected readonly shared = signal<Role[]>([]);
  protected readonly saving = signal(false);
  protected readonly saveError = signal<string | null>(null);
  protected readonly saved = signal(false);
  protected readonly links = signal<EmbedLink[]>([]);
  protected readonly newLink = signal<EmbedLink | null>(null);

  protected readonly types = WIDGET_TYPES;
  protected readonly kpis = KPI_KINDS;
  protected readonly roles = ROLES;
  protected addType: WidgetType = 'dam-card';
  protected addDam = '';
  protected addKpi: KpiKind = 'unacked';
  protected linkLabel = '';
  protected linkDays = 30;
  protected readonly rowPx = ROW_PX;

  /** The owner and admins edit; a shared board is read-only for the others. */
  protected readonly canEdit = computed(() => {
    const b = this.board();
    const info = this.session.info();
    return (
      !!b &&
      !!info &&
      !this.embedded() &&
      (info.role === 'admin' || b.owner === `user:${info.user}`)
    );
  });

  ngOnInit(): void {
    this.store.start();
    this.alarms.start();
    void this.load();
  }

  async load(): Promise<void> {
    try {
      const b = await firstValueFrom(this.api.get(this.id()));
      this.board.set(b);
      this.reset(b);
      this.error.set(null);
      if (this.canEdit()) {
        void this.loadLinks();
      }
    } catch (e) {
      this.error.set(e instanceof HttpErrorResponse ? e.status : 0);
    }
  }

  private reset(b: Board): void {
    this.widgets.set(byPosition(b.widgets));
    this.title.set(b.title);
    this.shared.set([...b.shared_with]);
  }

  protected edit(): void {
    this.editing.set(true);
    this.saved.set(false);
  }

  protected cancel(): void {
    const b = this.board();
    if (b) {
      this.reset(b);
    }
    this.editing.set(false);
    this.saveError.set(null);
  }

  protected async save(): Promise<void> {
    const b = this.board();
    if (!b) {
      return;
    }
    this.saving.set(true);
    this.saveError.set(null);
    try {
      const out = await firstValueFrom(
        this.api.save(b.id, {
          title: this.title(),
          shared_with: this.shared(),
          widgets: pack(this.widgets()),
        }),
      );
      this.board.set(out);
      this.reset(out);
      this.editing.set(false);
      this.saved.set(true);
    } catch (e) {
      this.saveError.set(describeError(e, this.i18n));
    } finally {
      this.saving.set(false);
    }
  }

  protected async remove(): Promise<void> {
    const b = this.board();
    if (!b || !confirm(this.i18n.t('board.confirmDelete', { title: b.title }))) {
      return;
    }
    await firstValueFrom(this.api.remove(b.id));
    await this.router.navigateByUrl('/boards');
  }

  protected drop(ev: CdkDragDrop<Widget[]>): void {
    this.widgets.set(move(this.widgets(), ev.previousIndex, ev.currentIndex));
  }

  protected add(): void {
    const needsDam = this.addType === 'dam-card' || this.addType === 'chart';
    const dam = needsDam ? this.addDam || this.store.dams()[0]?.dam.id : undefined;
    const options = this.addType === 'kpi' ? { kpi: this.addKpi } : undefined;
    this.widgets.update((ws) => [...ws, newWidget(this.addType, dam, options)]);
  }

  protected removeWidget(id: string): void {
    this.widgets.update((ws) => ws.filter((w) => w.id !== id));
  }

  protected resize(id: string, dw: number, dh: number): void {
    this.widgets.update((ws) =>
      ws.map((w) => (w.id === id ? { ...w, ...clampSize(w.w + dw, w.h + dh) } : w)),
    );
  }

  /** Corner handle: the widget follows the pointer, snapped to whole columns and rows. */
  protected startResize(ev: PointerEvent, w: Widget, tile: HTMLElement): void {
    ev.preventDefault();
    ev.stopPropagation();
    const grid = tile.parentElement!;
    const colPx = grid.clientWidth / 12;
    const rect = tile.getBoundingClientRect();
    const move = (e: PointerEvent) => {
      const size = clampSize((e.clientX - rect.left) / colPx, (e.clientY - rect.top) / ROW_PX);
      this.widgets.update((ws) => ws.map((x) => (x.id === w.id ? { ...x, ...size } : x)));
    };
    const up = () => {
      this.document.removeEventListener('pointermove', move);
      this.document.removeEventListener('pointerup', up);
    };
    this.document.addEventListener('pointermove', move);
    this.document.addEventListener('pointerup', up);
  }

  protected toggleRole(r: Role, on: boolean): void {
    this.shared.update((s) => (on ? [...new Set([...s, r])] : s.filter((x) => x !== r)));
  }

  protected widgetLabel(w: Widget): string {
    const type = this.i18n.t('board.type.' + w.type);
    const dam = w.dam ? (this.store.site()?.dams.find((d) => d.id === w.dam)?.name ?? w.dam) : '';
    const kpi = w.type === 'kpi' ? this.i18n.t('board.kpi.' + (w.options?.kpi ?? 'unacked')) : '';
    return [type, dam, kpi].filter(Boolean).join(' — ');
  }

  async loadLinks(): Promise<void> {
    try {
      this.links.set(await firstValueFrom(this.api.embeds(this.id())));
    } catch {
      this.links.set([]);
    }
  }

  protected async createLink(): Promise<void> {
    try {
      const l = await firstValueFrom(
        this.api.createEmbed(this.id(), this.linkLabel.trim(), this.linkDays),
      );
      this.newLink.set(l);
      await this.loadLinks();
    } catch (e) {
      this.saveError.set(describeError(e, this.i18n));
    }
  }

  protected async revoke(l: EmbedLink): Promise<void> {
    await firstValueFrom(this.api.revokeEmbed(l.id));
    if (this.newLink()?.id === l.id) {
      this.newLink.set(null);
    }
    await this.loadLinks();
  }

  protected absolute(url: string): string {
    return new URL(url, this.document.location.origin).toString();
  }

  protected iframe(url: string): string {
    return `<iframe src="${this.absolute(url)}" title="Vigie" style="width:100%;height:600px;border:0"></iframe>`;
  }

  protected copy(text: string): void {
    void navigator.clipboard?.writeText(text);
  }

  protected linkState(l: EmbedLink): 'revoked' | 'expired' | 'live' {
    if (l.revoked_at) {
      return 'revoked';
    }
    return Date.parse(l.expires_at) <= Date.now() ? 'expired' : 'live';
  }
}

export function describeError(e: unknown, i18n: I18n): string {
  if (e instanceof HttpErrorResponse) {
    const p = e.error as { detail?: string; errors?: { field?: string; detail: string }[] } | null;
    if (p?.errors?.length) {
      return p.errors.map((x) => x.detail).join(' ; ');
    }
    if (e.status === 401) {
      return i18n.t('board.needLogin');
    }
    return p?.detail ?? e.statusText;
  }
  return String(e);
}
