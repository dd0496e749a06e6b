import { Widget, byPosition, move, pack } from './layout';

const w = (id: string, wd: number, h: number): Widget => ({
  id,
  type: 'kpi',
  x: 0,
  y: 0,
  w: wd,
  h,
});

describe('board layout', () => {
  it('packs widgets densely, in order, on 12 columns', () => {
    const got = pack([w('a', 4, 2), w('b', 8, 1), w('c', 4, 1), w('d', 12, 1)]);
    expect(got.map((x) => [x.id, x.x, x.y])).toEqual([
      ['a', 0, 0],
      ['b', 4, 0],
      ['c', 4, 1],
      ['d', 0, 2],
    ]);
  });

  it('fills a hole left by a tall widget', () => {
    const got = pack([w('a', 6, 3), w('b', 6, 1), w('c', 6, 1), w('d', 6, 1)]);
    expect(got.map((x) => [x.id, x.x, x.y])).toEqual([
      ['a', 0, 0],
      ['b', 6, 0],
      ['c', 6, 1],
      ['d', 6, 2],
    ]);
  });

  it('narrows a widget wider than the grid', () => {
    expect(pack([w('a', 20, 1)], 12)[0].w).toBe(12);
  });

  it('reads positions back in reading order, so a saved board comes back as it was', () => {
    const packed = pack([w('a', 4, 2), w('b', 8, 1), w('c', 4, 1)]);
    const shuffled = [packed[2], packed[0], packed[1]];
    expect(byPosition(shuffled).map((x) => x.id)).toEqual(['a', 'b', 'c']);
    expect(pack(byPosition(shuffled))).toEqual(packed);
  });

  it('moves an item without touching the original list', () => {
    const list = ['a', 'b', 'c'];
    expect(move(list, 0, 2)).toEqual(['b', 'c', 'a']);
    expect(list).toEqual(['a', 'b', 'c']);
  });
});
