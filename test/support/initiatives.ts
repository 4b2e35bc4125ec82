import type { Initiative } from '../../src/domain/initiatives/initiative.js';
import { TENANT } from './activities.js';

/** A change at its first stage, about awareness, involving everyone; tests override what they are about. */
export function initiativeFixture(overrides: Partial<Initiative> = {}): Initiative {
  const now = new Date().toISOString();
  return {
    tenantId: TENANT,
    id: `i-${Math.random().toString(36).slice(2)}`,
    title: 'Digital care plans',
    why: 'Paper care plans get lost between shifts.',
    vision: 'Everyone sees the same plan on a tablet.',
    objectives: [],
    model: 'lewin',
    stages: [{ key: 'unfreeze', title: 'Why paper has to go', explanation: '', focus: ['awareness'] }],
    currentStage: 0,
    audience: { kind: 'all' },
    owners: [],
    champions: [],
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
