import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/cards/verbs.js';
import {
  executeAction,
  fileConsentAnswer,
  type Person,
  person,
  personalInstall,
  TENANT,
} from '../support/activities.js';
import { actionsIn, buttonData, type Chat, chat, choiceLists } from '../support/chat.js';
import { type RecordingConnector, startRecordingConnector } from '../support/recordingConnector.js';
import { conversationIdOf, seedStaff } from '../support/staff.js';
import { startTestHuddle, type TestHuddle } from '../support/testHuddle.js';

const manager = person(2, 'Alex Wilber');
let connector: RecordingConnector;
let bot: TestHuddle;
let where: { serviceUrl: string };
let staff: Person[];
let press: Chat['press'];
let say: Chat['say'];

const form = (overrides: Record<string, string> = {}) => ({
  title: 'Digital care planning',
  why: 'Paper care plans get lost between shifts and agency staff cannot find them.',
  vision: 'Everyone sees the same up-to-date plan on a handheld device.',
  model: 'kotter',
  audience: 'unit:Willow',
  owners: manager.aadObjectId,
  champions: '',
  objective1Text: "All residents' care plans are on the digital system",
  objective1Kpi: 'Care plans on the system',
  objective1Unit: '%',
  objective1Baseline: '0',
  objective1Target: '100',
  objective1Due: '2099-02-28',
  ...overrides,
});

beforeAll(async () => {
  connector = await startRecordingConnector();
  where = { serviceUrl: connector.serviceUrl };
  bot = await startTestHuddle({ HUDDLE_MANAGERS: manager.aadObjectId });
  ({ press, say } = chat(bot, connector));
  await bot.post(personalInstall(manager, where));
  staff = await seedStaff(bot.huddle.storage, connector.serviceUrl, 6);
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
});

