import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import { API } from '../core/api';
import { Board, Role, Widget } from './layout';

export interface BoardInput {
  title: string;
  shared_with: Role[];
  widgets: Widget[];
}

export interface EmbedLink {
  id: string;
  dashboard: string;
  label: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  revoked_at?: string;
  revoked_by?: string;
  /** Given once, at creation. */
  token?: string;
  url?: string;
}

/** Saved boards and their embed links (/api/v1/dashboards, /api/v1/embeds). */
@Injectable({ providedIn: 'root' })
export class BoardsApi {
  private readonly http = inject(HttpClient);

  list(): Observable<Board[]> {
    return this.http
      .get<{ dashboards: Board[] }>(`${API}/dashboards`)
      .pipe(map((b) => b?.dashboards ?? []));
  }

  get(id: string): Observable<Board> {
    return this.http.get<Board>(`${API}/dashboards/${encodeURIComponent(id)}`);
  }

  create(b: BoardInput): Observable<Board> {
    return this.http.post<Board>(`${API}/dashboards`, b);
  }

  save(id: string, b: BoardInput): Observable<Board> {
    return this.http.put<Board>(`${API}/dashboards/${encodeURIComponent(id)}`, b);
  }

  remove(id: string): Observable<unknown> {
    return this.http.delete(`${API}/dashboards/${encodeURIComponent(id)}`);
  }

  embeds(id: string): Observable<EmbedLink[]> {
    return this.http
      .get<{ embeds: EmbedLink[] }>(`${API}/dashboards/${encodeURIComponent(id)}/embeds`)
      .pipe(map((b) => b?.embeds ?? []));
  }

  createEmbed(id: string, label: string, days: number): Observable<EmbedLink> {
    return this.http.post<EmbedLink>(`${API}/dashboards/${encodeURIComponent(id)}/embeds`, {
      label,
      expires_in_s: Math.round(days * 86400),
    });
  }

  revokeEmbed(id: string): Observable<EmbedLink> {
    return this.http.delete<EmbedLink>(`${API}/embeds/${encodeURIComponent(id)}`);
  }
}
