import type { Application } from '@microsoft/teams-ai';
import { type Attachment, MessageFactory, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import { pulseResultsCard } from '../../cards/pulseResultsCard.js';
import { resultsFileName, resultsRows, toCsv } from '../../cards/resultsSpreadsheet.js';
import { VERB_ROLES, VERBS } from '../../cards/verbs.js';
import type { SeenPerson } from '../../domain/people/member.js';
import { type PulseRoundResults, pulseResults, roundResultsOf } from '../../domain/pulses/pulseReporting.js';
import { UserInputError } from '../../domain/shared/errors.js';
import { checkInvoke, onAction } from '../actionRoute.js';
import { scopeOf } from '../activity.js';
import { roundRef } from '../cardData.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { refusalText } from '../errors.js';
import { isUploadUrl, uploadFile } from '../fileUpload.js';
import { managerOf, readTurn, sendCard, type Turn } from '../turn.js';

/** What Teams sends back when the person answers a file consent card: our context, and where to upload. */
const consentAnswer = z.object({
  action: z.enum(['accept', 'decline']),
  context: roundRef,
  uploadInfo: z
    .object({
      name: z.string().min(1).max(256),
      uploadUrl: z.string().max(4_096).refine(isUploadUrl),
      contentUrl: z.string().url().max(4_096),
      uniqueId: z.string().min(1).max(256),
      fileType: z.string().max(32),
    })
    .optional(),
});

/**
 * Pulse results for managers and leaders: the `results` card, and each round on it as a spreadsheet.
 * Teams saves a bot's file to the person's OneDrive only after they allow it on a file consent card
 * (personal chat only), so the export is three steps: the button offers the file, the person allows
 * it, Huddle uploads what the figures are then and posts the file. The figures are read again at each
 * step, as published (see publication.ts) under the same anonymity rules as the card: the file holds
 * nothing the card could not show at that moment.
 */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'results', async (context, turn) => {
    await sendCard(context, await resultsCard(deps, turn));
  });

  onAction(app, deps, VERBS.resultsExport, { data: roundRef }, async (context, turn, data) => {
    if (scopeOf(turn.facts) !== 'personal') throw new UserInputError('export.personalOnly', {});
    const round = await roundResultsOf(deps, turn.person.tenantId, data.pulseId, data.round);
    const content = spreadsheet(deps, turn, round);
    const consent: Attachment = {
      contentType: 'application/vnd.microsoft.teams.card.file.consent',
      name: resultsFileName(round),
      content: {
        description: turn.t('export.consent', { title: round.pulse.title, round: round.round.number }),
        sizeInBytes: content.byteLength,
        acceptContext: data,
        declineContext: data,
      },
    };
    await context.sendActivity(MessageFactory.attachment(consent));
    return resultsCard(deps, turn);
  });

  app.fileConsentAccept(async (context) => {
    await answerConsent(context, deps, async (turn, answer) => {
      const upload = answer.uploadInfo;
      if (upload === undefined) throw new UserInputError('card.expired', {});
      const round = await roundResultsOf(
        deps,
        turn.person.tenantId,
        answer.context.pulseId,
        answer.context.round,
      );
      const outcome = await uploadFile(upload.uploadUrl, spreadsheet(deps, turn, round));
      if (!outcome.ok) {
        deps.logger.warn(
          { pulseId: round.pulse.id, reason: outcome.reason },
          'results spreadsheet not saved',
        );
        await context.sendActivity(turn.t('export.failed', { reason: outcome.reason }));
        return;
      }
      deps.logger.info({ pulseId: round.pulse.id, round: round.round.number }, 'results spreadsheet saved');
      const file: Attachment = {
        contentType: 'application/vnd.microsoft.teams.card.file.info',
        contentUrl: upload.contentUrl,
        name: upload.name,
        content: { uniqueId: upload.uniqueId, fileType: upload.fileType },
      };
      await context.sendActivity(
        MessageFactory.attachment(file, turn.t('export.saved', { name: upload.name })),
      );
    });
  });

  app.fileConsentDecline(async (context) => {
    await answerConsent(context, deps, async (turn) => {
      await context.sendActivity(turn.t('export.declined'));
    });
  });
}

async function resultsCard(deps: BotDeps, turn: Turn) {
  const rounds = await pulseResults(deps, managerOf(turn, deps).tenantId);
  return pulseResultsCard(turn.t, {
    rounds,
    threshold: deps.anonymityThreshold,
    timeZone: turn.member?.timeZone ?? deps.defaults.timeZone,
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

/**
 * A file consent answer is untrusted like any card data, and the roles are checked again: the card may
 * have waited while a role was revoked. teams-ai answers the invoke itself once this returns, so a
 * refusal is told here as a message rather than thrown past it.
 */
async function answerConsent(
  context: TurnContext,
  deps: BotDeps,
  work: (turn: Turn & { person: SeenPerson }, answer: z.infer<typeof consentAnswer>) => Promise<void>,
): Promise<void> {
  const turn = await readTurn(context, deps);
  try {
    const checked = checkInvoke(turn, VERB_ROLES[VERBS.resultsExport], consentAnswer, context.activity.value);
    await work(checked.turn, checked.data);
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    deps.logger.info({ activityId: turn.facts.id, messageKey: error.messageKey }, 'file consent refused');
    await context.sendActivity(refusalText(turn.t, error));
  }
}
