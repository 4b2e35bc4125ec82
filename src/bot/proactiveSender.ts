import type { TeamsAdapter } from '@microsoft/teams-ai';
import {
  type Activity,
  CardFactory,
  type ConversationReference,
  MessageFactory,
  type TurnContext,
} from 'botbuilder';
import type { Card } from '../cards/render.js';
import type { ProactiveSender, SendResult } from '../delivery/ports.js';
import { parseRetryAfter } from '../domain/broadcasts/deliveryPolicy.js';
import type { ConversationReference as StoredReference } from '../domain/people/member.js';

/** Errors that prove the request never reached Teams, so sending again cannot duplicate it. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Proactive sends through `continueConversationAsync`. Two SDK behaviours are worked around here, at the
 * edge: the Azure HTTP pipeline's own retries are removed (it retries 429s after an uncapped Retry-After
 * and 5xx three times, outside Huddle's rate limiter, which would break the tenant limit), and because
 * `onTurnError` is set the SDK swallows send errors, so they are caught inside the callback.
 */
export function createProactiveSender(adapter: TeamsAdapter, appId: string): ProactiveSender {
  const run = async (
    reference: StoredReference,
    act: (context: TurnContext) => Promise<string | undefined>,
  ): Promise<SendResult> => {
    let result: SendResult = {
      kind: 'failed',
      failure: { code: 'NotAttempted' },
      delivered: 'no',
    };
    await adapter.continueConversationAsync(
      appId,
      reference as Partial<ConversationReference>,
      async (context) => {
        withoutSdkRetries(context, adapter);
        try {
          result = { kind: 'sent', activityId: await act(context) };
        } catch (error) {
          result = failureOf(error);
        }
      },
    );
    return result;
  };
  return {
    send: (reference, card) =>
      run(reference, async (context) => (await context.sendActivity(cardActivity(card)))?.id),
    update: (reference, activityId, card) =>
      run(reference, async (context) => {
        await context.updateActivity({ ...cardActivity(card), id: activityId });
        return activityId;
      }),
  };
}

const cardActivity = (card: Card): Partial<Activity> =>
  MessageFactory.attachment(CardFactory.adaptiveCard(card));

function withoutSdkRetries(context: TurnContext, adapter: TeamsAdapter): void {
  const connector = context.turnState.get(adapter.ConnectorClientKey) as
    | { client?: { pipeline?: { removePolicy(options: { phase: string }): unknown } } }
    | undefined;
  connector?.client?.pipeline?.removePolicy({ phase: 'Retry' });
}

function failureOf(error: unknown): SendResult {
  const details = error as {
    statusCode?: unknown;
    code?: unknown;
    response?: { headers?: { get?(name: string): string | undefined } };
  };
  const status = typeof details.statusCode === 'number' ? details.statusCode : undefined;
  const code = typeof details.code === 'string' ? details.code : undefined;
  const retryAfter = details.response?.headers?.get?.('retry-after');
  return {
    kind: 'failed',
    failure: { status, code, retryAfterMs: parseRetryAfter(retryAfter, new Date()) },
    // An HTTP answer means Teams decided; without one, only a refused connection proves nothing arrived.
    delivered: status !== undefined || (code !== undefined && NOT_SENT_CODES.has(code)) ? 'no' : 'unknown',
  };
}
