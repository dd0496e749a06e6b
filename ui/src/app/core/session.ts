import {
  HttpClient,
  HttpErrorResponse,
  HttpInterceptorFn,
  HttpRequest,
} from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import { firstValueFrom, tap } from 'rxjs';

import { API } from './api';

export type UserRole = 'viewer' | 'auditor' | 'operator' | 'admin';

/** GET/POST /api/v1/session. */
export interface SessionInfo {
  user: string;
  role: UserRole;
  csrf_token: string;
  expires_at: string;
  idle_timeout_s?: number;
}

/**
 * unknown: not asked yet; anonymous: no session (public read may still show data);
 * user: logged in; embed: a read-only embed link; unavailable: the server has no user accounts
 * (API keys only, or an older server), so the UI behaves as before logins existed.
 */
export type SessionStatus = 'unknown' | 'anonymous' | 'user' | 'embed' | 'unavailable';

export const CSRF_HEADER = 'X-CSRF-Token';
export const EMBED_HEADER = 'X-Vigie-Embed';

/** A login refused; `status` 401 (wrong name or password), 429 (locked for a while), 0 (network). */
export class LoginError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The embed token of a read-only embedded page; kept apart so the live stream can read it. */
@Injectable({ providedIn: 'root' })
export class EmbedAuth {
  readonly token = signal<string | null>(null);
}

/**
 * Who uses this browser. The session itself is an HttpOnly cookie the UI never sees; the server
 * gives the CSRF token that must accompany every change, and the role, which decides what the
 * screens offer (the server decides what is allowed). An embed link (/embed/...?token=) is a
 * read-only identity carried in a header, and on the event stream's URL.
 */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly http = inject(HttpClient);

  readonly info = signal<SessionInfo | null>(null);
  readonly status = signal<SessionStatus>('unknown');
  readonly embedToken = inject(EmbedAuth).token;
  /** The session ended under the user's feet (expired, logged out elsewhere). */
  readonly expired = signal(false);

  readonly role = computed<UserRole | null>(() => this.info()?.role ?? null);
  readonly isAdmin = computed(() => this.role() === 'admin');
  /** Whether to offer acknowledge, shelve, comment: operators and admins, or a server without accounts. */
  readonly canAct = computed(() => {
    const r = this.role();
    return r === 'operator' || r === 'admin' || this.status() === 'unavailable';
  });
  /** Whether the user can save boards (a named identity). */
  readonly canSave = computed(() => this.status() === 'user');

  /** Reads the embed token from the address (/embed/<board>?token=...). */
  initFromLocation(loc: { pathname: string; search: string }): void {
    if (!loc.pathname.startsWith('/embed/')) {
      return;
    }
    const token = new URLSearchParams(loc.search).get('token');
    if (token) {
      this.embedToken.set(token);
      this.status.set('embed');
    }
  }

  /** Asks the server who we are. Never throws. */
  async load(): Promise<void> {
    if (this.embedToken()) {
      return;
    }
    try {
      this.apply(await firstValueFrom(this.http.get<SessionInfo>(`${API}/session`)));
    } catch (e) {
      this.info.set(null);
      const status = e instanceof HttpErrorResponse ? e.status : 0;
      this.status.set(status === 401 ? 'anonymous' : status === 0 ? 'anonymous' : 'unavailable');
    }
  }

  async login(user: string, password: string): Promise<SessionInfo> {
    try {
      const info = await firstValueFrom(
        this.http.post<SessionInfo>(`${API}/session`, { user, password }),
      );
      this.apply(info);
      return info;
    } catch (e) {
      if (e instanceof HttpErrorResponse) {
        const detail = (e.error as { detail?: string } | null)?.detail ?? e.statusText;
        throw new LoginError(e.status, detail);
      }
      throw new LoginError(0, String(e));
    }
  }

  async logout(): Promise<void> {
    try {
      await firstValueFrom(this.http.delete(`${API}/session`));
    } finally {
      this.info.set(null);
      this.status.set('anonymous');
    }
  }

  /** Called by the interceptor when the server stops knowing our session. */
  lost(): void {
    if (this.status() === 'user') {
      this.info.set(null);
      this.status.set('anonymous');
      this.expired.set(true);
    }
  }

  private apply(info: SessionInfo): void {
    this.info.set(info);
    this.status.set('user');
    this.expired.set(false);
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Adds the CSRF token to changes, the embed token to everything; notices an expired session. */
export const sessionInterceptor: HttpInterceptorFn = (req, next) => {
  if (!req.url.startsWith('/api/')) {
    return next(req);
  }
  const session = inject(Session);
  return next(withCredentials(req, session)).pipe(
    tap({
      error: (e: unknown) => {
        if (
          e instanceof HttpErrorResponse &&
          e.status === 401 &&
          !req.url.startsWith(`${API}/session`)
        ) {
          session.lost();
        }
      },
    }),
  );
};

export function withCredentials(req: HttpRequest<unknown>, session: Session): HttpRequest<unknown> {
  const headers: Record<string, string> = {};
  const embed = session.embedToken();
  if (embed) {
    headers[EMBED_HEADER] = embed;
  }
  const csrf = session.info()?.csrf_token;
  if (csrf && UNSAFE.has(req.method)) {
    headers[CSRF_HEADER] = csrf;
  }
  return Object.keys(headers).length ? req.clone({ setHeaders: headers }) : req;
}
