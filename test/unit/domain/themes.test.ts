import { describe, expect, it } from 'vitest';
import {
  parseWriterTags,
  themeOf,
  themeSourceCounts,
  themeSummary,
} from '../../../src/domain/feedback/themes.js';

describe("a comment's theme", () => {
  const read = { analysis: { primaryTheme: 'technology_confidence' as const } };

  it("is the writer's own tag first, then a manager's correction, then the classifier's reading", () => {
    expect(
      themeOf({ ...read, tags: ['training_gap', 'workload_time'], managerTheme: 'change_fatigue' }),
    ).toEqual({
      theme: 'training_gap',
      source: 'writer',
    });
    expect(themeOf({ ...read, tags: [], managerTheme: 'change_fatigue' })).toEqual({
      theme: 'change_fatigue',
      source: 'manager',
    });
    expect(themeOf(read)).toEqual({ theme: 'technology_confidence', source: 'classifier' });
    expect(themeOf({})).toEqual({ theme: 'neutral', source: 'classifier' });
  });

  it('counts how many themes each source gave', () => {
    const comments = [
      { ...read, tags: ['supportive' as const] },
      { ...read, managerTheme: 'training_gap' as const },
      read,
      read,
    ];
    expect(themeSourceCounts(comments)).toEqual({ writer: 1, manager: 1, classifier: 2 });
  });

  it("reads a writer's choice of up to two themes and refuses what the form cannot send", () => {
    expect(parseWriterTags('')).toEqual({ ok: true, tags: [] });
    expect(parseWriterTags('not_consulted, workload_time')).toEqual({
      ok: true,
      tags: ['workload_time', 'not_consulted'],
    });
    expect(parseWriterTags('workload_time,training_gap,supportive')).toEqual({
      ok: false,
      problem: 'tooMany',
      tags: ['workload_time', 'training_gap', 'supportive'],
    });
    expect(parseWriterTags('workload_time,<script>')).toEqual({ ok: false, problem: 'unknown' });
  });
});

describe("what a round's comments are about", () => {
  it('counts each comment once by its best source, most first, and shows nothing below the threshold', () => {
    const read = (primaryTheme: 'workload_time' | 'training_gap') => ({ analysis: { primaryTheme } });
    const comments = [
      { ...read('workload_time'), tags: ['training_gap' as const] },
      { ...read('workload_time'), managerTheme: 'training_gap' as const },
      read('training_gap'),
      read('workload_time'),
    ];
    expect(themeSummary(comments, 3)).toEqual({
      counts: [
        { theme: 'training_gap', count: 3 },
        { theme: 'workload_time', count: 1 },
      ],
      sources: { writer: 1, manager: 1, classifier: 2 },
      total: 4,
    });
    expect(themeSummary(comments.slice(0, 2), 3)).toBeUndefined();
  });
});
