import type { Application } from '@microsoft/teams-ai';
import { MessageFactory } from 'botbuilder';
import { z } from 'zod';
import { VERBS } from '../../cards/verbs.js';
import { currentFigures } from '../../delivery/progress.js';
import { gatherEvidence } from '../../domain/evidence/gatherEvidence.js';
import { UserInputError } from '../../domain/shared/errors.js';
import { evidenceFile } from '../../export/evidenceFiles.js';
import { onAction } from '../actionRoute.js';
import { scopeOf } from '../activity.js';
import type { BotDeps } from '../deps.js';
import { type ConsentTurn, consentCard, consentedFile } from '../fileConsent.js';
import { digestOf } from './digest.js';
import { initiativesList } from './initiatives.js';

/** The consent card's context: which change's pack, told apart from a results spreadsheet's. */
const evidenceRef = z.object({ file: z.literal('evidence'), initiativeId: z.string().min(1).max(200) });

/** The button's data: which change, and which card it is on (that card stays while Teams asks). */
const exportRequest = z.object({
  initiativeId: z.string().min(1).max(200),
  from: z.enum(['initiatives', 'digest']).optional().default('initiatives'),
});

/**
 * **Export evidence** on the `initiatives` card and a manager's digest: the change's evidence pack as a
 * Word document, saved to the manager's OneDrive through a file consent card like the results spreadsheet
 * (fileConsent.ts), and read afresh when they allow it. Safeguarding counts are in it only for those the digest shows them to.
 */
export function register(app: Application, deps: BotDeps): void {
  onAction(app, deps, VERBS.evidenceExport, { data: exportRequest }, async (context, turn, data) => {
    if (scopeOf(turn.facts) !== 'personal') throw new UserInputError('evidence.personalOnly', {});
    const file = await packFile(deps, turn, data.initiativeId);
    const description = turn.t('evidence.consent', { title: file.title });
    const ref: z.infer<typeof evidenceRef> = { file: 'evidence', initiativeId: data.initiativeId };
    await context.sendActivity(
      MessageFactory.attachment(consentCard(file.name, description, file.content.byteLength, ref)),
    );
    deps.logger.info({ initiativeId: data.initiativeId }, 'evidence pack offered');
    return data.from === 'digest'
      ? digestOf(deps, turn, data.initiativeId)
      : initiativesList(deps, turn, turn.person.tenantId);
  });
}

/** A change's evidence pack, saved once the manager allows it. */
export const evidencePackFile = (deps: BotDeps) =>
  consentedFile({
    verb: VERBS.evidenceExport,
    context: evidenceRef,
    content: async (turn, ref) => (await packFile(deps, turn, ref.initiativeId)).content,
    failed: 'evidence.failed',
    declined: 'evidence.declined',
  });

async function packFile(deps: BotDeps, turn: ConsentTurn, initiativeId: string) {
  const now = deps.clock.now();
  const pack = await gatherEvidence(
    { ...deps, sendFigures: (broadcast) => currentFigures(deps, broadcast, now) },
    turn.person.tenantId,
    initiativeId,
    { showSafeguarding: SAFEGUARDING_READERS.some((role) => turn.roles.includes(role)) },
  );
  const timeZone = turn.member?.timeZone ?? deps.defaults.timeZone;
  return { title: pack.initiative.title, ...(await evidenceFile(turn.t, pack, 'docx', timeZone)) };
}

/**
 * Safeguarding counts go to those the digest shows them to (leaders, safeguarding leads) and to admins, who
 * are sent any alert nobody acknowledges; never to managers, as on the digest.
 */
const SAFEGUARDING_READERS = ['leader', 'safeguardingLead', 'admin'] as const;
