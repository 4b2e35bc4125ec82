import { expect } from 'vitest';
import { executeAction, message, type Person } from './activities.js';
import type { RecordingConnector } from './recordingConnector.js';
import type { TestHuddle } from './testHuddle.js';

export interface Chat {
  /** Presses a card button as `who`; returns the card that replaces it, as JSON text. */
  press(who: Person, verb: string, data?: Record<string, unknown>, cardId?: string): Promise<string>;
  /** Types `text` as `who`; returns what Huddle sent back (at least `replies` messages), as JSON text. */
  say(who: Person, text: string, replies?: number): Promise<string>;
}

/** A person's side of a personal chat with a Huddle (in this process or another), through the recording connector. */
export function chat(bot: Pick<TestHuddle, 'post'>, connector: RecordingConnector): Chat {
  const where = { serviceUrl: connector.serviceUrl };
  return {
    async press(who, verb, data = {}, cardId = 'card-1') {
      const response = await bot.post({ ...executeAction(who, verb, where, data), replyToId: cardId });
      expect(response.status).toBe(200);
      return JSON.stringify((response.body as { value?: unknown }).value ?? response.body);
    },
    async say(who, text, replies = 1) {
      const before = connector.sent().length;
      expect((await bot.post(message(who, text, where))).status).toBeLessThan(300);
      return JSON.stringify((await connector.waitForSent(before + replies)).slice(before));
    },
  };
}

/** The data of the `verb` button on the newest card sent to `conversationId`, or undefined when none has it. */
export function buttonData(
  connector: RecordingConnector,
  conversationId: string,
  verb: string,
): Record<string, string> | undefined {
  const cards = connector
    .sent()
    .filter((activity) => JSON.stringify(activity).includes(conversationId))
    .flatMap((activity) => (activity.attachments as { content: unknown }[] | undefined) ?? []);
  for (const { content } of cards.reverse()) {
    const found = actionIn(content, verb);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The data of the `verb` button anywhere in a card (or any JSON), or undefined when none has it. */
export function actionIn(node: unknown, verb: string): Record<string, string> | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const action = node as { verb?: unknown; data?: Record<string, string> };
  if (action.verb === verb && action.data !== undefined) return action.data;
  for (const child of Object.values(node)) {
    const found = actionIn(child, verb);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Every `verb` button in a card (or any JSON), in order, with its title, style and data. */
export function actionsIn(
  node: unknown,
  verb: string,
): { title: string; style: string | undefined; data: Record<string, string> }[] {
  if (Array.isArray(node)) return node.flatMap((child) => actionsIn(child, verb));
  if (typeof node !== 'object' || node === null) return [];
  const action = node as { verb?: unknown; title?: unknown; style?: string; data?: Record<string, string> };
  if (action.verb === verb && action.data !== undefined)
    return [{ title: String(action.title), style: action.style, data: action.data }];
  return Object.values(node).flatMap((child) => actionsIn(child, verb));
}

/** Every choice list on a card (or the activities carrying it), by input id, as the values it offers. */
export function choiceLists(json: string): Record<string, string[]> {
  const lists: Record<string, string[]> = {};
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const input = node as { type?: string; id?: string; choices?: { value: string }[] };
    if (input.type === 'Input.ChoiceSet' && input.id !== undefined)
      lists[input.id] = (input.choices ?? []).map((choice) => choice.value);
    for (const child of Object.values(node)) walk(child);
  };
  walk(JSON.parse(json));
  return lists;
}
