import type { Logger } from 'pino';
import type { MemberDefaults } from '../domain/member.js';
import type { BootstrapRoles } from '../domain/roles.js';
import type { Clock, InstallationStore, MemberStore } from '../domain/stores.js';
import type { Localizer } from '../i18n/strings.js';

/** Everything the handlers may use; built once by the composition root. */
export interface BotDeps {
  members: MemberStore;
  installations: InstallationStore;
  clock: Clock;
  localizer: Localizer;
  logger: Logger;
  bootstrap: BootstrapRoles;
  defaults: MemberDefaults;
  anonymityThreshold: number;
}
