import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

import { TranslatePipe } from '../core/i18n/i18n';

const ICON: Readonly<Record<string, string>> = {
  critical: 'report',
  high: 'error',
  medium: 'warning',
  low: 'info',
  ok: 'check_circle',
  unknown: 'help',
};

/**
 * A severity shown with an icon, a word and a colour, never the colour alone:
 * `<app-severity-badge severity="high" [label]="'alerte'" />`.
 */
@Component({
  selector: 'app-severity-badge',
  imports: [MatIconModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'badge',
    '[class]': '"badge sev-" + key()',
  },
  template: `
    <mat-icon [svgIcon]="icon()" aria-hidden="true" />
    <span class="badge-text">
      {{ 'severity.' + key() | t }}
      @if (label()) {
        <span class="badge-label"> — {{ label() }}</span>
      }
    </span>
  `,
})
export class SeverityBadge {
  readonly severity = input<string | null | undefined>();
  readonly label = input<string | null | undefined>();

  protected readonly key = computed(() => {
    const s = this.severity();
    return s && s in ICON ? s : 'unknown';
  });
  protected readonly icon = computed(() => ICON[this.key()]);
}
