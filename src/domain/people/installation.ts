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
  /**
   * A team's roster still to be gone through, outside any turn (a team can have thousands of members):
   * read page by page after an install, each member becoming reachable through the team; forgotten after
   * an uninstall, so they stop being reachable through it.
   */
  roster?: RosterWork | undefined;
}

export type RosterWork = { kind: 'read'; continuationToken?: string | undefined } | { kind: 'forget' };