describe('a manager starts a change initiative', () => {
  it('offers the groups and people Huddle knows on the form', async () => {
    const card = await say(manager, 'new initiative');
    expect(card).toContain('New change initiative');
    expect(card).toContain('Team or unit: Willow');
    expect(card).toContain('Carer 1');
    expect(card).toContain("Kotter's 8 steps");
    // Empty objective rows are empty: no number box arrives with a value for the client to show as 0.
    const numbers = (JSON.parse(card) as unknown[]).flatMap(
      (activity) => JSON.stringify(activity).match(/\{"type":"Input\.Number"[^}]*\}/g) ?? [],
    );
    expect(numbers).toHaveLength(6);
    for (const box of numbers) expect(box).not.toContain('"value"');
  });

  it('lists every problem, keeps what was typed and stores nothing', async () => {
    const card = await press(
      manager,
      VERBS.initiativeCreate,
      form({
        why: '',
        champions: 'aad-somebody-who-left',
        objective1Target: '',
        objective1Due: '2020-01-01',
      }),
    );
    expect(card).toContain('Why we are changing (the drivers, in plain words): this is needed.');
    expect(card).toContain('Champions on the floor: someone chosen is no longer in Huddle');
    expect(card).toContain('Objective 1: fill in the objective, the measure, now, target and date');
    expect(card).toContain('Digital care planning'); // what was typed is still there
    expect(choiceLists(card)).toEqual(choiceLists(await say(manager, 'new initiative')));
    expect(await bot.huddle.storage.initiatives.list(TENANT)).toEqual([]);
  });

  it('saves a valid initiative with its model stages and opens the stage editor', async () => {
    const champion = staff[0] as Person;
    const card = await press(manager, VERBS.initiativeCreate, form({ champions: champion.aadObjectId }));
    expect(card).toContain('Stages of Digital care planning');
    expect(card).toContain('Why we need to change');
    const [saved] = await bot.huddle.storage.initiatives.list(TENANT);
    expect(saved).toMatchObject({
      title: 'Digital care planning',
      model: 'kotter',
      currentStage: 0,
      audience: { kind: 'groups', groups: [{ unit: 'Willow' }] },
      owners: [manager.aadObjectId],
      champions: [champion.aadObjectId],
    });
    expect(saved?.stages).toHaveLength(8);
    expect(saved?.objectives[0]?.kpi).toEqual({
      name: 'Care plans on the system',
      unit: '%',
      baseline: 0,
      target: 100,
      due: '2099-02-28',
    });
    expect(JSON.stringify(connector.sent().at(-1))).toContain(
      'Saved **Digital care planning**, with 8 stages',
    );
  });

  it('edits stage words and dates, refuses an end before the start, and adds a stage', async () => {
    const [initiative] = await bot.huddle.storage.initiatives.list(TENANT);
    const id = initiative?.id ?? '';
    const rows: Record<string, string> = { initiativeId: id };
    initiative?.stages.forEach((stage, index) => {
      rows[`stage${index + 1}Title`] = stage.title;
      rows[`stage${index + 1}Explanation`] = stage.explanation;
      rows[`stage${index + 1}Start`] = '';
      rows[`stage${index + 1}End`] = '';
    });
    const backwards = await press(manager, VERBS.stagesSave, {
      ...rows,
      stage1Start: '2026-12-14',
      stage1End: '2026-12-01',
    });
    expect(backwards).toContain('Stage 1: it ends before it starts.');
    expect((await bot.huddle.storage.initiatives.get(TENANT, id))?.stages[0]?.plannedStart).toBeUndefined();

    const saved = await press(manager, VERBS.stagesSave, {
      ...rows,
      stage1Title: 'Why paper has to go',
      stage1Start: '2026-12-01',
      stage1End: '2026-12-14',
      stage9Title: 'Review with residents and families',
      stage9Explanation: 'We ask residents and families what changed for them.',
      stage9Start: '',
      stage9End: '',
    });
    expect(saved).toContain('Saved.');
    const stored = await bot.huddle.storage.initiatives.get(TENANT, id);
    expect(stored?.stages).toHaveLength(9);
    expect(stored?.stages[0]).toMatchObject({
      title: 'Why paper has to go',
      plannedStart: '2026-12-01',
      plannedEnd: '2026-12-14',
    });
    expect(stored?.stages[8]?.focus).toEqual(['reinforcement']);

    const list = await say(manager, 'initiatives');
    expect(list).toContain('Stage 1 of 9: Why paper has to go');
    expect(list).toContain('Owners: Alex Wilber. Champions: Carer 1.');
  });

  it('refuses staff who are not managers, and stores nothing', async () => {
    const carer = staff[1] as Person;
    expect(await say(carer, 'new initiative')).toContain('only someone with the Manager role');
    expect(await press(carer, VERBS.initiativeCreate, form({ title: 'Sneaky change' }))).toContain(
      'only someone with the Manager role',
    );
    expect((await bot.huddle.storage.initiatives.list(TENANT)).map((initiative) => initiative.title)).toEqual(
      ['Digital care planning'],
    );
  });
});

