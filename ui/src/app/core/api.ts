import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import {
  Dam,
  EventsPage,
  SensorSpec,
  SensorState,
  Series,
  SeriesPoint,
  Site,
  TimelineEntry,
  TimelinePage,
} from './models';

export const API = '/api/v1';

/** The most timeline entries asked for at once (the server's maximum). */
export const TIMELINE_MAX = 10000;

export interface SeriesRequest {
  sensor: string;
  from: Date;
  to: Date;
  /** Bucket size in seconds; 0 asks for raw readings. */
  stepS: number;
}

export interface TimelineFilter {
  from?: Date;
  to?: Date;
  dam?: string;
  types?: readonly string[];
  /** Only entries after this position (the previous page's next_after). */
  after?: number;
  limit?: number;
}

/**
 * The read side of the Vigie HTTP API (docs/openapi.yaml). Answers are normalised to the
 * shapes the screens use, and older shapes (bare arrays) are accepted too.
 */
@Injectable({ providedIn: 'root' })
export class Api {
  private readonly http = inject(HttpClient);

  site(): Observable<Site> {
    return this.http.get<Site>(`${API}/site`).pipe(map(normaliseSite));
  }

  /** Latest state of every sensor that has reported. */
  sensors(): Observable<SensorState[]> {
    return this.http
      .get<SensorState[] | { sensors: SensorSpec[] }>(`${API}/sensors`)
      .pipe(map(statesOf));
  }

  series(r: SeriesRequest): Observable<SeriesPoint[]> {
    const params = new HttpParams()
      .set('from', r.from.toISOString())
      .set('to', r.to.toISOString())
      .set('step', r.stepS > 0 ? `${Math.round(r.stepS)}s` : 'raw');
    return this.http
      .get<Series | SeriesPoint[]>(`${API}/sensors/${encodeURIComponent(r.sensor)}/series`, {
        params,
      })
      .pipe(map((b) => (Array.isArray(b) ? b : (b?.points ?? []))));
  }

  timeline(f: TimelineFilter): Observable<TimelinePage> {
    return this.http
      .get<TimelinePage | TimelineEntry[]>(`${API}/timeline`, { params: timelineParams(f) })
      .pipe(
        map((b) => {
          if (Array.isArray(b)) {
            return { entries: b, next_after: b.length ? b[b.length - 1].position : (f.after ?? 0) };
          }
          return { entries: b?.entries ?? [], next_after: b?.next_after ?? f.after ?? 0 };
        }),
      );
  }

  events(after: number, limit = 500): Observable<EventsPage> {
    const params = new HttpParams().set('after', String(after)).set('limit', String(limit));
    return this.http.get<EventsPage>(`${API}/events`, { params });
  }
}

export function normaliseSite(site: Site): Site {
  return {
    ...site,
    dams: (site?.dams ?? []).map((d): Dam => ({
      ...d,
      thresholds: d.thresholds ?? [],
      sensors: (d.sensors ?? []).map((s) => ({ ...s, period_s: s.period_s || 60 })),
      curve: [...(d.curve ?? d.storage_curve?.points ?? [])].sort((a, b) => a.h_m - b.h_m),
    })),
  };
}

export function statesOf(body: SensorState[] | { sensors: SensorSpec[] } | null): SensorState[] {
  if (Array.isArray(body)) {
    return body;
  }
  return (body?.sensors ?? []).flatMap((s) => (s.state ? [s.state] : []));
}

export function timelineParams(f: TimelineFilter, format?: 'csv' | 'json'): HttpParams {
  let params = new HttpParams();
  if (f.from) {
    params = params.set('from', f.from.toISOString());
  }
  if (f.to) {
    params = params.set('to', f.to.toISOString());
  }
  if (f.dam) {
    params = params.set('dam', f.dam);
  }
  for (const t of f.types ?? []) {
    params = params.append('type', t);
  }
  if (f.after) {
    params = params.set('after', String(f.after));
  }
  if (f.limit) {
    params = params.set('limit', String(f.limit));
  }
  if (format) {
    params = params.set('format', format);
  }
  return params;
}

/**
 * A link to the timeline export, for a plain download by the browser: CSV runs to the end of
 * the timeline, JSON is one page of at most TIMELINE_MAX entries.
 */
export function timelineExportUrl(f: TimelineFilter, format: 'csv' | 'json'): string {
  const filter = { ...f, after: undefined, limit: format === 'json' ? TIMELINE_MAX : undefined };
  return `${API}/timeline?${timelineParams(filter, format).toString()}`;
}
