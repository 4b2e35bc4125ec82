import type { Application } from '@microsoft/teams-ai';
import { type Attachment, MessageFactory, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import { shownLiterally } from '../cards/literalText.js';
import { VERB_ROLES, type Verb } from '../cards/verbs.js';
import type { SeenPerson } from '../domain/people/member.js';
import { UserInputError } from '../domain/shared/errors.js';
import { checkInvoke } from './actionRoute.js';
import type { BotDeps } from './deps.js';
import { refusalText } from './errors.js';
import { isUploadUrl, uploadFile } from './fileUpload.js';
import { readTurn, sendText, type Turn } from './turn.js';

/**
 * Files Huddle saves to a person's OneDrive. Teams saves a bot's file only after the person allows it on
 * a file consent card (personal chat only), so a save is three steps: a button offers the file, the
 * person allows it, Huddle uploads what the file holds then and posts it. Teams answers every consent
 * card through one handler, so each kind of file is told apart by its context, and its roles are
 * checked again from the verb that offered it: the card may have waited while a role was revoked.
 */
export interface ConsentedFile<S extends z.ZodTypeAny = z.ZodTypeAny> {
  /** The verb whose press offered the file; whoever may press it may save it. */
  verb: Verb;
  /** This kind's accept and decline context; the first kind whose context parses takes the answer. */
  context: S;
  /** What the file holds now, read afresh; a refusal (`UserInputError`) is told and nothing is saved. */
  content(turn: ConsentTurn, context: z.infer<S>): Promise<Uint8Array>;
  /** Message keys: `failed` takes `{reason}`; `declined` says nothing was saved. */
  failed: string;
  declined: string;
}

export type ConsentTurn = Turn & { person: SeenPerson };

/** Keeps each kind's context and content typed together in one list of files. */
export const consentedFile = <S extends z.ZodTypeAny>(file: ConsentedFile<S>): ConsentedFile => file;

/** The consent card offering a file; the person's answer comes back with `context`. */
export function consentCard(name: string, description: string, size: number, context: unknown): Attachment {
  return {
    contentType: 'application/vnd.microsoft.teams.card.file.consent',
    name,
    content: { description, sizeInBytes: size, acceptContext: context, declineContext: context },
  };
}

/** What Teams sends back when the person answers a file consent card: our context, and where to upload. */
const consentAnswer = z.object({
  action: z.enum(['accept', 'decline']),
  context: z.unknown(),
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

export function registerFileConsent(app: Application, deps: BotDeps, files: readonly ConsentedFile[]): void {
  app.fileConsentAccept(async (context) => {
    await answerConsent(context, deps, files, async (turn, file, answer, fileContext) => {
      const upload = answer.uploadInfo;
      if (upload === undefined) throw new UserInputError('card.expired', {});
      const outcome = await uploadFile(upload.uploadUrl, await file.content(turn, fileContext));
      if (!outcome.ok) {
        deps.logger.warn({ verb: file.verb, reason: outcome.reason }, 'file not saved');
        await sendText(context, turn.t(file.failed, { reason: outcome.reason }));
        return;
      }
      deps.logger.info({ verb: file.verb }, 'file saved');
      const saved: Attachment = {
        contentType: 'application/vnd.microsoft.teams.card.file.info',
        contentUrl: upload.contentUrl,
        name: upload.name,
        content: { uniqueId: upload.uniqueId, fileType: upload.fileType },
      };
      await context.sendActivity(
        MessageFactory.attachment(saved, shownLiterally(turn.t('export.saved', { name: upload.name }))),
      );
    });
  });

  app.fileConsentDecline(async (context) => {
    await answerConsent(context, deps, files, async (turn, file) => {
      await sendText(context, turn.t(file.declined));
    });
  });
}

/**
 * A file consent answer is untrusted like any card data. teams-ai answers the invoke itself once this
 * returns, so a refusal is told here as a message rather than thrown past it.
 */
async function answerConsent(
  context: TurnContext,
  deps: BotDeps,
  files: readonly ConsentedFile[],
  work: (
    turn: ConsentTurn,
    file: ConsentedFile,
    answer: z.infer<typeof consentAnswer>,
    fileContext: unknown,
  ) => Promise<void>,
): Promise<void> {
  const turn = await readTurn(context, deps);
  try {
    const raw = context.activity.value as { context?: unknown } | undefined;
    const file = files.find((one) => one.context.safeParse(raw?.context).success);
    if (file === undefined) throw new UserInputError('card.expired', {});
    const checked = checkInvoke(turn, VERB_ROLES[file.verb], consentAnswer, raw);
    await work(checked.turn, file, checked.data, file.context.parse(checked.data.context));
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    deps.logger.info({ activityId: turn.facts.id, messageKey: error.messageKey }, 'file consent refused');
    await sendText(context, refusalText(turn.t, error));
  }
}
