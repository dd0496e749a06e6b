import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

import { TranslatePipe } from '../core/i18n/i18n';

const VIEW: Readonly<Record<string, { icon: string; cls: string }>> = {
  good: { icon: 'check_circle', cls: 'sev-ok' },
  suspect: { icon: 'warning', cls: 'sev-medium' },
  implausible: { icon: 'error', cls: 'sev-critical' },
  stale: { icon: 'schedule', cls: 'sev-medium' },
  none: { icon: 'help', cls: 'sev-unknown' },
};

/** A reading's quality (good, suspect, implausible), or "stale" when the sensor went quiet. */
@Component({
  selector: 'app-quality-badge',
  imports: [MatIconModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class]': '"badge " + view().cls' },
  template: `<mat-icon [svgIcon]="view().icon" aria-hidden="true" /><span class="badge-text">{{
      'quality.' + key() | t
    }}</span>`,
})
export class QualityBadge {
  readonly quality = input<string | null | undefined>();

  protected readonly key = computed(() => {
    const q = this.quality();
    return q && q in VIEW ? q : 'none';
  });
  protected readonly view = computed(() => VIEW[this.key()]);
}
