import type { TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import { UserInputError } from '../domain/errors.js';
import { ROLES } from '../domain/roles.js';
import type { Localizer, Translator } from '../i18n/strings.js';
import { StorageError } from '../storage/errors.js';

/**
 * The one place a failed turn is answered. A person's mistake gets a polite explanation (nothing was
 * saved); storage trouble and bugs are logged with the activity id and the person gets a short apology.
 * Messages and card values are never logged: they may hold what staff wrote.
 */
export function turnErrorHandler(localizer: Localizer, logger: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const t = localizer.for(context.activity.locale);
    const activityId = context.activity.id;
    if (error instanceof UserInputError) {
      logger.info({ activityId, messageKey: error.messageKey }, 'request refused');
      await reply(context, refusalText(t, error), logger);
      return;
    }
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
    await reply(context, t('error.generic'), logger);
  };
}

/** What a person is told when Huddle refuses what they asked; role names are shown in their language. */
export function refusalText(t: Translator, error: UserInputError): string {
  const values = Object.fromEntries(
    Object.entries(error.values).map(([key, value]) =>
      key === 'role' && (ROLES as readonly unknown[]).includes(value)
        ? [key, t(`role.${value}`)]
        : [key, value],
    ),
  );
  return t(error.messageKey, values);
}

async function reply(context: TurnContext, text: string, logger: Logger): Promise<void> {
  try {
    await context.sendActivity(text);
  } catch (sendError) {
    logger.warn(
      { activityId: context.activity.id, err: { message: (sendError as Error).message } },
      'could not tell the user',
    );
  }
}
