import {
  MAX_SPAN_S,
  TARGET_POINTS,
  isLive,
  lastSpan,
  stepFor,
  zoomIn,
  zoomOut,
} from './series-range';

describe('stepFor', () => {
  it('asks for raw readings when there are few enough of them', () => {
    expect(stepFor(600, 60)).toBe(0); // last 10 minutes
    expect(stepFor(6 * 3600, 10)).toBe(0); // up to 6 h, raw whatever the period
    expect(stepFor(86400, 120)).toBe(0); // a day of 2-minute readings: 720 points
    expect(stepFor(8 * 86400, 3600)).toBeGreaterThan(0); // raw is served for 7 days at most
  });

  it('asks for buckets fitting about TARGET_POINTS points otherwise', () => {
    for (const range of [7 * 86400, 30 * 86400, 365 * 86400]) {
      const step = stepFor(range, 60);
      expect(step).toBeGreaterThan(0);
      expect(range / step).toBeLessThanOrEqual(TARGET_POINTS);
      expect(range / step).toBeGreaterThan(TARGET_POINTS / 5);
    }
  });

  it('gives a year in 6-hour or 12-hour buckets', () => {
    expect([6 * 3600, 12 * 3600]).toContain(stepFor(365 * 86400, 60));
  });
});

describe('zoom', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');

  it('zooms out around the centre, never past now, never wider than a year', () => {
    const r = zoomOut(lastSpan(3600, now), now);
    expect(r.to).toBe(now);
    expect((r.to - r.from) / 1000).toBe(3 * 3600);
    const year = zoomOut(lastSpan(300 * 86400, now), now);
    expect((year.to - year.from) / 1000).toBe(MAX_SPAN_S);
  });

  it('zooms in keeping the end, down to ten minutes', () => {
    const r = zoomIn(lastSpan(3600, now));
    expect(r.to).toBe(now);
    expect((r.to - r.from) / 1000).toBe(1200);
    const min = zoomIn(lastSpan(900, now));
    expect((min.to - min.from) / 1000).toBe(600);
  });

  it('knows a range ending now is live', () => {
    expect(isLive(lastSpan(3600, now), now + 10_000)).toBe(true);
    expect(isLive({ from: now - 7200e3, to: now - 3600e3 }, now)).toBe(false);
  });
});
