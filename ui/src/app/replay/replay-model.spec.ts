import {
  episodes,
  exactDuration,
  fromLocalInput,
  lastHours,
  pagedPeople,
  periodProblem,
  shiftKind,
  summarise,
  toLocalInput,
} from './replay-model';

const H = 3_600_000;
const alarm = (raised: string) => ({
  dam: 'mejean',
  condition: 'level:alerte',
  severity: 'high',
  raised,
  value: 6,
  limit: 6,
  calls: [],
});

describe('replay model', () => {
  it('tells how the replay moved each alarm', () => {
    const a = alarm('2025-10-10T03:00:00Z');
    expect(shiftKind({ id: 'x', recorded: a, replayed: a, shift_s: -600 })).toBe('earlier');
    expect(shiftKind({ id: 'x', recorded: a, replayed: a, shift_s: 60 })).toBe('later');
    expect(shiftKind({ id: 'x', recorded: a, replayed: a, shift_s: 0 })).toBe('same');
    expect(shiftKind({ id: 'x', recorded: a })).toBe('onlyRecorded');
    expect(shiftKind({ id: 'x', replayed: a })).toBe('onlyReplayed');
    expect(
      summarise([
        { id: 'a', recorded: a, replayed: a, shift_s: -1 },
        { id: 'b', recorded: a, replayed: a, shift_s: -2 },
        { id: 'c', replayed: a },
      ]),
    ).toEqual({ total: 3, earlier: 2, later: 0, same: 0, onlyRecorded: 0, onlyReplayed: 1 });
  });

  it('writes a shift to the second', () => {
    const u = { d: 'j', h: 'h', min: 'min', s: 's' };
    expect(exactDuration(-750, u)).toBe('12 min 30 s');
    expect(exactDuration(3600 + 120, u)).toBe('1 h 2 min');
    expect(exactDuration(90000, u)).toBe('1 j 1 h');
    expect(exactDuration(0, u)).toBe('0 s');
  });

  it('groups the calls by person and step, channels together', () => {
    expect(
      pagedPeople([
        { at: '2025-10-10T03:21:00Z', step: 1, operator: 'op-durand', operator_name: 'Camille Durand', channel: 'sms' },
        { at: '2025-10-10T03:21:00Z', step: 1, operator: 'op-durand', operator_name: 'Camille Durand', channel: 'voice' },
        { at: '2025-10-10T03:26:00Z', step: 2, operator: 'op-martin', channel: 'sms' },
        { at: '2025-10-10T03:41:00Z', step: 1, operator: 'op-durand', operator_name: 'Camille Durand', channel: 'sms' },
      ]),
    ).toEqual([
      { operator: 'op-durand', name: 'Camille Durand', step: 1, channels: ['sms', 'voice'], at: '2025-10-10T03:21:00Z' },
      { operator: 'op-martin', name: 'op-martin', step: 2, channels: ['sms'], at: '2025-10-10T03:26:00Z' },
    ]);
    expect(pagedPeople(undefined)).toEqual([]);
  });

  it('checks the period as the server does', () => {
    const now = new Date('2025-10-10T10:00:00Z');
    const day = lastHours(now, 24);
    expect(day.from.toISOString()).toBe('2025-10-09T10:00:00.000Z');
    expect(periodProblem(day)).toBeNull();
    expect(periodProblem({ from: now, to: day.from })).toBe('order');
    expect(periodProblem(lastHours(now, 31 * 24))).toBeNull();
    expect(periodProblem(lastHours(now, 31 * 24 + 1))).toBe('tooLong');
  });

  it('finds past episodes in the alarms, most recent first', () => {
    const eps = episodes([
      { raised_at: '2025-10-10T03:00:00Z', returned_at: '2025-10-10T09:00:00Z' },
      { raised_at: '2025-10-10T05:00:00Z' },
      { raised_at: '2025-10-10T18:00:00Z', returned_at: '2025-10-10T20:00:00Z' }, // 9 h later: same
      { raised_at: '2025-11-02T12:00:00Z' },
      { raised_at: 'not a time' },
    ]);
    expect(eps.length).toBe(2);
    expect(eps[0].alarms).toBe(1);
    expect(eps[0].from.toISOString()).toBe('2025-11-02T11:00:00.000Z');
    expect(eps[1]).toEqual({
      from: new Date(Date.parse('2025-10-10T03:00:00Z') - H),
      to: new Date(Date.parse('2025-10-10T20:00:00Z') + H),
      alarms: 3,
    });
  });

  it('reads and writes datetime-local values in local time', () => {
    const d = new Date(2025, 9, 10, 3, 7);
    expect(toLocalInput(d)).toBe('2025-10-10T03:07');
    expect(fromLocalInput('2025-10-10T03:07')?.getTime()).toBe(d.getTime());
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('10/10/2025')).toBeNull();
  });
});
