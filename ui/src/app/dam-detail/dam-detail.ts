import { ChangeDetectionStrategy, Component, OnInit, computed, inject, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';

import { Alarms } from '../core/alarms';
import { Clock } from '../core/clock';
import { TranslatePipe } from '../core/i18n/i18n';
import { DateTimePipe, FreshnessPipe, NumberPipe, VolumePipe } from '../core/pipes';
import { SiteStore } from '../core/site-store';
import { DamCard } from '../overview/dam-card';
import { QualityBadge } from '../shared/quality-badge';
import { SeverityBadge } from '../shared/severity-badge';
import { CurveChart } from './curve-chart';
import { LevelChart } from './level-chart';

/** One dam: its card, the level chart, the storage curve and its sensors. */
@Component({
  selector: 'app-dam-detail',
  imports: [
    RouterLink,
    MatIconModule,
    TranslatePipe,
    NumberPipe,
    VolumePipe,
    DateTimePipe,
    FreshnessPipe,
    DamCard,
    LevelChart,
    CurveChart,
    QualityBadge,
    SeverityBadge,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './dam-detail.html',
  styleUrl: './dam-detail.scss',
})
export class DamDetail implements OnInit {
  protected readonly store = inject(SiteStore);
  protected readonly alarms = inject(Alarms);
  protected readonly clock = inject(Clock);

  /** Route parameter :id. */
  readonly id = input.required<string>();

  protected readonly view = computed(() => this.store.dams().find((d) => d.dam.id === this.id()));

  ngOnInit(): void {
    this.store.start();
  }
}
