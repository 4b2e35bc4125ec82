import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promptsDir } from '../../src/paths.js';
import { type ChatRequest, startChatCompletions } from '../support/chatCompletions.js';
import { runHuddle } from '../support/processes.js';

const dir = mkdtempSync(join(tmpdir(), 'huddle-eval-'));
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

// What the local classifier reads in each (checked against it): the figures below are worked out from these.
const NOT_CONSULTED = 'Nobody asked the night staff, not once'; // not_consulted
const TRAINING = 'More training please.\nThe session was too short'; // training_gap
const SLAP = 'I saw a carer slap Mr T on nights'; // resident_safety, flagged
const BOXES = 'Care is about people and touch and talking, not ticking boxes on a screen'; // resident_safety, flagged
const TOILET = 'Mr L was left on the toilet for over an hour because everyone went on break.'; // workload_time
const FATIGUE = 'Another change, here we go again'; // change_fatigue
const LOVE = 'I love the new app'; // supportive
const WORDS = ['night staff', 'session', 'carer', 'ticking boxes', 'toilet', 'here we go', 'love the new'];

const csv = file(
  'labelled.csv',
  'id,text,theme,safeguarding\n' +
    `1,"${NOT_CONSULTED}",not_consulted,false\n` +
    `2,"${TRAINING}",training_gap,no\n` + // lines 3-4
    `3,${SLAP},resident_safety,yes\n` +
    `4,"${BOXES}",identity_values,false\n` + // a false alarm, and the wrong theme
    `5,${TOILET},resident_safety,true\n` + // a disclosure the local classifier misses
    `6,"${FATIGUE}",,0\n` + // labelled for safeguarding only
    `7,${LOVE},supportive,maybe\n` +
    '8,a row with too few fields\n',
);

describe('huddle eval, with the local classifier', () => {
  it('scores a CSV: figures per theme, macro-F1, accuracy and safeguarding, bad lines named, no comment printed', async () => {
    const { code, stdout } = await runHuddle(['eval', '--in', csv]);
    expect(code).toBe(0);
    // Themes over the 5 comments with a theme label. Given or labelled: workload_time (given once, wrongly),
    // training_gap (1 of 1), identity_values (labelled once, never given), resident_safety (1 right of 2
    // given, 1 of 2 found), not_consulted (1 of 1). Macro-F1 (0 + 1 + 0 + 0.5 + 1) / 5; 3 of 5 right.
    // Safeguarding over all 6: disclosures on lines 5 and 7; flagged 5 and 6.
    expect(stdout).toBe(
      [
        `${csv}: 6 comments read by the local classifier`,
        'line 9 skipped: the safeguarding label "maybe" is not true/false, yes/no or 1/0',
        'line 10 skipped: a different number of fields from the header',
        '2 lines skipped.',
        'themes scored on the 5 of 6 comments with a theme label',
        'theme                   precision  recall  f1    support',
        'workload_time           0.00       0.00    0.00  0',
        'training_gap            1.00       1.00    1.00  1',
        'identity_values         0.00       0.00    0.00  1',
        'resident_safety         0.50       0.50    0.50  2',
        'not_consulted           1.00       1.00    1.00  1',
        'macro-F1 0.50   accuracy 0.60',
        'safeguarding precision 0.50 recall 0.50 (2 disclosures)',
        '  1 of 2 disclosures flagged; 1 of 4 other comments flagged (false-alarm rate 0.25)',
        '',
      ].join('\n'),
    );
  }, 60_000);

  it('scores a JSONL file labelled for safeguarding only, as JSON, and lists misread comments only when asked', async () => {
    const jsonl = file(
      'labelled.jsonl',
      [
        JSON.stringify({ text: SLAP, safeguarding: true }),
        JSON.stringify({ text: TOILET, safeguarding: true }),
        JSON.stringify({ text: BOXES, safeguarding: false }),
        JSON.stringify({ text: LOVE, safeguarding: 'no' }),
        'not json',
      ].join('\n'),
    );
    const plain = await runHuddle(['eval', '--in', jsonl, '--json']);
    expect(plain.code).toBe(0);
    const report = JSON.parse(plain.stdout);
    expect(report).toMatchObject({
      file: jsonl,
      classifier: 'the local classifier',
      comments: 4,
      skipped: [{ line: 5, reason: 'not valid JSON' }],
      fallbacks: 0,
      themes: null,
      safeguarding: { precision: 0.5, recall: 0.5, found: 1, flagged: 2, falseAlarms: 1, others: 2 },
    });
    expect(report.safeguarding.falseAlarmRate).toBe(0.5);
    expect(report).not.toHaveProperty('misread');
    for (const words of WORDS) expect(plain.stdout).not.toContain(words);

    const asked = await runHuddle(['eval', '--in', jsonl, '--errors']);
    expect(asked.stdout).toContain('themes not scored: no comment has a theme label');
    expect(asked.stdout).toContain(`  line 2: (no theme)+SG -> workload_time: ${TOILET}`);
    expect(asked.stdout).toContain(`  line 3: (no theme) -> resident_safety+SG: ${BOXES}`);
    expect(asked.stdout).not.toContain(SLAP);

    // With the screen, as the server flags: the neglect the lexicon missed is found.
    const screened = await runHuddle(['eval', '--in', jsonl, '--json', '--screen']);
    expect(JSON.parse(screened.stdout)).toMatchObject({
      classifier: 'the local classifier with the disclosure screen',
      safeguarding: { recall: 1, found: 2, flagged: 3, falseAlarms: 1, others: 2 },
    });
  }, 60_000);
});

