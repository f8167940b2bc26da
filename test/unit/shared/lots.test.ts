// Lots: which imports make one, and a model's scores grouped by them (the Threshold screen, `score --db`).
import { describe, expect, it } from 'vitest';
import { mostlyShifted } from '../../../src-main/shared/capture-shift';
import { batchesOf, formatDayStart, lotDay, lotGrouper, lotIdsOf, lotsOf, parseDayStart } from '../../../src-main/shared/lots';

describe('lots', () => {
  const at = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute).getTime();
  it('makes one lot of the imports of the same folders on one day: a followed camera\u2019s looks, not a lot a minute', () => {
    const lots = lotsOf([
      { id: 1, roots: ['/cam'], startedAt: at(1, 8) },
      { id: 2, roots: ['/cam'], startedAt: at(1, 8, 1) },
      { id: 3, roots: ['/other'], startedAt: at(1, 9) }, // another camera: its own lot
      { id: 4, roots: ['/cam'], startedAt: at(1, 17, 59) },
      { id: 5, roots: ['/cam'], startedAt: at(2, 0, 1) }, // the next day: the next lot
    ]);
    // Ordered by their last import: the camera's day took parts in after the other folder's import.
    expect(lots).toEqual([
      { importIds: [3], roots: ['/other'], day: '2026-12-01', from: at(1, 9), to: at(1, 9) },
      { importIds: [1, 2, 4], roots: ['/cam'], day: '2026-12-01', from: at(1, 8), to: at(1, 17, 59) },
      { importIds: [5], roots: ['/cam'], day: '2026-12-02', from: at(2, 0, 1), to: at(2, 0, 1) },
    ]);
  });

  it('counts a day from the project\'s day start: a night shift past midnight is one lot, its morning the next', () => {
    const night = [
      { id: 1, roots: ['/cam'], startedAt: at(1, 22) },
      { id: 2, roots: ['/cam'], startedAt: at(2, 2, 30) },
      { id: 3, roots: ['/cam'], startedAt: at(2, 5, 59) },
      { id: 4, roots: ['/cam'], startedAt: at(2, 6) }, // the next day's first shift
    ];
    expect(lotsOf(night, 6 * 60).map((l) => [l.day, l.importIds])).toEqual([['2026-12-01', [1, 2, 3]], ['2026-12-02', [4]]]);
    expect(lotsOf(night).map((l) => [l.day, l.importIds])).toEqual([['2026-12-01', [1]], ['2026-12-02', [2, 3, 4]]]);
    expect(lotDay(at(2, 2, 30), 6 * 60)).toEqual({ key: '2026-12-01', from: at(1, 6), to: at(2, 6) });
    expect(lotDay(at(2, 6), 6 * 60)).toEqual({ key: '2026-12-02', from: at(2, 6), to: at(3, 6) });
    expect(lotDay(at(31, 23, 59), 22 * 60 + 30).key).toBe('2026-12-31'); // past 22:30: the day that starts then
    expect(lotDay(at(31, 22, 29), 22 * 60 + 30).key).toBe('2026-12-30');
    expect([parseDayStart('6:00'), parseDayStart(' 22:30 '), formatDayStart(360), formatDayStart(0)]).toEqual([360, 1350, '06:00', '00:00']);
    for (const bad of ['24:00', '6', '06:60', '-1:00']) expect(() => parseDayStart(bad)).toThrow(/hh:mm, 00:00 to 23:59/);
  });

  it('keeps a day\'s hours across a change of the clocks (a day of 23 or 25 hours)', () => {
    // Whatever the machine's zone: each day starts at 06:00 local time, and its end is the next day's start.
    for (let d = 1; d <= 365; d += 7) {
      const day = lotDay(new Date(2026, 0, d, 12).getTime(), 360);
      expect([new Date(day.from).getHours(), new Date(day.to).getHours()]).toEqual([6, 6]);
      expect(lotDay(day.to, 360).from).toBe(day.to);
    }
  });

  it('groups as imports come: later looks join their day\u2019s lot, and each image finds its lot', () => {
    const g = lotGrouper();
    g.add([{ id: 1, roots: ['/cam'], startedAt: at(1, 8) }, { id: 3, roots: ['/other'], startedAt: at(1, 9) }]);
    expect(g.lots().map((l) => l.importIds)).toEqual([[1], [3]]);
    g.add([{ id: 4, roots: ['/cam'], startedAt: at(1, 17, 59) }, { id: 5, roots: ['/cam'], startedAt: at(2, 0, 1) }]);
    // The camera's day took parts in after the other folder's import: now the newer lot.
    expect(g.lots().map((l) => l.importIds)).toEqual([[3], [1, 4], [5]]);
    expect(g.lotOf(4)).toBe(g.lots()[1]);
    expect(g.lotOf(2)).toBeUndefined();
    expect(lotIdsOf([4, 3, null, 5, 9], g)).toEqual([1, 0, null, 2, null]);
    expect(() => g.add([{ id: 2, roots: ['/cam'], startedAt: at(1, 8, 30) }])).toThrow(/import 2 is not newer than 5/);
  });

  it('groups scores by lot, newest first, sorted, without the training images or images of no lot', () => {
    const b = batchesOf({
      scores: [0.9, 0.1, 0.5, 0.3, 0.7, 0.2],
      lotIds: [0, 0, 1, null, 1, 0],
      trained: [false, true, false, false, false, false],
      shifted: null,
    });
    expect(b.map((x) => [x.lot, [...x.scores], x.shifted])).toEqual([[1, [0.5, 0.7], null], [0, [0.2, 0.9], null]]);
  });

  it('counts the parts of each lot that differ as a whole, and calls a lot shifted when most of its parts do', () => {
    const b = batchesOf({
      scores: [0.9, 0.1, 0.5, 0.3, 0.7, 0.2, 0.4],
      lotIds: [0, 0, 1, 1, 1, 0, 0],
      trained: [false, true, false, false, false, false, false],
      // The trained image's shift is not counted: it is not in the lot.
      shifted: [false, true, true, true, false, true, false],
    });
    expect(b.map((x) => [x.lot, x.shifted, x.scores.length])).toEqual([[1, 2, 3], [0, 1, 3]]);
    expect(b.map((x) => mostlyShifted(x.shifted, x.scores.length))).toEqual([true, false]);
  });
});
