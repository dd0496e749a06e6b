import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { NumberPipe, VolumePipe } from '../core/pipes';
import { TranslatePipe } from '../core/i18n/i18n';

/** Fill of the dam as a horizontal meter: percent of capacity and m³, in text and as a bar. */
@Component({
  selector: 'app-fill-gauge',
  imports: [NumberPipe, VolumePipe, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="fill-head">
      @if (!labelledBy()) {
        <span class="fill-label" [id]="ownId">{{ 'card.fill' | t }}</span>
      }
      <span class="fill-pct">{{ pct() | num: 0 }}&nbsp;%</span>
    </div>
    <div
      class="fill-bar"
      [attr.role]="pct() === null || pct() === undefined ? 'img' : 'meter'"
      [attr.aria-valuemin]="pct() === null || pct() === undefined ? null : 0"
      [attr.aria-valuemax]="pct() === null || pct() === undefined ? null : 100"
      [attr.aria-valuenow]="pct() ?? null"
      [attr.aria-valuetext]="pct() === null || pct() === undefined ? null : valueText()"
      [attr.aria-labelledby]="labelledBy() || ownId"
    >
      <div class="fill-value" [class.over]="(pct() ?? 0) >= 100" [style.width.%]="barWidth()"></div>
    </div>
    <div class="fill-volume">
      {{ 'card.volumeOf' | t: { volume: (volume() | volume), capacity: (capacity() | volume) } }}
    </div>
  `,
  styles: `
    :host {
      display: block;
    }
    .fill-head {
      display: flex;
      justify-content: space-between;
      align-items: baseline;
      gap: 8px;
    }
    .fill-label {
      font: var(--mat-sys-label-large);
      color: var(--mat-sys-on-surface-variant);
    }
    .fill-pct {
      font: var(--mat-sys-title-large);
      font-variant-numeric: tabular-nums;
    }
    .fill-bar {
      height: 14px;
      border-radius: 7px;
      background: var(--mat-sys-surface-container-highest);
      border: 1px solid var(--mat-sys-outline);
      overflow: hidden;
      margin: 4px 0;
    }
    .fill-value {
      height: 100%;
      background: var(--vigie-water);
      transition: width 0.4s ease;
    }
    .fill-value.over {
      background: repeating-linear-gradient(
        45deg,
        var(--vigie-water),
        var(--vigie-water) 6px,
        var(--vigie-critical) 6px,
        var(--vigie-critical) 10px
      );
    }
    .fill-volume {
      font: var(--mat-sys-body-medium);
      color: var(--mat-sys-on-surface-variant);
      font-variant-numeric: tabular-nums;
    }
  `,
})
export class FillGauge {
  private static nextId = 0;
  readonly pct = input<number | null | undefined>();
  readonly volume = input<number | null | undefined>();
  readonly capacity = input<number | null | undefined>();
  /** Id of an element labelling the meter; without it the gauge shows its own label. */
  readonly labelledBy = input<string | undefined>();
  protected readonly ownId = `fill-gauge-${FillGauge.nextId++}`;

  protected readonly barWidth = computed(() => Math.min(100, Math.max(0, this.pct() ?? 0)));
  protected readonly valueText = computed(() => {
    const p = this.pct();
    return p === null || p === undefined ? '' : `${Math.round(p)} %`;
  });
}
