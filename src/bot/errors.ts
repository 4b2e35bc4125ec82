import { ActivityTypes, CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { type Safeguarding, safeguardingNotSavedCard } from '../cards/feedbackCards.js';
import { shownLiterally } from '../cards/literalText.js';
import { ROLES } from '../domain/people/roles.js';
import { UserInputError } from '../domain/shared/errors.js';
import type { Localizer, Translator } from '../i18n/strings.js';
import { StorageError } from '../storage/errors.js';
import { answerInvoke, answerWithMessage, CARD_ACTION, isInvoke } from './invokeAnswers.js';

/**
 * The one place a failed turn is answered. A person's mistake gets a polite explanation (nothing was
 * saved); storage trouble and bugs are logged with the activity id and the person gets a short apology.
 * Messages and card values are never logged: they may hold what staff wrote.
 *
 * A card button press must get an invoke answer, or Teams shows the person an error (botbuilder answers
 * 501): it gets the explanation beside its card, which stays as it was. Other invokes (a file consent)
 * get 503 and the apology in chat.
 *
 * When storage is down, what the person was doing is named: a personal install is finished by typing `start`.
 * Words sent with the harm box ticked get the safeguarding procedure and contacts in the chat at once when
 * storage or a bug stopped them, since they reached nobody.
 */
export function turnErrorHandler(localizer: Localizer, logger: Logger, safeguarding: Safeguarding) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const t = localizer.for(context.activity.locale);
    const activityId = context.activity.id;
    let text: string;
    const refusedBy = teamsRefusedSend(error);
    if (error instanceof UserInputError) {
      logger.info({ activityId, messageKey: error.messageKey }, 'request refused');
      text = refusalText(t, error);
    } else if (refusedBy !== undefined) {
      // Teams would not take a reply (429 when someone sends many messages at once, 5xx when it is down).
      // Not a bug. A message gets no apology, which would be refused the same way; an invoke still gets its
      // answer, which travels back on the request rather than through Teams' connector.
      logger.warn({ activityId, origin: 'teams', status: refusedBy }, 'reply not delivered');
      if (!isInvoke(context)) return;
      text = t('error.generic');
    } else {
      const origin = error instanceof StorageError ? 'storage' : 'bug';
      logger.error(
        {
          activityId,
          type: context.activity.type,
          origin,
          err: { name: error.name, message: error.message, stack: error.stack },
        },
        'turn failed',
      );
      text = t(
        origin === 'storage' && isPersonalInstall(context) ? 'error.installNotSaved' : 'error.generic',
      );
      // Whatever failed, words that may be a disclosure reached nobody: the procedure goes out at once.
      if (carriesDisclosure(context)) {
        await tell(context, t('error.disclosureNotSaved'), logger);
        await sendNotSavedProcedure(context, safeguardingNotSavedCard(t, safeguarding), logger);
        return;
      }
    }
    await tell(context, text, logger);
  };
}

/** Teams tells Huddle of a personal install by either event (see the install handler). */
const isPersonalInstall = (context: TurnContext) =>
  context.activity.conversation?.conversationType === 'personal' &&
  (context.activity.type === ActivityTypes.InstallationUpdate ||
    context.activity.type === ActivityTypes.ConversationUpdate);

/** A card press whose form had "someone is being harmed" ticked (every comment form names it `harm`). */
function carriesDisclosure(context: TurnContext): boolean {
  if (!isInvoke(context) || context.activity.name !== CARD_ACTION) return false;
  const value = context.activity.value as { action?: { data?: { harm?: unknown } } } | undefined;
  return value?.action?.data?.harm === 'true';
}

async function sendNotSavedProcedure(context: TurnContext, card: object, logger: Logger): Promise<void> {
  try {
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
  } catch (sendError) {
    logger.warn(
      { activityId: context.activity.id, err: { message: (sendError as Error).message } },
      'could not send the safeguarding procedure',
    );
  }
}

/** A refusal can name what was typed ("no one called …"), so it is shown literally as every reply is. */
async function tell(context: TurnContext, typed: string, logger: Logger): Promise<void> {
  const text = shownLiterally(typed);
  try {
    if (!isInvoke(context)) await context.sendActivity(text);
    else if (context.activity.name === CARD_ACTION) await answerWithMessage(context, text);
    else {
      await answerInvoke(context, 503, { error: 'unavailable' });
      await context.sendActivity(text);
    }
  } catch (sendError) {
    logger.warn(
      { activityId: context.activity.id, err: { message: (sendError as Error).message } },
      'could not tell the user',
    );
  }
}

/**
 * The status Teams answered a reply with, when that is why the turn failed. Storage failures arrive here
 * as StorageError, so a RestError with a status is the Bot Connector's.
 */
function teamsRefusedSend(error: Error): number | undefined {
  const status = (error as { statusCode?: unknown }).statusCode;
  return error.name === 'RestError' && typeof status === 'number' ? status : undefined;
}

/** What a person is told when Huddle refuses what they asked; role names are shown in their language. */
export function refusalText(t: Translator, error: UserInputError): string {
  const values = Object.fromEntries(
    Object.entries(error.values).map(([key, value]) =>
      (key === 'role' || key === 'other') && (ROLES as readonly unknown[]).includes(value)
        ? [key, t(`role.${value}`)]
        : [key, value],
    ),
  );
  return t(error.messageKey, values);
}
