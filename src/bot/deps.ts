import type { Logger } from 'pino';
import type { ActionStore } from '../domain/actions/ports.js';
import type { BroadcastStore, DeliveryStore, Outbox, SavedListStore } from '../domain/broadcasts/ports.js';
import type { DigestSettingsStore, DigestSnapshotStore } from '../domain/digest/ports.js';
import type { FeedbackDeps } from '../domain/feedback/feedback.js';
import type { CommentStore, EscalationStore, ThreadStore } from '../domain/feedback/ports.js';
import type { ReplyHandles } from '../domain/feedback/replyHandles.js';
import type { CommentClassifier } from '../domain/feedback/themes.js';
import type { InitiativeStore } from '../domain/initiatives/ports.js';
import type { MemberDefaults } from '../domain/people/member.js';
import type { InstallationStore, InstallRefusals, MemberStore } from '../domain/people/ports.js';
import type { ReachPolicy } from '../domain/people/reach.js';
import type { RespondentKeys } from '../domain/people/respondentKeys.js';
import type { BootstrapRoles } from '../domain/people/roles.js';
import type { AnswerStore, PublicationStore, PulseStore, RoundStore } from '../domain/pulses/ports.js';
import type { ActionClaimStore, Clock } from '../domain/shared/ports.js';
import type { Localizer } from '../i18n/strings.js';

/** Everything the handlers may use; built once by the composition root. */
export interface BotDeps {
  members: MemberStore;
  installations: InstallationStore;
  initiatives: InitiativeStore;
  broadcasts: BroadcastStore;
  deliveries: DeliveryStore;
  comments: CommentStore;
  savedLists: SavedListStore;
  pulses: PulseStore;
  rounds: RoundStore;
  answers: AnswerStore;
  publications: PublicationStore;
  keys: RespondentKeys;
  /** The first reading of a comment, in the turn: fast and local. */
  classifier: CommentClassifier;
  secondReading: FeedbackDeps['secondReading'];
  escalations: EscalationStore;
  threads: ThreadStore;
  actionClaims: ActionClaimStore;
  replyHandles: ReplyHandles;
  /** What the writer of a possible disclosure is told, and how long an alert waits for a lead. */
  safeguarding: { procedure: string; contacts: string };
  safeguardingResendMs: number;
  metrics: { answerStored(): void; escalationRaised(): void; escalationAcknowledged(): void };
  outbox: Outbox;
  /** Asks the scheduler to look for due work now (a manager just confirmed a broadcast). */
  scheduler: { nudge(): void };
  newId: () => string;
  clock: Clock;
  localizer: Localizer;
  logger: Logger;
  bootstrap: BootstrapRoles;
  defaults: MemberDefaults;
  /** Whether guests and people of other organisations are messaged, and whether Huddle installs itself. */
  reach: ReachPolicy;
  /** Graph's refusals to install Huddle, forgotten when a manager asks to try again. */
  installRefusals: InstallRefusals;
  anonymityThreshold: number;
  commentThreshold: number;
  digestSnapshots: DigestSnapshotStore;
  digestSettings: DigestSettingsStore;
  actions: ActionStore;
}
