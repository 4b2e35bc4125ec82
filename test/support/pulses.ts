import type { Pulse } from '../../src/domain/pulses/pulse.js';
import { TENANT } from './activities.js';

/** A pulse open from a minute ago for a day, to everyone, anonymous; tests override what they are about. */
export function pulseFixture(overrides: Partial<Pulse> = {}): Pulse {
  const now = Date.now();
  return {
    tenantId: TENANT,
    id: `p-${Math.random().toString(36).slice(2)}`,
    title: 'How is the change going for you?',
    items: [{ id: 'mood', kind: 'mood', text: 'How are you feeling at work this week?' }],
    audience: { kind: 'all' },
    opensAt: new Date(now - 60_000).toISOString(),
    closesAt: new Date(now + 86_400_000).toISOString(),
    cadence: 'once',
    anonymity: 'anonymous',
    status: 'active',
    createdBy: {
      aadObjectId: 'aad-manager',
      name: 'Alex Wilber',
      locale: 'en-GB',
      timeZone: 'Europe/London',
    },
    createdAt: new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
    ...overrides,
  };
}
