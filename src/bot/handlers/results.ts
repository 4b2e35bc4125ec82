import type { Application } from '@microsoft/teams-ai';
import { MessageFactory } from 'botbuilder';
import { pulseResultsCard } from '../../cards/pulseResultsCard.js';
import { resultsFileName, resultsRows, toCsv } from '../../cards/resultsSpreadsheet.js';
import { VERBS } from '../../cards/verbs.js';
import { type PulseRoundResults, pulseResults, roundResultsOf } from '../../domain/pulses/pulseReporting.js';
import { UserInputError } from '../../domain/shared/errors.js';
import { onAction } from '../actionRoute.js';
import { scopeOf } from '../activity.js';
import { roundRef } from '../cardData.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { consentCard, consentedFile } from '../fileConsent.js';
import { managerOf, sendCard, type Turn } from '../turn.js';

/**
 * Pulse results for managers and leaders: the `results` card, and each round on it as a spreadsheet
 * saved through a file consent card (fileConsent.ts). The figures are read again at each step, as
 * published (see publication.ts) under the same anonymity rules as the card: the file holds nothing the
 * card could not show at that moment.
 */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'results', async (context, turn) => {
    await sendCard(context, await resultsCard(deps, turn));
  });

  onAction(app, deps, VERBS.resultsExport, { data: roundRef }, async (context, turn, data) => {
    if (scopeOf(turn.facts) !== 'personal') throw new UserInputError('export.personalOnly', {});
    const round = await roundResultsOf(deps, turn.person.tenantId, data.pulseId, data.round);
    const content = spreadsheet(deps, turn, round);
    const description = turn.t('export.consent', { title: round.pulse.title, round: round.round.number });
    await context.sendActivity(
      MessageFactory.attachment(consentCard(resultsFileName(round), description, content.byteLength, data)),
    );
    return resultsCard(deps, turn);
  });
}

/** A round's spreadsheet, saved once the person allows it: the figures as they are then. */
export const resultsSpreadsheetFile = (deps: BotDeps) =>
  consentedFile({
    verb: VERBS.resultsExport,
    context: roundRef,
    content: async (turn, ref) =>
      spreadsheet(deps, turn, await roundResultsOf(deps, turn.person.tenantId, ref.pulseId, ref.round)),
    failed: 'export.failed',
    declined: 'export.declined',
  });

async function resultsCard(deps: BotDeps, turn: Turn) {
  const rounds = await pulseResults(deps, managerOf(turn, deps).tenantId);
  return pulseResultsCard(turn.t, {
    rounds,
    threshold: deps.anonymityThreshold,
    timeZone: turn.member?.timeZone ?? deps.defaults.timeZone,
    canAct: turn.roles.includes('manager'),
  });
}

function spreadsheet(deps: BotDeps, turn: Turn, round: PulseRoundResults): Uint8Array {
  const rows = resultsRows(turn.t, {
    ...round,
    threshold: deps.anonymityThreshold,
    timeZone: turn.member?.timeZone ?? deps.defaults.timeZone,
  });
  return new TextEncoder().encode(toCsv(rows));
}
