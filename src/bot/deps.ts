import type { Logger } from 'pino';
import type { MemberDefaults } from '../domain/member.js';
import type { RespondentKeys } from '../domain/respondentKeys.js';
import type { BootstrapRoles } from '../domain/roles.js';
import type {
  AnswerStore,
  BroadcastStore,
  Clock,
  CommentStore,
  DeliveryStore,
  InitiativeStore,
  InstallationStore,
  MemberStore,
  Outbox,
  PulseStore,
  RoundStore,
  SavedListStore,
} from '../domain/stores.js';
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
  metrics: { answerStored(): void };
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
