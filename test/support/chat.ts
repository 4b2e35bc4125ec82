import { expect } from 'vitest';
import { executeAction, message, type Person } from './activities.js';
import type { RecordingConnector } from './recordingConnector.js';
import type { TestHuddle } from './testHuddle.js';

export interface Chat {
  /** Presses a card button as `who`; returns the card that replaces it, as JSON text. */
  press(who: Person, verb: string, data?: Record<string, unknown>, cardId?: string): Promise<string>;
  /** Types `text` as `who`; returns what Huddle sent back, as JSON text. */
  say(who: Person, text: string): Promise<string>;
}

/** A person's side of a personal chat with the Huddle under test, through the recording connector. */
export function chat(bot: TestHuddle, connector: RecordingConnector): Chat {
  const where = { serviceUrl: connector.serviceUrl };
  return {
    async press(who, verb, data = {}, cardId = 'card-1') {
      const response = await bot.post({ ...executeAction(who, verb, where, data), replyToId: cardId });
      expect(response.status).toBe(200);
      return JSON.stringify((response.body as { value?: unknown }).value ?? response.body);
    },
    async say(who, text) {
      const before = connector.sent().length;
      expect((await bot.post(message(who, text, where))).status).toBeLessThan(300);
      return JSON.stringify((await connector.waitForSent(before + 1)).slice(before));
    },
  };
}
