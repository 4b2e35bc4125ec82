import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { errorText } from '../../cards/broadcastCards.js';
import { listsCard } from '../../cards/memberCards.js';
import { VERBS } from '../../cards/verbs.js';
import { validateList } from '../../domain/broadcasts/savedList.js';
import { onAction } from '../actionRoute.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { sendCard, type Turn } from '../turn.js';

const listForm = z.object({
  name: z.string().max(2_000).optional().default(''),
  members: z.string().max(50_000).optional().default(''),
});
const listRef = z.object({ listId: z.string().min(1).max(100) });

/** `lists`: the manager's saved audiences: see them, save one (or replace it by name), delete one. */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'lists', async (context, turn) => {
    if (turn.person === undefined) return;
    await sendCard(context, await card(deps, turn, turn.person.tenantId));
  });

  onAction(app, deps, VERBS.listSave, { data: listForm }, async (_context, turn, input) => {
    const tenantId = turn.person.tenantId;
    const [members, existing] = await Promise.all([
      deps.members.list(tenantId),
      deps.savedLists.list(tenantId),
    ]);
    const checked = validateList(input, {
      members,
      existing,
      tenantId,
      newId: deps.newId,
      by: turn.person.aadObjectId,
      now: deps.clock.now(),
    });
    if (!checked.ok) {
      const text = checked.errors.map((error) => errorText(turn.t, error)).join(' ');
      return card(deps, turn, tenantId, { values: input, message: { text, good: false } });
    }
    await deps.savedLists.put(checked.list);
    deps.logger.info({ listId: checked.list.id, people: checked.list.memberIds.length }, 'list saved');
    const text = turn.t('lists.saved', { name: checked.list.name, count: checked.list.memberIds.length });
    return card(deps, turn, tenantId, { message: { text, good: true } });
  });

  onAction(app, deps, VERBS.listDelete, { data: listRef }, async (_context, turn, data) => {
    const tenantId = turn.person.tenantId;
    const list = (await deps.savedLists.list(tenantId)).find((candidate) => candidate.id === data.listId);
    if (list === undefined)
      return card(deps, turn, tenantId, { message: { text: turn.t('lists.error.gone'), good: false } });
    await deps.savedLists.delete(tenantId, list.id);
    deps.logger.info({ listId: list.id }, 'list deleted');
    return card(deps, turn, tenantId, {
      message: { text: turn.t('lists.deleted', { name: list.name }), good: true },
    });
  });
}

async function card(
  deps: BotDeps,
  turn: Turn,
  tenantId: string,
  extra: Pick<Parameters<typeof listsCard>[1], 'values' | 'message'> = {},
) {
  const [lists, people] = await Promise.all([deps.savedLists.list(tenantId), deps.members.list(tenantId)]);
  return listsCard(turn.t, { lists, people, ...extra });
}
