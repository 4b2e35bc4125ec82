import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import {
  initiativeFormCard,
  initiativesCard,
  objectiveInputIds,
  stageInputIds,
  stagesFormCard,
} from '../../cards/initiativeCards.js';
import { VERBS } from '../../cards/verbs.js';
import { currentChampions } from '../../domain/champions/championGroups.js';
import type { Initiative } from '../../domain/initiatives/initiative.js';
import {
  applyEdits,
  groupKeys,
  type InitiativeInput,
  inputOf,
  OBJECTIVE_ROWS,
  type StageInput,
  validateEdits,
  validateInitiative,
  validateStages,
} from '../../domain/initiatives/initiativeForm.js';
import { UserInputError } from '../../domain/shared/errors.js';
import { onAction, unsaved } from '../actionRoute.js';
import { formData } from '../cardData.js';
import { onCommand } from '../commandRoute.js';
import type { BotDeps } from '../deps.js';
import { sendCard, sendText, type Turn } from '../turn.js';

const initiativeRef = z.object({ initiativeId: z.string().min(1).max(200) });
/** Stage rows the editor can send back: the longest model plus spare rows, with room to grow. */
const MAX_STAGE_ROWS = 20;

const emptyInput = (): InitiativeInput => ({
  title: '',
  why: '',
  vision: '',
  model: 'kotter',
  audience: 'all',
  owners: '',
  champions: '',
  objectives: [],
});

/** `new initiative` (form, validated, stored with the model's stages), `initiatives`, and the stage editor. */
export function register(app: Application, deps: BotDeps): void {
  onCommand(app, deps, 'newInitiative', async (context, turn) => {
    const tenantId = tenantOf(turn);
    await sendCard(
      context,
      await form(deps, turn, tenantId, { ...emptyInput(), owners: turn.person?.aadObjectId ?? '' }, []),
    );
  });

  onAction(app, deps, VERBS.initiativeCreate, { data: formData, once: true }, async (context, turn, data) => {
    const input = initiativeInputOf(data);
    const members = await deps.members.list(turn.person.tenantId);
    const checked = validateInitiative(input, {
      members,
      now: deps.clock.now(),
      words: (key) => turn.t(key),
      tenantId: turn.person.tenantId,
      id: `${slug(input.title)}-${deps.newId().slice(0, 6)}`,
    });
    if (!checked.ok) return unsaved(await form(deps, turn, turn.person.tenantId, input, checked.errors));
    const { initiative } = checked;
    await deps.initiatives.put(initiative);
    deps.logger.info({ initiativeId: initiative.id, model: initiative.model }, 'initiative created');
    const stage = initiative.stages[0];
    await sendText(
      context,
      stage === undefined
        ? turn.t('initiative.createdCustom', { title: initiative.title })
        : turn.t('initiative.created', {
            title: initiative.title,
            stages: initiative.stages.length,
            stage: stage.title,
          }),
    );
    return stagesFormCard(turn.t, { initiative, errors: [] });
  });

  onCommand(app, deps, 'initiatives', async (context, turn) => {
    await sendCard(context, await initiativesList(deps, turn, tenantOf(turn)));
  });

  onAction(app, deps, VERBS.initiativeEdit, { data: initiativeRef }, async (_context, turn, data) => {
    const initiative = await initiativeFor(deps, turn.person.tenantId, data.initiativeId);
    return form(deps, turn, initiative.tenantId, inputOf(initiative), [], initiative);
  });

  onAction(
    app,
    deps,
    VERBS.initiativeSave,
    { data: initiativeRef.and(formData) },
    async (_context, turn, data) => {
      const initiative = await initiativeFor(deps, turn.person.tenantId, data.initiativeId);
      const input = initiativeInputOf(data);
      const members = await deps.members.list(initiative.tenantId);
      const checked = validateEdits(initiative, input, {
        members,
        now: deps.clock.now(),
        words: (key) => turn.t(key),
      });
      if (!checked.ok) return form(deps, turn, initiative.tenantId, input, checked.errors, initiative);
      // Applied to the row as it is now, so a stage move or a KPI value recorded meanwhile is kept.
      const saved = await changeInitiative(deps, initiative.tenantId, initiative.id, (current) =>
        applyEdits(current, checked.edits, deps.clock.now()),
      );
      deps.logger.info({ initiativeId: saved.id, objectives: saved.objectives.length }, 'initiative edited');
      return initiativesList(deps, turn, saved.tenantId, saved);
    },
  );

  onAction(app, deps, VERBS.stagesEdit, { data: initiativeRef }, async (_context, turn, data) => {
    const initiative = await initiativeFor(deps, turn.person.tenantId, data.initiativeId);
    return stagesFormCard(turn.t, { initiative, errors: [] });
  });

  onAction(
    app,
    deps,
    VERBS.stagesSave,
    { data: initiativeRef.and(formData) },
    async (_context, turn, data) => {
      const initiative = await initiativeFor(deps, turn.person.tenantId, data.initiativeId);
      const rows = stageRowsOf(data);
      const checked = validateStages(initiative, rows, deps.clock.now());
      if (!checked.ok) return stagesFormCard(turn.t, { initiative, rows, errors: checked.errors });
      const saved = await changeInitiative(deps, initiative.tenantId, initiative.id, (current) => {
        const again = validateStages(current, rows, deps.clock.now());
        return again.ok ? again.initiative : current;
      });
      deps.logger.info(
        { initiativeId: initiative.id, stages: checked.initiative.stages.length },
        'stages edited',
      );
      return stagesFormCard(turn.t, { initiative: saved, errors: [], saved: true });
    },
  );
}

