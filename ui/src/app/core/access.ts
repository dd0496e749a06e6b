import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { tap } from 'rxjs';

/**
 * Whether the server refused to show data to this browser (401/403). Consultation works without
 * credentials when the server runs with public read; otherwise the browser needs a session
 * (cookie), which the server will provide: the UI says so plainly instead of showing blanks.
 */
@Injectable({ providedIn: 'root' })
export class Access {
  readonly denied = signal<401 | 403 | null>(null);
}

/** Requests whose refusal means the whole UI is unusable (an alarm API refused is shown there). */
const CORE = /\/api\/v1\/(site|sensors)(\/|\?|$)/;

export const accessInterceptor: HttpInterceptorFn = (req, next) => {
  if (!CORE.test(req.url)) {
    return next(req);
  }
  const access = inject(Access);
  return next(req).pipe(
    tap({
      next: () => {
        if (req.method === 'GET' && access.denied() !== null) {
          access.denied.set(null);
        }
      },
      error: (e: unknown) => {
        if (
          e instanceof HttpErrorResponse &&
          (e.status === 401 || e.status === 403) &&
          req.method === 'GET'
        ) {
          access.denied.set(e.status);
        }
      },
    }),
  );
};
