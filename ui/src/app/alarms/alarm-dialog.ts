import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';

import { TranslatePipe } from '../core/i18n/i18n';
import { Alarm } from '../core/models';

export type AlarmDialogMode = 'ack' | 'comment' | 'shelve';

export interface AlarmDialogData {
  mode: AlarmDialogMode;
  alarm: Alarm;
  title: string;
}

export interface AlarmDialogResult {
  comment: string;
  /** Shelving only. */
  until?: Date;
}

/** Shelving durations offered, in hours. */
export const SHELVE_HOURS: readonly number[] = [1, 2, 4, 8, 24];

/** Comment (optional when acknowledging), or reason and expiry when shelving. */
@Component({
  selector: 'app-alarm-dialog',
  imports: [
    FormsModule,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h2 mat-dialog-title>{{ data.title }}</h2>
    <form (submit)="$event.preventDefault(); submit()">
      <mat-dialog-content>
        <p class="which">{{ data.alarm.condition ?? data.alarm.summary ?? data.alarm.id }}</p>
        <mat-form-field class="full">
          <mat-label>{{
            (data.mode === 'shelve' ? 'alarms.reason' : 'alarms.comment') | t
          }}</mat-label>
          <textarea
            matInput
            cdkFocusInitial
            rows="3"
            name="comment"
            [required]="required()"
            [ngModel]="comment()"
            (ngModelChange)="comment.set($event)"
          ></textarea>
          @if (data.mode === 'ack') {
            <mat-hint>{{ 'alarms.commentOptional' | t }}</mat-hint>
          }
        </mat-form-field>
        @if (data.mode === 'shelve') {
          <mat-form-field class="full">
            <mat-label>{{ 'alarms.shelveFor' | t }}</mat-label>
            <mat-select name="hours" [value]="hours()" (valueChange)="hours.set($event)">
              @for (h of shelveHours; track h) {
                <mat-option [value]="h">{{ 'alarms.hours' | t: { n: h } }}</mat-option>
              }
              <mat-option [value]="0">{{ 'alarms.until' | t }}</mat-option>
            </mat-select>
          </mat-form-field>
          @if (hours() === 0) {
            <mat-form-field class="full">
              <mat-label>{{ 'alarms.untilDate' | t }}</mat-label>
              <input
                matInput
                type="datetime-local"
                name="until"
                required
                [value]="until()"
                (change)="until.set($any($event.target).value)"
              />
            </mat-form-field>
          }
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>{{ 'action.cancel' | t }}</button>
        <button mat-flat-button type="submit" [disabled]="!valid()">
          {{ 'alarms.confirm.' + data.mode | t }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .full {
      width: 100%;
      margin-top: 8px;
    }
    .which {
      font: var(--mat-sys-title-small);
    }
    form {
      min-width: min(480px, 80vw);
    }
  `,
})
export class AlarmDialog {
  protected readonly data = inject<AlarmDialogData>(MAT_DIALOG_DATA);
  private readonly ref = inject<MatDialogRef<AlarmDialog, AlarmDialogResult>>(MatDialogRef);
  protected readonly shelveHours = SHELVE_HOURS;

  protected readonly comment = signal('');
  protected readonly hours = signal(4);
  protected readonly until = signal('');
  protected readonly required = computed(() => this.data.mode !== 'ack');

  private readonly untilDate = computed(() => {
    if (this.data.mode !== 'shelve') {
      return undefined;
    }
    if (this.hours() > 0) {
      return new Date(Date.now() + this.hours() * 3600_000);
    }
    const d = this.until() ? new Date(this.until()) : null;
    return d && Number.isFinite(d.getTime()) && d.getTime() > Date.now() ? d : undefined;
  });

  protected readonly valid = computed(() => {
    if (this.required() && this.comment().trim() === '') {
      return false;
    }
    return this.data.mode !== 'shelve' || this.untilDate() !== undefined;
  });

  protected submit(): void {
    if (this.valid()) {
      this.ref.close({ comment: this.comment().trim(), until: this.untilDate() });
    }
  }
}