/** The initiative form, new or (with `editing`) filled in from an initiative. */
async function form(
  deps: BotDeps,
  turn: Turn,
  tenantId: string,
  values: InitiativeInput,
  errors: Parameters<typeof initiativeFormCard>[1]['errors'],
  editing?: Initiative,
) {
  const members = await deps.members.list(tenantId);
  return initiativeFormCard(turn.t, { values, groups: groupKeys(members), people: members, errors, editing });
}

/** The `initiatives` card: every initiative of the tenant; `saved` is the one just edited. */
export async function initiativesList(deps: BotDeps, turn: Turn, tenantId: string, saved?: Initiative) {
  const [initiatives, members] = await Promise.all([
    deps.initiatives.list(tenantId),
    deps.members.list(tenantId),
  ]);
  const names = new Map(members.map((member) => [member.aadObjectId, member.name]));
  // Champions who have left are not listed (they stay stored, in case they come back to a team).
  const shown = initiatives.map((initiative) => ({
    ...initiative,
    champions: currentChampions(initiative, members).map((champion) => champion.aadObjectId),
  }));
  return initiativesCard(turn.t, shown, (id) => names.get(id), turn.roles, saved);
}

/** The initiative a card refers to, in the manager's own tenant. */
export async function initiativeFor(deps: BotDeps, tenantId: string, id: string) {
  const initiative = await deps.initiatives.get(tenantId, id);
  if (initiative === undefined) throw new UserInputError('broadcast.error.unknownInitiative', {});
  return initiative;
}

/**
 * Changes an initiative with optimistic concurrency, so a stage move, a stage edit and a KPI value recorded
 * at the same moment do not overwrite one another. `change` may throw a refusal: nothing is then written.
 */
export async function changeInitiative(
  deps: BotDeps,
  tenantId: string,
  id: string,
  change: (current: Initiative) => Initiative,
): Promise<Initiative> {
  const changed = await deps.initiatives.modify(tenantId, id, change);
  if (changed === undefined) throw new UserInputError('broadcast.error.unknownInitiative', {});
  return changed;
}

function tenantOf(turn: Turn): string {
  if (turn.person === undefined) throw new UserInputError('error.notAllowed', { role: 'manager' });
  return turn.person.tenantId;
}

function initiativeInputOf(data: Record<string, string>): InitiativeInput {
  const value = (key: string) => data[key] ?? '';
  return {
    title: value('title'),
    why: value('why'),
    vision: value('vision'),
    model: value('model'),
    audience: value('audience'),
    owners: value('owners'),
    champions: value('champions'),
    objectives: Array.from({ length: OBJECTIVE_ROWS }, (_, index) => {
      const ids = objectiveInputIds(index + 1);
      return {
        text: value(ids.text),
        kpiName: value(ids.kpiName),
        unit: value(ids.unit),
        baseline: value(ids.baseline),
        target: value(ids.target),
        due: value(ids.due),
      };
    }),
  };
}

/** The rows the editor sent, in order, up to the last one present. */
function stageRowsOf(data: Record<string, string>): StageInput[] {
  const rows: StageInput[] = [];
  for (let number = 1; number <= MAX_STAGE_ROWS; number++) {
    const ids = stageInputIds(number);
    if (!(ids.title in data)) break;
    rows.push({
      title: data[ids.title] ?? '',
      explanation: data[ids.explanation] ?? '',
      start: data[ids.start] ?? '',
      end: data[ids.end] ?? '',
    });
  }
  return rows;
}

/** A readable id from the title ("Digital care planning" -> "digital-care-planning"). */
function slug(title: string): string {
  return (
    title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'initiative'
  );
}
