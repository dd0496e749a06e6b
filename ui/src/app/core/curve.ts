import { CurvePoint } from './models';

/**
 * Volume at height h by linear interpolation of the storage curve, as domain/dam.TableCurve does:
 * below the first point, the first volume; above the last, the last segment's slope.
 */
export function volumeAt(curve: readonly CurvePoint[] | undefined, h: number): number | null {
  if (!curve || curve.length === 0 || !Number.isFinite(h)) {
    return null;
  }
  const ps = curve;
  if (ps.length === 1 || h <= ps[0].h_m) {
    return ps[0].v_m3;
  }
  let i = ps.findIndex((p) => p.h_m >= h);
  if (i === -1) {
    i = ps.length - 1;
  }
  const a = ps[i - 1];
  const b = ps[i];
  return a.v_m3 + ((b.v_m3 - a.v_m3) * (h - a.h_m)) / (b.h_m - a.h_m);
}
