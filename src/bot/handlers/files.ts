import type { Application } from '@microsoft/teams-ai';
import type { BotDeps } from '../deps.js';
import { registerFileConsent } from '../fileConsent.js';
import { evidencePackFile } from './evidence.js';
import { resultsSpreadsheetFile } from './results.js';

/** Every file Huddle saves to OneDrive, in one list: Teams answers all consent cards through one route. */
export function register(app: Application, deps: BotDeps): void {
  registerFileConsent(app, deps, [evidencePackFile(deps), resultsSpreadsheetFile(deps)]);
}
