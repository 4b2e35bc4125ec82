import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { deleteConfirmCard, myDataCard, noticeCard } from '../../cards/cards.js';
import { VERBS } from '../../cards/verbs.js';
import { deleteMyData, describeMyData } from '../../domain/people/myData.js';
import { onAction } from '../actionRoute.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { sendCard, sendText } from '../turn.js';
import { installPersonally } from './install.js';

/** The confirmation card's buttons carry no data. */
const nothing = z.object({});

/**
 * `my data`, `delete my data` (with a confirmation card that updates in place) and `start`, which lets
 * someone who deleted their data hear from Huddle again (welcomed afresh, since that record went too).
 * Each acts only on the person who asked.
 */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'myData', async (context, turn) => {
    if (turn.member === undefined) {
      await sendText(context, turn.t('myData.nothing'));
      return;
    }
    await sendCard(context, myDataCard(turn.t, describeMyData(turn.member, deps.bootstrap)));
  });

  onCommand(app, deps, 'deleteMyData', async (context, turn) => {
    if (turn.member === undefined) {
      await sendText(context, turn.t('delete.nothing'));
      return;
    }
    await sendCard(context, deleteConfirmCard(turn.t));
  });

  onAction(app, deps, VERBS.deleteMyDataConfirm, { data: nothing }, async (_context, turn) => {
    const deleted = await deleteMyData(deps, turn.person.tenantId, turn.person.aadObjectId);
    deps.logger.info({ activityId: turn.facts.id, deleted }, 'member deleted their data');
    return noticeCard(turn.t(deleted ? 'delete.done' : 'delete.nothing'));
  });

  onAction(app, deps, VERBS.deleteMyDataCancel, { data: nothing }, async (_context, turn) =>
    noticeCard(turn.t('delete.cancelled')),
  );

  onCommand(app, deps, 'start', async (context, turn) => {
    if (turn.person === undefined) {
      await sendText(context, turn.t('unknown.help'));
      return;
    }
    const { member, welcomed } = await installPersonally(context, deps, turn.person);
    if (!welcomed) await sendText(context, turn.t('start.done', { name: member.name }));
  });
}