describe('Export evidence on the initiatives card', () => {
  const xmlOf = (bytes: Uint8Array) => strFromU8(unzipSync(bytes)['word/document.xml'] ?? new Uint8Array());
  const sentSince = (count: number) =>
    connector
      .sent()
      .slice(count)
      .map((activity) => JSON.stringify(activity));

  it('offers a change with nothing in it yet as a Word file and saves it once the manager allows it', async () => {
    expect(await say(manager, 'initiatives')).toContain('Export evidence');
    const ref = buttonData(connector, conversationIdOf(manager), VERBS.evidenceExport);
    const initiativeId = (await bot.huddle.storage.initiatives.list(TENANT))[0]?.id;
    expect(ref).toEqual({ initiativeId });
    const before = connector.sent().length;
    // The initiatives card stays; Teams asks the manager whether to save the file.
    expect(await press(manager, VERBS.evidenceExport, ref)).toContain('Edit stages');
    const [offer] = (await connector.waitForSent(before + 1)).slice(before);
    type Consent = { contentType: string; name: string; content: Record<string, unknown> };
    const consent = (offer?.attachments as Consent[] | undefined)?.[0];
    const context = { file: 'evidence', initiativeId };
    expect(consent).toMatchObject({
      contentType: 'application/vnd.microsoft.teams.card.file.consent',
      name: `evidence-${initiativeId}.docx`,
      content: { acceptContext: context, declineContext: context },
    });

    const accept = (who: Person, uploadUrl: string) =>
      bot.post(
        fileConsentAnswer(who, where, { action: 'accept', context, consentId: 'consent-1', uploadUrl }),
      );
    let mark = connector.sent().length;
    expect((await accept(manager, connector.uploadUrl('evidence.docx'))).status).toBe(200);
    const [file] = connector.uploads;
    const xml = xmlOf(file?.bytes ?? new Uint8Array());
    expect(xml).toContain('Evidence pack: Digital care planning');
    expect(xml).toContain('Nothing has happened in this change yet');
    // A manager alone is not shown safeguarding figures, as on the digest.
    expect(xml).toContain('Safeguarding figures are shown to leaders and safeguarding leads only');
    expect(sentSince(mark).join()).toContain('Saved results.csv to your OneDrive');

    // OneDrive refuses: told why, and nothing is saved.
    mark = connector.sent().length;
    expect((await accept(manager, connector.uploadUrl('evidence.docx', 'full'))).status).toBe(200);
    expect(sentSince(mark).join()).toContain(
      'The evidence pack could not be saved to your OneDrive (HTTP 507). Nothing was saved',
    );
    mark = connector.sent().length;
    await bot.post(fileConsentAnswer(manager, where, { action: 'decline', context, consentId: 'consent-1' }));
    expect(sentSince(mark).join()).toContain('No evidence pack was saved.');
    expect(connector.uploads).toHaveLength(1);
  });

  it('refuses staff plainly, on the button and on a replayed consent, and saves nothing', async () => {
    const carer = staff[1] as Person;
    const initiativeId = (await bot.huddle.storage.initiatives.list(TENANT))[0]?.id ?? '';
    expect(await press(carer, VERBS.evidenceExport, { initiativeId })).toContain(
      'only someone with the Manager or Admin role',
    );
    const mark = connector.sent().length;
    await bot.post(
      fileConsentAnswer(carer, where, {
        action: 'accept',
        context: { file: 'evidence', initiativeId },
        consentId: 'consent-2',
        uploadUrl: connector.uploadUrl('evidence.docx'),
      }),
    );
    expect(sentSince(mark).join()).toContain('only someone with the Manager or Admin role');
    // A change that is not there is refused too, and only in the manager's own chat is a file offered.
    expect(await press(manager, VERBS.evidenceExport, { initiativeId: 'no-such-change' })).toContain(
      'That initiative no longer exists.',
    );
    const inGroup = await bot.post({
      ...executeAction(manager, VERBS.evidenceExport, where, { initiativeId }),
      conversation: { id: '19:managers@thread.v2', conversationType: 'groupChat', tenantId: TENANT },
    });
    expect(JSON.stringify(inGroup.body)).toContain('Evidence packs can only be saved in your own chat');
    expect(connector.uploads).toHaveLength(1);
  });
});

describe('objective rows', () => {
  it('ignores objective rows left untouched, even with the 0s some clients put in empty number boxes', async () => {
    const card = await press(
      manager,
      VERBS.initiativeCreate,
      form({
        title: 'Falls prevention',
        objective2Text: '',
        objective2Baseline: '0',
        objective2Target: '0',
        objective3Baseline: '0',
        objective3Target: '0',
      }),
    );
    expect(card).toContain('Stages of Falls prevention');
    expect(card).not.toContain('Objective 2: fill in');
    const saved = (await bot.huddle.storage.initiatives.list(TENANT)).find(
      (i) => i.title === 'Falls prevention',
    );
    expect(saved?.objectives).toHaveLength(1);
  });
});

