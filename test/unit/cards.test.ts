import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  deleteConfirmCard,
  helpCard,
  myDataCard,
  noticeCard,
  rolesCard,
  welcomeCard,
} from '../../src/cards/cards.js';
import type { Card } from '../../src/cards/render.js';
import { commandsFor } from '../../src/domain/commands.js';
import { Localizer } from '../../src/i18n/strings.js';
import { cardsDir } from '../../src/paths.js';

// The ESM build of adaptivecards does not load in plain Node (extensionless imports); the UMD build does.
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js');

const t = new Localizer().for('en-GB');
const samples: Record<string, Card> = {
  welcome: welcomeCard(t, { name: 'Grace Hughes', anonymityThreshold: 5 }),
  help: helpCard(t, commandsFor(['staff', 'admin'])),
  'my-data': myDataCard(t, {
    name: 'Grace Hughes',
    userPrincipalName: 'grace@oakview.example',
    roles: ['staff', 'manager'],
    groups: { site: 'Oak View', unit: 'Willow', jobRole: 'Senior carer', shiftPattern: 'nights' },
    locale: 'en-GB',
    timeZone: 'Europe/London',
    quietHours: { start: '21:00', end: '07:00' },
    personalChatInstalled: true,
    firstSeen: '2026-11-01T09:00:00.000Z',
    lastUpdated: '2026-11-20T09:00:00.000Z',
  }),
  'delete-confirm': deleteConfirmCard(t),
  notice: noticeCard('Nothing was deleted.'),
  roles: rolesCard(t, [
    { name: 'Alex Wilber', userPrincipalName: 'alexw@example.com', roles: ['admin'], configured: ['admin'] },
  ]),
};

function validationEvents(card: Card): string[] {
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const events: string[] = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i).message);
  for (const event of parsed.validateProperties().validationEvents) events.push(event.message);
  return events;
}

function textBlocks(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(textBlocks);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const own = record.type === 'TextBlock' ? [record] : [];
  return [...own, ...Object.values(record).flatMap(textBlocks)];
}

describe('card templates', () => {
  it('every template in /cards has a typed render function exercised here', () => {
    const templates = readdirSync(cardsDir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.replace(/\.json$/, ''));
    expect(Object.keys(samples).sort()).toEqual(templates.sort());
  });

  it.each(Object.entries(samples))('%s expands to a valid Adaptive Card 1.5 for Teams', (_name, card) => {
    expect(card.type).toBe('AdaptiveCard');
    expect(card.version).toBe('1.5');
    expect(validationEvents(card)).toEqual([]);
    expect(JSON.stringify(card)).not.toMatch(/\$\{|\$data|\$when/);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(80 * 1024);
    for (const block of textBlocks(card.body)) expect(block.wrap, String(block.text)).toBe(true);
  });

  it('the validator really catches a broken card', () => {
    const broken = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'Input.Text', id: 'x', isRequired: true }, { type: 'Carousel' }],
    } as Card;
    expect(validationEvents(broken).length).toBeGreaterThan(0);
  });

  it('the welcome card greets without a name when Teams did not give one', () => {
    expect(JSON.stringify(welcomeCard(t, { name: '', anonymityThreshold: 5 }))).toContain(
      "Hello, I'm Huddle",
    );
    expect(JSON.stringify(welcomeCard(t, { name: 'Grace Hughes', anonymityThreshold: 7 }))).toContain(
      'groups of 7 people',
    );
  });

  it('the roles card says so when no one has a role yet', () => {
    expect(JSON.stringify(rolesCard(t, []))).toContain('No one has a role beyond staff yet');
  });
});
