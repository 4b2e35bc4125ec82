import type { Application } from '@microsoft/teams-ai';
import { ActivityTypes } from 'botbuilder';
import { helpCard, nearCommandCard } from '../../cards/cards.js';
import { commandsFor, smallTalkOf } from '../../domain/chat/commands.js';
import { nearCommand } from '../../domain/chat/nearCommand.js';
import { StorageError } from '../../storage/errors.js';
import { scopeOf } from '../activity.js';
import type { BotDeps } from '../deps.js';
import { answerInvoke, answerWithMessage, CARD_ACTION } from '../invokeAnswers.js';
import { readTurn, sendCard, sendText } from '../turn.js';
import { offerToPassOn } from './feedback.js';

/**
 * Anything no other route took: never silence. Small talk is answered (a greeting with the menu, "what is
 * a pulse?" in a line); a short message close to a command gets that command offered as a button; in
 * personal chat, any other words are offered back, to tell a manager or to say someone is being harmed
 * (nothing stored until sent), and elsewhere they get a button for help.
 * Must be registered last, because teams-ai runs the first matching route; the same goes for any invoke no
 * other route answered.
 */
export function register(app: Application, deps: BotDeps): void {
  app.activity(ActivityTypes.Message, async (context) => {
    // Nothing here is stored, so storage being down must not keep what to do now from someone disclosing
    // harm: without the member record the turn goes on with what the activity says (name, language).
    const turn = await readTurn(context, deps).catch((error: unknown) => {
      if (!(error instanceof StorageError)) throw error;
      return readTurn(context, deps, { withMember: false });
    });
    const text = context.activity.text?.trim() ?? '';
    if (text === '') {
      await sendText(context, turn.t('unknown.notText'));
      return;
    }
    const personal = scopeOf(turn.facts) === 'personal';
    const commands = commandsFor(turn.roles, personal);
    // A greeting or "what is a pulse?" is answered, with what Huddle can do for this person.
    const talk = smallTalkOf(text);
    if (talk !== undefined) {
      const name = (turn.member?.name ?? turn.person?.name ?? '').split(' ')[0] ?? '';
      const said =
        talk.kind === 'whatIs'
          ? turn.t(`whatIs.${talk.word}`, { threshold: deps.anonymityThreshold })
          : turn.t(`smallTalk.${talk.kind}`, { name });
      await sendText(context, said);
      if (talk.kind !== 'thanks') await sendCard(context, helpCard(turn.t, commands));
      return;
    }
    // A short message that is nearly one of this person's commands ("comments pls", "reslts") is answered
    // with that command to press; longer words never are, whatever command words they hold.
    const near = nearCommand(text, commands);
    // Staff often just write what is on their mind, and it may be a disclosure the classifier cannot see:
    // so in personal chat no "unknown command" dead end, and elsewhere help is always a press away.
    if (near === undefined && personal) {
      await sendCard(context, await offerToPassOn(deps, turn, text));
      return;
    }
    await sendCard(context, nearCommandCard(turn.t, near));
  });

  // An invoke no route took: a button on a card from an older Huddle, a verb that never existed, or an invoke
  // Huddle does not use. Left alone, botbuilder would answer 501 and Teams would show an error.
  app.activity(ActivityTypes.Invoke, async (context) => {
    if (context.activity.name === CARD_ACTION) {
      await answerWithMessage(context, deps.localizer.for(context.activity.locale)('card.expired'));
    } else {
      await answerInvoke(context, 400, {
        error: 'unsupported_invoke',
        message: 'Huddle does not handle this',
      });
    }
  });
}
