import { type Activity, TestAdapter, TurnContext } from 'botbuilder';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { refusalText, turnErrorHandler } from '../../src/bot/errors.js';
import { CARD_ACTION } from '../../src/bot/invokeAnswers.js';
import { UserInputError } from '../../src/domain/shared/errors.js';
import { Localizer } from '../../src/i18n/strings.js';
import { StorageError } from '../../src/storage/errors.js';

const safeguarding = {
  procedure: 'Tell the nurse in charge, then ring the council.',
  contacts: 'Jo Smith 0123',
};
const handler = turnErrorHandler(new Localizer(), pino({ level: 'silent' }), safeguarding);

/** A card press as Teams sends it, and what the person sees after the turn failed with `error`. */
async function failedPress(data: Record<string, string>, error: Error): Promise<string> {
  const adapter = new TestAdapter();
  const context = new TurnContext(adapter, {
    type: 'invoke',
    name: CARD_ACTION,
    id: 'press-1',
    locale: 'en-GB',
    channelId: 'msteams',
    conversation: { id: 'a:writer', conversationType: 'personal' },
    from: { id: '29:writer' },
    recipient: { id: '28:huddle' },
    serviceUrl: 'http://127.0.0.1:1/',
    value: { action: { type: 'Action.Execute', verb: 'feedback.send', data } },
  } as Partial<Activity> as Activity);
  await handler(context, error);
  return JSON.stringify(adapter.activeQueue);
}

describe('a failed turn', () => {
  it('gives words sent as harm the safeguarding procedure at once, whether storage or a bug stopped them', async () => {
    for (const error of [new StorageError('writing a comment', 503), new TypeError('a bug')]) {
      const seen = await failedPress({ text: 'he hits her', harm: 'true' }, error);
      expect(seen, error.name).toContain('has not reached the safeguarding lead');
      expect(seen, error.name).toContain(safeguarding.procedure);
      expect(seen, error.name).toContain(safeguarding.contacts);
    }
  });

  it('gives ordinary words an apology and no procedure', async () => {
    const seen = await failedPress({ text: 'the rota is late', harm: 'false' }, new TypeError('a bug'));
    expect(seen).not.toContain(safeguarding.procedure);
    expect(seen).toContain('Sorry');
  });
});

describe('a refusal', () => {
  it('names each role that may do it, in words', () => {
    const t = new Localizer().for('en-GB');
    const refusal = new UserInputError('error.notAllowedEither', { role: 'manager', other: 'leader' });
    expect(refusalText(t, refusal)).toBe(
      'Sorry, only someone with the Manager or Leader role can do that. Type **help** to see what you can do.',
    );
  });
});
