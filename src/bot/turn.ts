import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { shownLiterally } from '../cards/literalText.js';
import type { Card } from '../cards/render.js';
import type { Manager } from '../domain/people/member.js';
import { type Member, refreshedFromActivity, type SeenPerson } from '../domain/people/member.js';
import { bootstrapRolesFor, effectiveRoles, type Role } from '../domain/people/roles.js';
import { UserInputError } from '../domain/shared/errors.js';
import type { Translator } from '../i18n/strings.js';
import { type ActivityFacts, activitySchema, senderOf } from './activity.js';
import type { BotDeps } from './deps.js';

/** Who is speaking and what they may do, read once per turn. */
export interface Turn {
  facts: ActivityFacts;
  person: SeenPerson | undefined;
  member: Member | undefined;
  roles: Role[];
  t: Translator;
}

/**
 * `withMember: false` skips reading the member, for a turn that needs nothing from the record (answering a
 * pulse: everyone is staff, and the card carries the rest). It saves a storage read on the busiest path.
 */
export async function readTurn(
  context: TurnContext,
  deps: BotDeps,
  options: { withMember: boolean } = { withMember: true },
): Promise<Turn> {
  const facts = activitySchema.parse(context.activity);
  const person = senderOf(facts);
  const member = person === undefined || !options.withMember ? undefined : await currentMember(deps, person);
  // Someone Huddle holds no record of (not installed yet, or deleted their data) still gets the roles that
  // configuration gives them, so a newly configured admin can act before anything else happens.
  const roles =
    member !== undefined
      ? effectiveRoles(member, deps.bootstrap)
      : (['staff', ...(person === undefined ? [] : bootstrapRolesFor(person, deps.bootstrap))] as Role[]);
  return { facts, person, member, roles, t: deps.localizer.for(member?.locale ?? facts.locale) };
}

/** The stored member, brought up to date with the time zone, locale and name this activity carries. */
async function currentMember(deps: BotDeps, person: SeenPerson): Promise<Member | undefined> {
  const stored = await deps.members.get(person.tenantId, person.aadObjectId);
  if (stored === undefined || refreshedFromActivity(stored, person, deps.clock.now()) === undefined)
    return stored;
  return deps.members.modify(person.tenantId, person.aadObjectId, (current) => {
    const base = current ?? stored;
    return refreshedFromActivity(base, person, deps.clock.now()) ?? base;
  });
}

export async function sendCard(context: TurnContext, card: Card): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}

/**
 * A plain-text reply. Teams reads message text as Markdown, as it reads card text, so a name or title
 * someone typed ("Sam <Nights>") would lose its angle brackets; it is shown literally here as in cards.
 */
export async function sendText(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity(shownLiterally(text));
}

/** The person acting as a manager: who they are, and the language and time zone their cards use. */
export function managerOf(turn: Turn, deps: BotDeps): Manager {
  if (turn.person === undefined) throw new UserInputError('error.notAllowed', { role: 'manager' });
  return {
    tenantId: turn.person.tenantId,
    aadObjectId: turn.person.aadObjectId,
    name: turn.member?.name ?? turn.person.name,
    locale: turn.t.locale,
    timeZone: turn.member?.timeZone ?? deps.defaults.timeZone,
  };
}
