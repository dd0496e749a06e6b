// Where the map widget draws each dam. The view box is MAP_W × MAP_H user units. A dam is placed
// by its geographic coordinates when it has some — from the API (dam.location, the dam's
// location in the configuration) or from the widget (options.coordinates: {dam: [lat, lon]}) —
// north up, east right, at one scale for both axes; else where the widget puts it
// (options.positions: {dam: [x%, y%]}); else along a schematic river. No map tiles: the control
// room may have no internet.

export const MAP_W = 100;
export const MAP_H = 64;
/** The margin kept around the dams (labels sit above and below each one). */
const MARGIN_X = 14;
const MARGIN_TOP = 12;
const MARGIN_BOTTOM = 14;
const KM_PER_DEG_LAT = 111.32;

export interface LatLon {
  lat: number;
  lon: number;
}

export interface Placed {
  id: string;
  x: number;
  y: number;
  /** How it was placed: its coordinates, the widget's position, or the schematic river. */
  by: 'geo' | 'position' | 'schematic';
}

export interface MapLayout {
  spots: Placed[];
  /** Whether the map is geographic (at least one dam placed by coordinates). */
  geographic: boolean;
  /** A scale bar for a geographic map: its length in view units and in km. */
  scale?: { units: number; km: number };
}

export interface MapOptions {
  coordinates?: Record<string, unknown>;
  positions?: Record<string, unknown>;
}

function latLonOf(v: unknown): LatLon | null {
  if (Array.isArray(v) && v.length === 2) {
    const [lat, lon] = v.map(Number);
    return validLatLon(lat, lon) ? { lat, lon } : null;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const lat = Number(o['lat']);
    const lon = Number(o['lon']);
    return validLatLon(lat, lon) ? { lat, lon } : null;
  }
  return null;
}

function validLatLon(lat: number, lon: number): boolean {
  return (
    Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180
  );
}

function percentOf(v: unknown): [number, number] | null {
  if (Array.isArray(v) && v.length === 2) {
    const [x, y] = v.map(Number);
    if (Number.isFinite(x) && Number.isFinite(y)) {
      return [Math.min(100, Math.max(0, x)), Math.min(100, Math.max(0, y))];
    }
  }
  return null;
}

/** A round length for a scale bar about a quarter of the width: 1, 2 or 5 × 10^n km. */
function roundKm(km: number): number {
  const p = 10 ** Math.floor(Math.log10(km));
  return [5, 2, 1].map((m) => m * p).find((v) => v <= km) ?? p;
}

/**
 * Places the dams (in their given order). Geographic coordinates come first: the dam's own
 * (location), then the widget's.
 */
export function placeDams(
  dams: readonly { id: string; location?: unknown }[],
  options: MapOptions = {},
): MapLayout {
  const geo = new Map<string, LatLon>();
  for (const d of dams) {
    const ll = latLonOf(d.location) ?? latLonOf(options.coordinates?.[d.id]);
    if (ll) {
      geo.set(d.id, ll);
    }
  }
  const spots: Placed[] = [];
  let scale: MapLayout['scale'];
  if (geo.size) {
    const lls = [...geo.values()];
    const latMid = (Math.min(...lls.map((p) => p.lat)) + Math.max(...lls.map((p) => p.lat))) / 2;
    const k = Math.cos((latMid * Math.PI) / 180); // a degree of longitude is shorter
    const xs = lls.map((p) => p.lon * k);
    const ys = lls.map((p) => -p.lat);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const w = MAP_W - 2 * MARGIN_X;
    const h = MAP_H - MARGIN_TOP - MARGIN_BOTTOM;
    // One scale for both axes, so distances and bearings read true; a single dam is centred.
    const s = Math.min(w / Math.max(x1 - x0, 1e-9), h / Math.max(y1 - y0, 1e-9));
    const cx = (MAP_W - (x1 - x0) * s) / 2;
    const cy = MARGIN_TOP + (h - (y1 - y0) * s) / 2;
    for (const d of dams) {
      const p = geo.get(d.id);
      if (p) {
        spots.push({
          id: d.id,
          x: cx + (p.lon * k - x0) * s,
          y: cy + (-p.lat - y0) * s,
          by: 'geo',
        });
      }
    }
    if (x1 > x0 || y1 > y0) {
      const kmPerUnit = KM_PER_DEG_LAT / s;
      const km = roundKm((MAP_W / 4) * kmPerUnit);
      scale = { units: km / kmPerUnit, km };
    }
  }
  const rest = dams.filter((d) => !geo.has(d.id));
  rest.forEach((d, i) => {
    const p = percentOf(options.positions?.[d.id]);
    if (p) {
      spots.push({ id: d.id, x: (p[0] * MAP_W) / 100, y: (p[1] * MAP_H) / 100, by: 'position' });
      return;
    }
    // Along the river, alternating above and below it.
    spots.push({
      id: d.id,
      x: ((i + 0.5) / rest.length) * MAP_W,
      y: 24 + (i % 2) * 16,
      by: 'schematic',
    });
  });
  const order = new Map(dams.map((d, i) => [d.id, i]));
  spots.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { spots, geographic: geo.size > 0, scale };
}