describe('huddle eval --classifier model, against an OpenAI-compatible service on loopback', () => {
  const modelFile = file(
    'model.csv',
    'text,theme,safeguarding,staff_name\n' +
      `"${NOT_CONSULTED}",job_security,false,Jane Doe\n` +
      `"${FATIGUE}",job_security,false,Jane Doe\n` +
      `${TOILET},resident_safety,true,Jane Doe\n`,
  );
  let failTraining = false;
  let service: Awaited<ReturnType<typeof startChatCompletions>>;
  const modelEnv = () => ({ HUDDLE_MODEL_ENDPOINT: service.endpoint, HUDDLE_MODEL_KEY: 'sk-test' });

  // Answers the local classifier would not give: job_security, and the toilet comment as a disclosure.
  const answer = ({ body }: ChatRequest) => {
    const text = body.messages.at(-1)?.content ?? '';
    if (failTraining && text === FATIGUE) return { status: 500 };
    const disclosure = text === TOILET;
    return {
      content: JSON.stringify({
        primaryTheme: disclosure ? 'resident_safety' : 'job_security',
        themes: [],
        sentiment: -0.2,
        resistance: 'low',
        resistanceKind: 'cognitive',
        safeguarding: disclosure,
      }),
    };
  };

  beforeAll(async () => {
    service = await startChatCompletions(answer);
  });
  afterAll(async () => service?.close());

  it("scores the model's answers, and sends each comment's words with the prompt and nothing else", async () => {
    const { code, stdout } = await runHuddle(
      ['eval', '--in', modelFile, '--classifier', 'model'],
      modelEnv(),
    );
    expect(code).toBe(0);
    const host = new URL(service.endpoint).host;
    expect(stdout).toContain(`3 comments read by model gpt-4o-mini at ${host}`);
    expect(stdout).not.toContain('fell back');
    // The local classifier would give not_consulted, change_fatigue and workload_time, and miss the disclosure.
    expect(stdout).toContain('job_security            1.00       1.00    1.00  2');
    expect(stdout).toContain('resident_safety         1.00       1.00    1.00  1');
    expect(stdout).toContain('macro-F1 1.00   accuracy 1.00');
    expect(stdout).toContain('safeguarding precision 1.00 recall 1.00 (1 disclosures)');

    const prompt = readFileSync(join(promptsDir, 'classify', 'skprompt.txt'), 'utf8');
    expect(service.requests).toHaveLength(3);
    expect(service.requests.map(({ body }) => body.messages.at(-1)?.content).sort()).toEqual(
      [NOT_CONSULTED, FATIGUE, TOILET].sort(),
    );
    for (const { body } of service.requests) {
      const [system, user, ...more] = body.messages;
      expect(more).toEqual([]);
      expect(system).toEqual({ role: 'system', content: prompt });
      expect(user?.role).toBe('user');
      // The rest of the request is settings: no label, other column, file name or line number.
      const settings = JSON.stringify({ ...body, messages: undefined });
      for (const leak of ['Jane Doe', 'staff_name', 'resident_safety', 'model.csv', '"line"']) {
        expect(settings).not.toContain(leak);
      }
    }
  }, 60_000);

  it('says how many comments fell back to the local reading when the service fails on some', async () => {
    failTraining = true;
    try {
      const { code, stdout, stderr } = await runHuddle(
        ['eval', '--in', modelFile, '--classifier', 'model', '--json'],
        modelEnv(),
      );
      expect(code).toBe(0);
      const report = JSON.parse(stdout);
      expect(report.fallbacks).toBe(1);
      expect(report.readBy).toEqual({ local: 1, model: 2 });
      // The fallback read change_fatigue, so job_security was found once of twice.
      expect(report.themes.accuracy).toBeCloseTo(2 / 3, 10);
      expect(stderr).toContain('model classifier failed; local reading used');
      expect(stderr).not.toContain('here we go');

      const text = await runHuddle(['eval', '--in', modelFile, '--classifier', 'model'], modelEnv());
      expect(text.stdout).toContain('1 of 3 comments fell back to the local reading');
    } finally {
      failTraining = false;
    }
  }, 60_000);
});

describe('huddle eval refuses what it cannot do, with exit code 2 and the fix', () => {
  it('a file that is not there', async () => {
    const missing = join(dir, 'nowhere.csv');
    const { code, stderr } = await runHuddle(['eval', '--in', missing]);
    expect(code).toBe(2);
    expect(stderr).toContain(`There is no file ${missing}.`);
  }, 60_000);

  it('a file with no usable line, saying why for each', async () => {
    const useless = file('useless.csv', `text,theme,safeguarding\n"${LOVE}",supportive,perhaps\n`);
    const { code, stdout, stderr } = await runHuddle(['eval', '--in', useless]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${useless} has no labelled comment to score.`);
    expect(stderr).toContain('line 2: the safeguarding label "perhaps" is not true/false, yes/no or 1/0');
  }, 60_000);

  it('an unknown classifier, or no --in', async () => {
    const unknown = await runHuddle(['eval', '--in', csv, '--classifier', 'gpt']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--classifier is local (the default) or model, not "gpt"');
    const noInput = await runHuddle(['eval']);
    expect(noInput.code).toBe(2);
    expect(noInput.stderr).toContain('huddle eval needs --in FILE');
    expect(noInput.stderr).toContain('eval --in FILE [--classifier local|model]');
  }, 60_000);

  it('the model chosen without its settings, naming the variables the server reads', async () => {
    const { code, stdout, stderr } = await runHuddle(['eval', '--in', csv, '--classifier', 'model']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('huddle eval --classifier model calls the model the server would');
    expect(stderr).toContain('HUDDLE_MODEL_ENDPOINT: HUDDLE_CLASSIFIER=model needs the endpoint');
    expect(stderr).toContain('HUDDLE_MODEL_KEY: HUDDLE_CLASSIFIER=model needs the API key');
  }, 60_000);
});
