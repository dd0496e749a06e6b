import { Pipe, PipeTransform, inject } from '@angular/core';

import {
  DateStyle,
  formatDate,
  formatDuration,
  formatNumber,
  formatVolume,
  toMillis,
} from './format';
import { I18n } from './i18n/i18n';

// The pipes are impure because they read the language signal: a language switch must reformat
// every figure. Formatters are cached, so this costs a few string operations per render.

/** `{{ 4.321 | num: 2 }}` -> "4,32" in French. */
@Pipe({ name: 'num', pure: false })
export class NumberPipe implements PipeTransform {
  private readonly i18n = inject(I18n);

  transform(value: number | null | undefined, digits = 2, signed = false): string {
    return formatNumber(this.i18n.locale(), value, digits, signed);
  }
}

/** `{{ 1234567 | volume }}` -> "1 234 567". */
@Pipe({ name: 'volume', pure: false })
export class VolumePipe implements PipeTransform {
  private readonly i18n = inject(I18n);

  transform(value: number | null | undefined): string {
    return formatVolume(this.i18n.locale(), value);
  }
}

/** `{{ iso | datetime: 'time' }}`. */
@Pipe({ name: 'datetime', pure: false })
export class DateTimePipe implements PipeTransform {
  private readonly i18n = inject(I18n);

  transform(
    value: string | number | Date | null | undefined,
    style: DateStyle = 'datetime',
  ): string {
    return formatDate(this.i18n.locale(), value, style);
  }
}

/** `{{ 12000 | duration }}` (seconds) -> "3 h 20 min". */
@Pipe({ name: 'duration', pure: false })
export class DurationPipe implements PipeTransform {
  private readonly i18n = inject(I18n);

  transform(seconds: number | null | undefined): string {
    if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
      return '—';
    }
    return formatDuration(seconds, durationUnits(this.i18n));
  }
}

export function durationUnits(i18n: I18n): { d: string; h: string; min: string; s: string } {
  return {
    d: i18n.t('unit.day'),
    h: i18n.t('unit.hour'),
    min: i18n.t('unit.minute'),
    s: i18n.t('unit.second'),
  };
}

/**
 * How long ago a measurement was taken, ticking with the clock:
 * `{{ state.time | freshness: clock.now() }}` -> "il y a 40 s".
 */
@Pipe({ name: 'freshness', pure: false })
export class FreshnessPipe implements PipeTransform {
  private readonly i18n = inject(I18n);

  transform(time: string | number | Date | null | undefined, now: number): string {
    const ms = toMillis(time);
    if (ms === null) {
      return this.i18n.t('freshness.never');
    }
    const age = Math.max(0, (now - ms) / 1000);
    if (age < 5) {
      return this.i18n.t('freshness.now');
    }
    return this.i18n.t('freshness.ago', {
      duration: formatDuration(age, durationUnits(this.i18n)),
    });
  }
}
