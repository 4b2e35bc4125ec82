import type { Broadcast } from '../domain/broadcasts/broadcast.js';
import type { AudienceOption } from '../domain/broadcasts/broadcastDraft.js';
import type { InvitationWords } from '../domain/champions/invitation.js';
import type { Digest } from '../domain/digest/digest.js';
import type { GroupNote } from '../domain/digest/figures.js';
import type { Initiative } from '../domain/initiatives/initiative.js';
import type { Member } from '../domain/people/member.js';
import type { ReachCount } from '../domain/people/reach.js';
import type { FieldError } from '../domain/shared/errors.js';
import type { Translator } from '../i18n/strings.js';
import { audienceTitle } from './audienceText.js';
import { errorText } from './broadcastCards.js';
import { becauseText, periodText, section } from './digestCards.js';
import { reachNote } from './reachText.js';
import { type Card, expandTemplate } from './render.js';
import { VERBS } from './verbs.js';

/** Cards about becoming a change champion: the manager's invitation form, and each step's card. */

/** "Invite champions" on `initiatives`: who to ask. */
export function championInviteCard(
  t: Translator,
  model: {
    initiative: Initiative;
    options: readonly AudienceOption[];
    audience: string;
    errors: readonly FieldError[];
  },
): Card {
  return expandTemplate('champion-invite', {
    title: t('champion.invite.title', { initiative: model.initiative.title }),
    intro: t('champion.invite.intro'),
    errors: model.errors.map((error) => errorText(t, error)),
    audienceLabel: t('champion.invite.audience'),
    audienceRequired: t('champion.invite.audienceRequired'),
    audience: model.audience,
    audiences: model.options.map((option) => ({
      title: t(option.label.key, option.label.values),
      value: option.key,
    })),
    initiativeId: model.initiative.id,
    send: t('champion.invite.preview'),
    verb: VERBS.championInvitePreview,
  });
}

/**
 * What "Send invitations" will do, before it does it: how many people Huddle can reach in the audience
 * chosen (and why not the rest), and the invitation they will get. The choice travels in the card, so
 * nothing is stored until the manager confirms; `previewId` makes that confirmation send once.
 */
export function championInvitePreviewCard(
  t: Translator,
  model: {
    initiative: Initiative;
    audience: AudienceOption;
    recipients: number;
    reach: ReachCount;
    words: InvitationWords;
    previewId: string;
  },
): Card {
  return expandTemplate('champion-invite-preview', {
    title: t('champion.invite.previewTitle', { initiative: model.initiative.title }),
    count: t('champion.invite.previewCount', {
      count: model.recipients,
      audience: audienceTitle(t, model.audience),
    }),
    reach: reachNote(t, model.reach),
    heading: t('champion.invite.previewHeading'),
    ...model.words,
    initiativeId: model.initiative.id,
    audience: model.audience.key,
    previewId: model.previewId,
    send: t('champion.invite.confirm'),
    sendVerb: VERBS.championInvite,
    change: t('champion.invite.change'),
    changeVerb: VERBS.championInviteForm,
  });
}

/** The words of an invitation as the manager sends it. */
export const invitationWords = (t: Translator, initiative: Initiative, manager: string): InvitationWords => ({
  headline: t('champion.invite.headline', { initiative: initiative.title }),
  message: t('champion.invite.message', { manager }),
});

/**
 * One step's card. `volunteer` is who offered (for the managers' card), `outcome` what was done in place
 * (the volunteer's thanks, the manager's decision), which takes the buttons away.
 */
export function championCard(
  t: Translator,
  model: {
    broadcast: Pick<Broadcast, 'id' | 'content'>;
    step: NonNullable<Broadcast['champion']>['step'];
    initiative: Pick<Initiative, 'id' | 'title'>;
    volunteer?: Pick<Member, 'aadObjectId' | 'name' | 'groups'> | undefined;
    outcome?: string | undefined;
  },
): Card {
  const { step, initiative, volunteer } = model;
  const open = model.outcome === undefined;
  const words = { initiative: initiative.title, name: volunteer?.name ?? '' };
  const groups = [volunteer?.groups.unit, volunteer?.groups.shiftPattern].filter(
    (group): group is string => group !== undefined,
  );
  const card =
    step === 'invite'
      ? {
          title: model.broadcast.content.headline,
          lines: [model.broadcast.content.message, t('champion.invite.anonymous')],
          buttons: [
            {
              title: t('champion.yes'),
              verb: VERBS.championVolunteer,
              data: { broadcastId: model.broadcast.id },
            },
          ],
        }
      : step === 'volunteered'
        ? {
            title: t('champion.volunteered.title', words),
            lines: [
              t('champion.volunteered.groups', { groups: groups.join(', ') || t('champion.noGroups') }),
            ],
            buttons: [true, false].map((accept) => ({
              title: t(accept ? 'champion.accept' : 'champion.decline'),
              verb: VERBS.championAnswer,
              data: { initiativeId: initiative.id, volunteerId: volunteer?.aadObjectId ?? '', accept },
            })),
          }
        : {
            title: t(`champion.${step}.title`, words),
            lines: [t(`champion.${step}.text`, words)],
            buttons: [],
          };
  return expandTemplate('champion', {
    ...card,
    buttons: open ? card.buttons : [],
    done: model.outcome ?? '',
  });
}

/**
 * A champion's weekly note: for each group they work in that is big enough to show, readiness and how it
 * moved, the top two themes and one suggestion; then the change's open actions. Laid out as the digest is.
 */
export function championNoteCard(t: Translator, digest: Digest, notes: readonly GroupNote[]): Card {
  const open = digest.figures.actions?.open;
  return expandTemplate('digest', {
    title: t('champion.note.title', { initiative: digest.initiative.title }),
    period: periodText(t, digest.period),
    notice: t('champion.note.intro'),
    noticeColor: 'Default',
    sections: [
      ...notes.map((note) =>
        section(t('champion.note.group', { group: note.group.value, people: note.people }), {
          facts: [
            {
              label: t('digest.fact.readiness'),
              value: readinessText(t, note.readiness),
            },
            {
              label: t('champion.note.themes'),
              value:
                note.themes.map((entry) => t(`tag.${entry.theme}`)).join(', ') ||
                t('champion.note.fewComments'),
            },
          ],
          lines: [
            note.step === undefined
              ? t('champion.note.noStep')
              : t('champion.note.step', {
                  step: t(`digest.step.${note.step.id}`),
                  because: becauseText(t, note.step.because),
                }),
          ],
        }),
      ),
      section(t('digest.section.actions'), {
        facts: [
          {
            label: t('digest.fact.actionsOpen'),
            value: open === undefined ? t('digest.none') : String(open),
          },
        ],
      }),
    ],
    canRecord: false,
    canExport: false,
    initiativeId: digest.initiative.id,
    record: {},
  });
}

/** "61 (+6 since the survey before)": movement is between pulse rounds, each published for the group. */
function readinessText(t: Translator, readiness: GroupNote['readiness']): string {
  if (readiness === undefined) return t('digest.none');
  if (readiness.before === undefined) return String(readiness.now);
  const change = readiness.now - readiness.before;
  return t('champion.note.readinessMoved', {
    now: readiness.now,
    change: change > 0 ? `+${change}` : String(change),
  });
}
