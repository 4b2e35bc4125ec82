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
      await reply(context, t(error.messageKey, translateValues(t, error.values)), logger);
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

/** Role names inside messages are shown in the person's language. */
function translateValues(t: Translator, values: Readonly<Record<string, string | number>>) {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) =>
      key === 'role' && (ROLES as readonly unknown[]).includes(value)
        ? [key, t(`role.${value}`)]
        : [key, value],
    ),
  );
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
