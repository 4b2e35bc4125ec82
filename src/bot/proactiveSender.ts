import type { TeamsAdapter } from '@microsoft/teams-ai';
import {
  type Activity,
  CardFactory,
  type ConversationParameters,
  type ConversationReference,
  MessageFactory,
  TurnContext,
} from 'botbuilder';
import type { Card } from '../cards/render.js';
import type { OpenResult, ProactiveSender, SendResult } from '../delivery/ports.js';
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
    async openPersonalChat(team, teamsUserId, tenantId) {
      let opened: OpenResult = { kind: 'failed', failure: { code: 'NotAttempted' } };
      const result = await run(team, async (context) => {
        const created = await connectorOf(context, adapter).conversations.createConversation({
          isGroup: false,
          bot: context.activity.recipient,
          members: [{ id: teamsUserId, name: '' }],
          tenantId,
          channelData: { tenant: { id: tenantId } },
        });
        if (!created.id) throw new Error('Teams answered without a conversation id');
        const reference = TurnContext.getConversationReference(context.activity);
        opened = {
          kind: 'opened',
          conversation: personalChatReference({ ...reference }, created.id, tenantId, teamsUserId),
        };
        return created.id;
      });
      return result.kind === 'failed' ? { kind: 'failed', failure: result.failure } : opened;
    },
    chatReference: personalChatReference,
  };
}

/**
 * A personal chat's reference, as plain JSON like every stored reference: the Teams service and bot of
 * another conversation of the tenant (`through`), the chat, and the person when their Teams id is known.
 */
function personalChatReference(
  through: StoredReference,
  chatId: string,
  tenantId: string,
  teamsUserId: string | undefined,
): StoredReference {
  return JSON.parse(
    JSON.stringify({
      ...through,
      activityId: undefined,
      conversation: { id: chatId, conversationType: 'personal', tenantId },
      user: teamsUserId === undefined ? undefined : { id: teamsUserId },
    }),
  );
}

/**
 * Opening a chat is Bot Connector `POST /v3/conversations`, which botbuilder's `createConversationAsync`
 * would make with its retrying client; the turn's own client, without the retries, makes it here.
 */
function connectorOf(context: TurnContext, adapter: TeamsAdapter): TurnConnector {
  return context.turnState.get(adapter.ConnectorClientKey) as TurnConnector;
}

/** The part of botframework-connector's `ConnectorClient` used here (it is not a direct dependency). */
interface TurnConnector {
  conversations: { createConversation(parameters: ConversationParameters): Promise<{ id?: string }> };
  client?: { pipeline?: { removePolicy(options: { phase: string }): unknown } };
}

const cardActivity = (card: Card): Partial<Activity> =>
  MessageFactory.attachment(CardFactory.adaptiveCard(card));

function withoutSdkRetries(context: TurnContext, adapter: TeamsAdapter): void {
  const connector: TurnConnector | undefined = connectorOf(context, adapter);
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