describe('a manager looks after an initiative', () => {
  const digital = async () =>
    (await bot.huddle.storage.initiatives.list(TENANT)).find((one) => one.title === 'Digital care planning');

  it('`initiatives` shows each one’s why, audience, dates, objectives and measures, with both editors', async () => {
    const list = await say(manager, 'initiatives');
    expect(list).toMatch(/"title":"Who it involves","value":"Team or unit: Willow"/);
    expect(list).toMatch(/"title":"This stage","value":"1 December 2026 to 14 December 2026"/);
    expect(list).toContain('Paper care plans get lost between shifts');
    expect(list).toContain(
      "All residents' care plans are on the digital system: Care plans on the system from 0% to 100% by 28 February 2099; no value recorded yet",
    );
    expect(list).toContain('Edit why, vision and objectives');
    expect(list).toContain('Edit stages');
  });

  it('edits the why, vision and objectives with the new-initiative rules, keeping a KPI value recorded meanwhile', async () => {
    const before = await digital();
    const id = before?.id ?? '';
    const opened = await press(manager, VERBS.initiativeEdit, { initiativeId: id });
    expect(opened).toContain('Edit Digital care planning');
    expect(opened).toContain('Everyone sees the same up-to-date plan on a handheld device.');
    expect(opened).toContain('"value":"Care plans on the system"');
    expect(opened).not.toContain('"id":"model"'); // the stages have their own editor
    expect(actionsIn(JSON.parse(opened), VERBS.initiativeSave)[0]?.data).toEqual({ initiativeId: id });

    const edited = form({
      initiativeId: id,
      why: 'Agency staff could not find the plans on nights, and a fall was missed.',
      vision: 'Every carer opens the right plan in seconds, day or night.',
      objective1Text: 'Every care plan is on the tablets',
      objective2Text: 'Handover uses the tablets',
      objective2Kpi: 'Handovers using tablets',
      objective2Unit: '%',
      objective2Baseline: '10',
      objective2Target: '90',
      objective2Due: '2099-06-30',
    });
    const refused = await press(manager, VERBS.initiativeSave, { ...edited, why: '', objective2Target: '' });
    expect(refused).toContain('Why we are changing (the drivers, in plain words): this is needed.');
    expect(refused).toContain('Objective 2: fill in the objective');
    expect(await digital()).toEqual(before);
    // The edit form, shown and shown again with a problem, offers the lists of the new-initiative form
    // (but the model, whose stages have their own editor).
    const { model: _model, ...lists } = choiceLists(await say(manager, 'new initiative'));
    expect(choiceLists(opened)).toEqual(lists);
    expect(choiceLists(refused)).toEqual(lists);

    // A KPI value recorded from the digest after the form was opened, before Save.
    await bot.huddle.storage.initiatives.modify(TENANT, id, (current) => ({
      ...current,
      objectives: current.objectives.map((objective) => ({
        ...objective,
        kpi: { ...objective.kpi, readings: [{ value: 40, on: '2026-12-01', by: manager.aadObjectId }] },
      })),
    }));
    const saved = await press(manager, VERBS.initiativeSave, edited);
    expect(saved).toContain('Saved the changes to **Digital care planning**.');
    expect(saved).toContain('Every carer opens the right plan in seconds, day or night.');
    expect(saved).toContain('latest 40% on 1 December 2026');
    const after = await digital();
    expect(after).toMatchObject({
      why: 'Agency staff could not find the plans on nights, and a fall was missed.',
      vision: 'Every carer opens the right plan in seconds, day or night.',
      stages: before?.stages,
      currentStage: before?.currentStage,
    });
    expect(
      after?.objectives.map((objective) => [objective.text, objective.kpi.readings?.length ?? 0]),
    ).toEqual([
      ['Every care plan is on the tablets', 1],
      ['Handover uses the tablets', 0],
    ]);
    expect(await press(staff[1] as Person, VERBS.initiativeSave, edited)).toContain(
      'only someone with the Manager role',
    );
  });

  it("shows the owner their initiative in what's changing, though it is for Willow and they are not in it", async () => {
    expect(await say(manager, "what's changing")).toContain('Digital care planning');
    // Carer 2 is in Rowan and owns nothing.
    expect(await say(staff[1] as Person, "what's changing")).not.toContain('Digital care planning');
  });
});
