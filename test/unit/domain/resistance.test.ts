import { describe, expect, it } from 'vitest';
import { type GroupEvidence, resistanceSignal } from '../../../src/domain/digest/resistance.js';

const willow: GroupEvidence = {
  group: 'Willow',
  people: 12,
  comments: [
    { theme: 'workload_time', resistance: 'high', sentiment: -0.7 },
    { theme: 'workload_time', resistance: 'medium', sentiment: -0.4 },
    { theme: 'training_gap', resistance: 'low', sentiment: -0.2 },
  ],
  readiness: { now: 40, before: 62 },
  responseRate: 0.3,
  acknowledgementRate: 0.5,
  concernsPerPerson: 0.25,
};

describe('resistance per group', () => {
  it('combines words, scores and behaviour into one figure and names what drives it most', () => {
    const signal = resistanceSignal(willow, 5);
    expect(signal).toMatchObject({ suppressed: false, level: 'high' });
    if (signal.suppressed) return;
    expect(signal.score).toBeGreaterThanOrEqual(60);
    // Words weigh most here: two of three comments resist at medium or above, mostly about workload.
    expect(signal.drivers[0]).toEqual({ kind: 'words', theme: 'workload_time' });
    expect(signal.drivers).toContainEqual({ kind: 'lowReadiness', index: 40 });
    expect(signal.drivers.length).toBeLessThanOrEqual(3);
  });

  it('reads a ready, answering, supportive group as low, with no drivers', () => {
    const signal = resistanceSignal(
      {
        group: 'Rowan',
        people: 9,
        comments: [{ theme: 'supportive', resistance: 'none', sentiment: 0.6 }],
        readiness: { now: 85, before: 80 },
        responseRate: 0.9,
        acknowledgementRate: 0.95,
        concernsPerPerson: 0,
      },
      5,
    );
    expect(signal).toEqual({ group: 'Rowan', suppressed: false, level: 'low', score: 6, drivers: [] });
  });

  it('lets missing evidence neither raise nor lower the figure', () => {
    const wordsOnly = resistanceSignal({ group: 'Nights', people: 6, comments: willow.comments }, 5);
    expect(wordsOnly).toMatchObject({ score: 67, drivers: [{ kind: 'words', theme: 'workload_time' }] });
  });

  it('shows nothing at all for a group smaller than the anonymity threshold', () => {
    expect(resistanceSignal({ ...willow, people: 4 }, 5)).toEqual({ group: 'Willow', suppressed: true });
  });
});
