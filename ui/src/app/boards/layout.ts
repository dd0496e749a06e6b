// Boards are laid out on a 12-column grid. The screen shows widgets in order, packed densely
// (CSS grid, grid-auto-flow: dense); the server keeps each widget's x, y, w, h. These pure
// functions convert between the two: order = by position; positions = the packing of the order.

export const COLUMNS = 12;
export const MAX_ROWS = 12;

export type WidgetType = 'dam-card' | 'chart' | 'alarm-list' | 'map' | 'kpi';
export const WIDGET_TYPES: readonly WidgetType[] = [
  'dam-card',
  'chart',
  'alarm-list',
  'map',
  'kpi',
];
export type KpiKind = 'unacked' | 'standing' | 'max_fill' | 'spilling';
export const KPI_KINDS: readonly KpiKind[] = ['unacked', 'standing', 'max_fill', 'spilling'];

export interface Widget {
  id: string;
  type: WidgetType;
  dam?: string;
  title?: string;
  x: number;
  y: number;
  w: number;
  h: number;
  options?: { kpi?: KpiKind; [k: string]: unknown };
}

export type Role = 'viewer' | 'auditor' | 'operator' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'auditor', 'operator', 'admin'];

export interface Board {
  id: string;
  title: string;
  owner: string;
  shared_with: Role[];
  widgets: Widget[];
  updated_at?: string;
  updated_by?: string;
}

/** Default size of a new widget of each type (columns, rows). */
export const DEFAULT_SIZE: Readonly<Record<WidgetType, { w: number; h: number }>> = {
  'dam-card': { w: 4, h: 5 },
  chart: { w: 8, h: 4 },
  'alarm-list': { w: 6, h: 4 },
  map: { w: 6, h: 4 },
  kpi: { w: 3, h: 2 },
};

export function clampSize(w: number, h: number): { w: number; h: number } {
  return {
    w: Math.min(COLUMNS, Math.max(1, Math.round(w))),
    h: Math.min(MAX_ROWS, Math.max(1, Math.round(h))),
  };
}

/** Widgets in reading order: top to bottom, left to right. */
export function byPosition(ws: readonly Widget[]): Widget[] {
  return [...ws].sort((a, b) => a.y - b.y || a.x - b.x);
}

/**
 * Places widgets in order, each at the first free spot (top to bottom, left to right) where it
 * fits, like CSS grid's dense packing, and returns them with their x and y.
 */
export function pack(ws: readonly Widget[], columns = COLUMNS): Widget[] {
  const used: boolean[][] = [];
  const free = (x: number, y: number, w: number, h: number) => {
    for (let r = y; r < y + h; r++) {
      for (let c = x; c < x + w; c++) {
        if (used[r]?.[c]) {
          return false;
        }
      }
    }
    return true;
  };
  return ws.map((wd) => {
    const w = Math.min(columns, wd.w);
    for (let y = 0; ; y++) {
      for (let x = 0; x + w <= columns; x++) {
        if (free(x, y, w, wd.h)) {
          for (let r = y; r < y + wd.h; r++) {
            used[r] ??= [];
            for (let c = x; c < x + w; c++) {
              used[r][c] = true;
            }
          }
          return { ...wd, x, y, w };
        }
      }
    }
  });
}

let seq = 0;

export function newWidget(type: WidgetType, dam?: string, options?: Widget['options']): Widget {
  seq++;
  const size = DEFAULT_SIZE[type];
  return {
    id: `w${Date.now().toString(36)}${seq}`,
    type,
    ...(dam ? { dam } : {}),
    x: 0,
    y: 0,
    ...size,
    ...(options ? { options } : {}),
  };
}

/** A first board: key figures, one card per dam, the alarms. */
export function starterWidgets(dams: readonly string[]): Widget[] {
  return pack([
    newWidget('kpi', undefined, { kpi: 'unacked' }),
    newWidget('kpi', undefined, { kpi: 'max_fill' }),
    newWidget('kpi', undefined, { kpi: 'spilling' }),
    newWidget('kpi', undefined, { kpi: 'standing' }),
    ...dams.map((d) => newWidget('dam-card', d)),
    newWidget('alarm-list'),
  ]);
}

/** Moves an item within a list (CDK's moveItemInArray, without mutating). */
export function move<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item);
  return out;
}
