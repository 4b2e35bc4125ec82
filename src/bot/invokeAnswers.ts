import { ActivityTypes, type TurnContext } from 'botbuilder';

/** Teams' name for a card button press (Universal Actions). */
export const CARD_ACTION = 'adaptiveCard/action';

export const isInvoke = (context: TurnContext) => context.activity.type === ActivityTypes.Invoke;

/**
 * Answers a card button press with a short message that Teams shows beside the card, leaving the card as
 * it was: after a failure, whatever the person typed into it is still there to send again.
 */
export function answerWithMessage(context: TurnContext, text: string): Promise<unknown> {
  return answerInvoke(context, 200, {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: text,
  });
}

export function answerInvoke(context: TurnContext, status: number, body: object): Promise<unknown> {
  return context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status, body } });
}
