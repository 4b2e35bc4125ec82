import type { Card } from '../cards/render.js';
import type { SendFailure } from '../domain/broadcasts/deliveryPolicy.js';
import type { ConversationReference } from '../domain/people/member.js';
import type { InstallRefusals } from '../domain/people/ports.js';

/**
 * What Teams said to one proactive send. `delivered: 'unknown'` means the request may have reached Teams
 * (it timed out, or the connection broke after it was written), so sending again could duplicate it.
 */
export type SendResult =
  | { kind: 'sent'; activityId: string | undefined }
  | { kind: 'failed'; failure: SendFailure; delivered: 'no' | 'unknown' };

/** What Teams said to opening a personal chat. Opening twice gives the same chat, so a retry is safe. */
export type OpenResult =
  | { kind: 'opened'; conversation: ConversationReference }
  | { kind: 'failed'; failure: SendFailure };

/** Proactive messages to one conversation. The Teams edge (`bot/proactiveSender.ts`) implements it. */
export interface ProactiveSender {
  send(conversation: ConversationReference, card: Card): Promise<SendResult>;
  /** Replaces a card Huddle sent earlier (the manager's progress card). */
  update(conversation: ConversationReference, activityId: string, card: Card): Promise<SendResult>;
  /**
   * Opens a personal chat with a member of a team Huddle is installed in (`team` is that team's
   * reference: which Teams service and which bot).
   */
  openPersonalChat(team: ConversationReference, teamsUserId: string, tenantId: string): Promise<OpenResult>;
  /**
   * The reference of a personal chat known only by its id (Graph's, once Huddle has installed itself for
   * the person), on the Teams service and as the bot of `through`, another conversation of the tenant.
   */
  chatReference(
    through: ConversationReference,
    chatId: string,
    tenantId: string,
    teamsUserId: string | undefined,
  ): ConversationReference;
}

/**
 * What Microsoft Graph said to installing Huddle in a person's personal scope: the chat it has with them
 * (installed now, or already), or why it never will be: no admin has granted Huddle the permission
 * (`noConsent`; `firstRefusal` for the first caller to learn it), or Graph found no such person or app
 * (`installNotFound`).
 * `failed` is worth trying again later (throttled, unavailable).
 */
export type InstallResult =
  | { kind: 'installed'; chatId: string }
  | { kind: 'refused'; reason: 'noConsent' | 'installNotFound'; firstRefusal: boolean }
  | { kind: 'failed'; failure: SendFailure };

/** Installs Huddle for people through Microsoft Graph (`delivery/graphInstaller.ts`). */
export interface AppInstaller extends InstallRefusals {
  install(tenantId: string, aadObjectId: string): Promise<InstallResult>;
  /** Lets calls waiting for their turn go at once, for a shutdown: they answer `Stopping` without a call. */
  close(): void;
}

/** Counts of delivery outcomes, for operators' dashboards. Never carries content or who it was for. */
export interface DeliveryMetrics {
  sent(): void;
  failed(): void;
  /** Teams answered 429. */
  throttled(): void;
  /** 403/404: the person left or removed Huddle. */
  gone(): void;
}

/** The conversation id inside an opaque reference, for the per-conversation limiter. */
export function conversationIdOf(reference: ConversationReference): string {
  const conversation = reference.conversation;
  if (typeof conversation === 'object' && conversation !== null && 'id' in conversation) {
    return String((conversation as { id: unknown }).id);
  }
  return 'unknown';
}
