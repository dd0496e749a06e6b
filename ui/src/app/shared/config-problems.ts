import { ChangeDetectionStrategy, Component, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';

import { describePath } from '../config/config-model';
import { I18n, TranslatePipe } from '../core/i18n/i18n';

/**
 * A problem of a YAML configuration as the server gives it: located (1-based line and column,
 * 0 or absent when unknown), the value's path, a stable code with its parameters, and the English
 * message. The configuration check sends `path` and `message`; the replay's problem+json sends
 * `field` and `detail`.
 */
export interface LocatedProblem {
  line?: number;
  column?: number;
  path?: string;
  field?: string;
  code?: string;
  params?: string[];
  message?: string;
  detail?: string;
}

/**
 * The list of a configuration's problems, shared by the configuration and replay screens: each
 * one says where (a button that puts the cursor on the line), which value in words ("Ouvrage 1,
 * capacité (m³)") and what is wrong, in the reader's language when the code is known.
 */
@Component({
  selector: 'app-config-problems',
  imports: [MatButtonModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ul class="problems" [attr.data-testid]="testid()">
      @for (p of problems(); track $index) {
        <li>
          <button mat-button type="button" (click)="goTo.emit(p)" [disabled]="!p.line">
            {{
              p.line
                ? ('config.at' | t: { line: p.line, column: p.column || 1 })
                : ('config.atFile' | t)
            }}
          </button>
          <span>
            @if (where(p); as w) {
              <strong>{{ w }}</strong> —
            }
            <span [attr.lang]="translated(p) ? null : 'en'">{{ text(p) }}</span>
          </span>
        </li>
      }
    </ul>
  `,
  styles: `
    .problems {
      padding-left: 0;
      list-style: none;
    }
    .problems li {
      display: flex;
      align-items: baseline;
      gap: 8px;
      padding: 4px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .problems button {
      flex: none;
      min-width: 150px;
    }
  `,
})
export class ConfigProblems {
  readonly problems = input.required<readonly LocatedProblem[]>();
  /** The list's data-testid, so each screen's tests find their own. */
  readonly testid = input('config-problems');
  /** A problem's place was chosen: the screen puts the cursor there. */
  readonly goTo = output<LocatedProblem>();

  private readonly i18n = inject(I18n);

  protected where(p: LocatedProblem): string {
    return describePath(p.path ?? p.field ?? '', this.i18n.lang());
  }

  protected text(p: LocatedProblem): string {
    return this.i18n.coded('config', p.code, p.params, p.message ?? p.detail ?? '');
  }

  /** Whether the text is in the reader's language (the server's English otherwise). */
  protected translated(p: LocatedProblem): boolean {
    return this.i18n.lang() === 'en' || this.text(p) !== (p.message ?? p.detail ?? '');
  }
}
