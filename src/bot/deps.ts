import type { Logger } from 'pino';
import type { MemberDefaults } from '../domain/member.js';
import type { ReplyHandles } from '../domain/replyHandles.js';
import type { RespondentKeys } from '../domain/respondentKeys.js';
import type { BootstrapRoles } from '../domain/roles.js';
import type {
  ActionClaimStore,
  AnswerStore,
  BroadcastStore,
  Clock,
  CommentStore,
  DeliveryStore,
  EscalationStore,
  InitiativeStore,
  InstallationStore,
  MemberStore,
  Outbox,
  PulseStore,
  RoundStore,
  SavedListStore,
  ThreadStore,
} from '../domain/stores.js';
import type { CommentClassifier } from '../domain/themes.js';
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
  keys: RespondentKeys;
  classifier: CommentClassifier;
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
  anonymityThreshold: number;
}
