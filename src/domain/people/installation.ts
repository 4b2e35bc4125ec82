import type { ConversationReference } from './member.js';

/** Team and group-chat installs. Personal installs live on the member record (one per person). */
export type SharedScope = 'team' | 'groupChat';
export type InstallScope = 'personal' | SharedScope;

export interface Installation {
  tenantId: string;
  conversationId: string;
  scope: SharedScope;
  /** Team or chat name when Teams tells us. */
  name?: string | undefined;
  conversationReference: ConversationReference;
  active: boolean;
  installedAt: string;
  removedAt?: string | undefined;
}
