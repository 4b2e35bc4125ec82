import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import {
  advanceChoiceCard,
  advanceConfirmCard,
  advanceDoneCard,
  advanceUndoneCard,
} from '../../cards/advanceCards.js';
import { noticeCard } from '../../cards/cards.js';
import { VERBS } from '../../cards/verbs.js';
import { stageUpdateDraft } from '../../domain/broadcasts/broadcasting.js';
import { argumentsOf } from '../../domain/chat/commands.js';
import {
  advanceConfirmed,
  advanceStage,
  initiativesNamed,
  undoAdvance,
} from '../../domain/initiatives/changes.js';
import type { Initiative } from '../../domain/initiatives/initiative.js';
import { onAction } from '../actionRoute.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { managerOf, sendCard, type Turn } from '../turn.js';
import { compose } from './broadcast.js';
import { changeInitiative, initiativeFor } from './initiatives.js';

/** Where the initiative was when the card was made: the buttons of every advance card carry it. */
const stageRef = z.object({
  initiativeId: z.string().min(1).max(200),
  stage: z.coerce.number().int().min(0).max(1_000),
  cycle: z.coerce.number().int().min(1).max(100_000),
});

/**
 * `advance stage [name]`: asks which initiative when it is not clear, then asks before moving, naming
 * both stages; once moved, the manager gets the stage update to check and send, and can Undo for a while.
 * Moving on and undoing store something, so each press counts once.
 */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'advanceStage', async (context, turn) => {
    const manager = managerOf(turn, deps);
    const name = argumentsOf('advanceStage', context.activity.text ?? '')?.name;
    const candidates = initiativesNamed(await deps.initiatives.list(manager.tenantId), name);
    const [only] = candidates;
    await sendCard(
      context,
      candidates.length === 1 && only !== undefined
        ? confirmCard(deps, turn, only)
        : advanceChoiceCard(turn.t, candidates),
    );
  });

  onAction(app, deps, VERBS.advanceChoose, { data: stageRef }, async (_context, turn, data) =>
    confirmCard(deps, turn, await initiativeFor(deps, turn.person.tenantId, data.initiativeId)),
  );

  onAction(app, deps, VERBS.advanceCancel, { data: stageRef }, async (_context, turn) =>
    noticeCard(turn.t('advance.cancelled')),
  );

  onAction(app, deps, VERBS.advanceConfirm, { data: stageRef, once: true }, async (context, turn, data) => {
    const manager = managerOf(turn, deps);
    // As it was on the card: the change below refuses if it moved since, so this is the stage moved from.
    const initiative = await initiativeFor(deps, manager.tenantId, data.initiativeId);
    const advanced = await changeInitiative(deps, manager.tenantId, data.initiativeId, (current) =>
      advanceConfirmed(current, data, deps.clock.now()),
    );
    deps.logger.info({ initiativeId: advanced.id, stage: advanced.currentStage }, 'initiative advanced');
    const stage = advanced.stages[advanced.currentStage];
    const heading = turn.t('broadcast.stageContext', {
      initiative: advanced.title,
      stage: stage?.title ?? '',
    });
    await sendCard(
      context,
      await compose(deps, manager, turn, { values: stageUpdateDraft(advanced), context: heading }),
    );
    return advanceDoneCard(turn.t, initiative, advanced);
  });

  onAction(app, deps, VERBS.advanceUndo, { data: stageRef, once: true }, async (_context, turn, data) => {
    const back = await changeInitiative(deps, turn.person.tenantId, data.initiativeId, (current) =>
      undoAdvance(current, data, deps.clock.now()),
    );
    deps.logger.info({ initiativeId: back.id, stage: back.currentStage }, 'initiative advance undone');
    return advanceUndoneCard(turn.t, back);
  });
}

/** The question before moving on; an initiative at its last stage is refused here, before any press. */
function confirmCard(deps: BotDeps, turn: Turn, initiative: Initiative) {
  return advanceConfirmCard(turn.t, initiative, advanceStage(initiative, deps.clock.now()));
}
