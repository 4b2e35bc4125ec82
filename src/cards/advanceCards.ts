import { positionOf, UNDO_ADVANCE_MS } from '../domain/initiatives/changes.js';
import type { Initiative } from '../domain/initiatives/initiative.js';
import type { Translator } from '../i18n/strings.js';
import { type Card, expandTemplate } from './render.js';
import { VERBS } from './verbs.js';

/**
 * `advance stage`, one card in three states: the initiatives to choose from, the question naming both
 * stages, and what happened with Undo. Each button carries where the initiative was when the card was
 * made, so a press from an older card is refused instead of moving it on again.
 */

interface Button {
  title: string;
  verb: string;
  initiativeId: string;
  stage: number;
  cycle: number;
}

const card = (title: string, body: string, buttons: Button[]): Card =>
  expandTemplate('advance-stage', { title, body, buttons });

const button = (title: string, verb: string, initiative: Initiative): Button => ({
  title,
  verb,
  initiativeId: initiative.id,
  ...positionOf(initiative),
});

/** Stage number, title (with the PDSA cycle) and count, as the advance strings take them. */
function stageWords(t: Translator, initiative: Initiative) {
  const title = initiative.stages[initiative.currentStage]?.title ?? '';
  return {
    number: initiative.currentStage + 1,
    total: initiative.stages.length,
    stage:
      initiative.model === 'pdsa'
        ? t('advance.inCycle', { stage: title, cycle: positionOf(initiative).cycle })
        : title,
  };
}

const fromWords = (t: Translator, initiative: Initiative) => {
  const { number, stage } = stageWords(t, initiative);
  return { fromNumber: number, from: stage };
};

export function advanceChoiceCard(t: Translator, initiatives: readonly Initiative[]): Card {
  return card(
    t('advance.choose'),
    '',
    initiatives.map((initiative) =>
      button(
        t('advance.chooseButton', { initiative: initiative.title, ...stageWords(t, initiative) }),
        VERBS.advanceChoose,
        initiative,
      ),
    ),
  );
}

/** The question, with `next` the initiative as it would be once moved on (nothing is stored yet). */
export function advanceConfirmCard(t: Translator, initiative: Initiative, next: Initiative): Card {
  return card(
    t('advance.confirmTitle', { initiative: initiative.title }),
    t('advance.confirm', { ...fromWords(t, initiative), ...stageWords(t, next) }),
    [
      button(t('advance.yes'), VERBS.advanceConfirm, initiative),
      button(t('advance.no'), VERBS.advanceCancel, initiative),
    ],
  );
}

export function advanceDoneCard(t: Translator, before: Initiative, after: Initiative): Card {
  return card(
    t('advance.doneTitle', { initiative: after.title }),
    t('advance.done', {
      ...fromWords(t, before),
      ...stageWords(t, after),
      minutes: UNDO_ADVANCE_MS / 60_000,
    }),
    [button(t('advance.undo'), VERBS.advanceUndo, after)],
  );
}

export function advanceUndoneCard(t: Translator, initiative: Initiative): Card {
  return card(
    t('advance.undoneTitle', { initiative: initiative.title }),
    t('advance.undone', stageWords(t, initiative)),
    [],
  );
}
