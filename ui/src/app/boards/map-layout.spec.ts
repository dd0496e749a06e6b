import { MAP_H, MAP_W, placeDams } from './map-layout';

describe('map of the dams', () => {
  // Three dams around Nîmes: Méjean west, Bassin nord north-east, Le Vistre south.
  const dams = [{ id: 'mejean' }, { id: 'nord' }, { id: 'vistre' }];
  const coordinates = {
    mejean: [43.84, 4.3],
    nord: { lat: 43.87, lon: 4.38 },
    vistre: [43.8, 4.36],
  };

  it('places dams by their coordinates, north up and east right', () => {
    const m = placeDams(dams, { coordinates });
    expect(m.geographic).toBe(true);
    const at = Object.fromEntries(m.spots.map((s) => [s.id, s]));
    expect(at['nord'].y).toBeLessThan(at['mejean'].y); // north is up
    expect(at['vistre'].y).toBeGreaterThan(at['mejean'].y);
    expect(at['mejean'].x).toBeLessThan(at['vistre'].x); // east is right
    expect(at['vistre'].x).toBeLessThan(at['nord'].x);
    for (const s of m.spots) {
      expect(s.by).toBe('geo');
      expect(s.x).toBeGreaterThan(0);
      expect(s.x).toBeLessThan(MAP_W);
      expect(s.y).toBeGreaterThan(0);
      expect(s.y).toBeLessThan(MAP_H);
    }
  });

  it('keeps one scale for both axes, and gives a scale bar in round kilometres', () => {
    const m = placeDams(dams, { coordinates });
    const at = Object.fromEntries(m.spots.map((s) => [s.id, s]));
    // 0.04° of latitude (4.45 km) against 0.06° of longitude at 43.8° (4.32 km); the dams span
    // 7.8 km north to south, the map's height: a quarter of its width is about 5 km.
    const dy = at['vistre'].y - at['mejean'].y;
    const dx = at['vistre'].x - at['mejean'].x;
    expect(dx / dy).toBeCloseTo((0.06 * Math.cos((43.835 * Math.PI) / 180)) / 0.04, 1);
    expect(m.scale?.km).toBe(5);
    expect(m.scale!.units).toBeGreaterThan(0);
  });

  it('prefers the coordinates the API gives the dam', () => {
    const m = placeDams(
      [
        { id: 'a', location: { lat: 44, lon: 4 } },
        { id: 'b', location: { lat: 45, lon: 4 } },
      ],
      {
        coordinates: { a: [46, 4] },
      },
    );
    expect(m.spots[1].y).toBeLessThan(m.spots[0].y);
  });

  it('centres a single dam', () => {
    const m = placeDams([{ id: 'a' }], { coordinates: { a: [43.8, 4.3] } });
    expect(m.spots[0].x).toBeCloseTo(MAP_W / 2);
    expect(m.scale).toBeUndefined();
  });

  it('falls back to the widget positions, then to the schematic river, ignoring nonsense', () => {
    const m = placeDams(dams, {
      coordinates: { mejean: [95, 4], nord: 'here' },
      positions: { mejean: [10, 50] },
    });
    expect(m.geographic).toBe(false);
    expect(m.spots.map((s) => [s.id, s.by])).toEqual([
      ['mejean', 'position'],
      ['nord', 'schematic'],
      ['vistre', 'schematic'],
    ]);
    expect(m.spots[0]).toMatchObject({ x: 10, y: (50 * MAP_H) / 100 });
  });
});
