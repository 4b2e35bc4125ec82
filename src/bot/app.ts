import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import type { BotCredentials } from '../config.js';
import type { BotDeps } from './deps.js';
import { turnErrorHandler } from './errors.js';
import * as actions from './handlers/actions.js';
import * as advanceStage from './handlers/advanceStage.js';
import * as broadcast from './handlers/broadcast.js';
import * as champions from './handlers/champions.js';
import * as digest from './handlers/digest.js';
import * as evidence from './handlers/evidence.js';
import * as fallback from './handlers/fallback.js';
import * as feedback from './handlers/feedback.js';
import * as files from './handlers/files.js';
import * as followUp from './handlers/followUp.js';
import * as help from './handlers/help.js';
import * as initiatives from './handlers/initiatives.js';
import * as install from './handlers/install.js';
import * as lists from './handlers/lists.js';
import * as myData from './handlers/myData.js';
import * as pulses from './handlers/pulses.js';
import * as reach from './handlers/reach.js';
import * as results from './handlers/results.js';
import * as roles from './handlers/roles.js';
import * as safeguarding from './handlers/safeguarding.js';
import * as settings from './handlers/settings.js';
import * as updates from './handlers/updates.js';
import * as whatsChanging from './handlers/whatsChanging.js';

/**
 * The teams-ai application with every feature registered in one visible order. teams-ai runs the first
 * route that matches, so specific commands come before the catch-all.
 */
export interface Bot {
  adapter: HuddleAdapter;
  app: Application;
}

/**
 * The teams-ai adapter, driven with an activity the server has already read and checked. `process()` is
 * not used: it writes every failure, each 401 included, to stderr as a raw stack and answers with the SDK's
 * own error text, where the server must decide alone what is logged and what the caller is told.
 */
export class HuddleAdapter extends TeamsAdapter {
  /** Authenticates the activity and runs `logic`; throws what authentication refused. */
  runActivity(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

/** The adapter first, on its own: the optional model classifier needs it before the bot's deps exist. */
export function createAdapter(credentials: BotCredentials): HuddleAdapter {
  return new HuddleAdapter({
    MicrosoftAppId: credentials.appId,
    MicrosoftAppPassword: credentials.appPassword,
    MicrosoftAppType: credentials.appType,
    MicrosoftAppTenantId: credentials.tenantId,
    ...credentials.tokenService,
  });
}

export function createBot(adapter: HuddleAdapter, deps: BotDeps): Bot {
  // The typing timer is shared across concurrent turns (STACK-NOTES), and replies here are immediate.
  const app = new Application({ adapter, startTypingTimer: false, removeRecipientMention: true });
  app.error(turnErrorHandler(deps.localizer, deps.logger, deps.safeguarding));

  install.register(app, deps);
  help.register(app, deps);
  myData.register(app, deps);
  roles.register(app, deps);
  whatsChanging.register(app, deps);
  settings.register(app, deps);
  updates.register(app, deps);
  feedback.register(app, deps);
  followUp.register(app, deps);
  safeguarding.register(app, deps);
  initiatives.register(app, deps);
  lists.register(app, deps);
  broadcast.register(app, deps);
  reach.register(app, deps);
  advanceStage.register(app, deps);
  pulses.register(app, deps);
  results.register(app, deps);
  digest.register(app, deps);
  actions.register(app, deps);
  evidence.register(app, deps);
  files.register(app, deps);
  champions.register(app, deps);
  fallback.register(app, deps); // last: it answers any message the others did not take
  return { adapter, app };
}
