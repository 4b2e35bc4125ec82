import { createHash } from 'node:crypto';
import type { Theme } from '../domain/feedback/themes.js';
import type { ReadinessDimension } from '../domain/initiatives/changeModels.js';

/**
 * The six weeks Oak View has already lived with its digital care planning change, so that a newcomer's
 * first `results`, `comments` and digest have something to show. Every moment is a day number counted
 * from the day the initiative started (day 0, six weeks before the demo is first loaded), so the history
 * is as fresh as the demo. Who answers, acknowledges or writes is decided by `roll`, a hash of the
 * person and the occasion: the same people do the same things every time the demo is loaded.
 *
 * The story, from the case study: staff agree the paper notes have to go, but nobody asked the night
 * shift, training is planned around days, and the tablets are few. Readiness rises on days and dips on
 * nights in weeks five and six, where knowing how and being able to do it fall behind.
 */

export const HISTORY_DAYS = 42;

/** The days Alex moved the initiative on to Kotter's steps 2, 3 and 4: a few days behind the plan. */
export const STAGE_ADVANCE_DAYS = [12, 25, 37] as const;

export type Shift = 'days' | 'nights';

export interface DemoComment {
  text: string;
  /** What the writer said it is about; without one, only the classifier's reading counts. */
  tag?: Theme | undefined;
  /** Written by someone on this shift (the story needs the night shift's words to be theirs). */
  shift?: Shift | undefined;
  /** Given with the writer's name; otherwise anonymous. */
  named?: boolean | undefined;
}

export interface DemoUpdate {
  /** Sent at this hour of this day (local time), by Alex. */
  day: number;
  hour: number;
  /** A stage update announces the stage the initiative has just reached; otherwise Alex's own message. */
  kind: 'stage' | { headline: string };
  /** Alex's words, before the stage's own explanation for a stage update. */
  message: string;
  /** The share of each shift who pressed Got it. */
  acknowledged: Record<Shift, number>;
  concerns: DemoComment[];
}

export const UPDATES: readonly DemoUpdate[] = [
  {
    day: 0,
    hour: 10,
    kind: 'stage',
    message:
      'Over the next three months we are moving care plans and daily notes from paper to a digital system. Tablets for Willow and Maple arrive in a few weeks.',
    acknowledged: { days: 0.9, nights: 0.8 },
    concerns: [
      { text: 'Who chose this system? Was anyone who works on the floor involved?', tag: 'not_consulted' },
      { text: 'Three months seems very quick for forty care plans on top of everything else.' },
    ],
  },
  {
    day: 12,
    hour: 11,
    kind: 'stage',
    message:
      'Isaiah, Priya, Aisha, Sean and Jade are our champions. Ask them anything about the new system, on any shift.',
    acknowledged: { days: 0.85, nights: 0.7 },
    concerns: [{ text: 'All five champions work days. Who do we ask on nights?', shift: 'nights' }],
  },
  {
    day: 19,
    hour: 9,
    kind: { headline: 'Practice sessions on the tablets' },
    message:
      'Drop-in practice on the tablets: Willow lounge on Tuesday and Thursday at 2pm, Maple office on Wednesday at 10am. Bring a care plan you know well.',
    acknowledged: { days: 0.8, nights: 0.55 },
    concerns: [
      { text: 'The drop-ins are during handover, I cannot leave the floor then.', tag: 'workload_time' },
    ],
  },
  {
    day: 25,
    hour: 10,
    kind: 'stage',
    message:
      'Picture a shift where every note is written once, at the time of care, and anyone on shift can read it. Willow starts using the tablets in week five, Maple a week later.',
    acknowledged: { days: 0.85, nights: 0.6 },
    concerns: [
      { text: 'We still do not have enough tablets on Maple.', tag: 'technology_confidence' },
      { text: 'I do not like the idea of everyone checking my notes on a screen.', named: true },
    ],
  },
  {
    day: 37,
    hour: 10,
    kind: 'stage',
    message:
      'Willow is using the tablets and Maple starts this week. Night drop-ins start on Monday at 10pm on both units, run by the champions.',
    acknowledged: { days: 0.85, nights: 0.5 },
    concerns: [
      { text: 'Nights have not been trained yet, so how are we meant to share the plan?', shift: 'nights' },
      { text: 'Could we keep the paper notes for a few more weeks in case the system goes down?' },
      { text: 'The wifi at the far end of Maple still drops out.', tag: 'technology_confidence' },
    ],
  },
];

/** Mean answers (1 to 5) to each readiness item in one round, for one shift. */
type Readiness = Record<ReadinessDimension, number>;

export interface DemoRound {
  /** How many of each shift answered (of 26 on days and 14 on nights). */
  answered: Record<Shift, number>;
  readiness: Record<Shift, Readiness>;
  /** Open answers, given to answering staff in order (night shift words to the night shift). */
  comments: DemoComment[];
}

const readiness = (
  awareness: number,
  desire: number,
  knowledge: number,
  ability: number,
  reinforcement: number,
): Readiness => ({ awareness, desire, knowledge, ability, reinforcement });

/** A weekly readiness pulse: round 1 opens on day 1, each round is open Monday to Friday. */
export const ROUNDS: readonly DemoRound[] = [
  {
    answered: { days: 21, nights: 10 },
    readiness: { days: readiness(3.1, 3.2, 2.5, 2.8, 2.0), nights: readiness(2.9, 3.0, 2.4, 2.7, 1.9) },
    comments: [
      {
        text: 'We heard about the new system after it was bought. Nobody on nights was consulted.',
        tag: 'not_consulted',
        shift: 'nights',
      },
      { text: 'I get why. Agency staff could not read half the notes. About time.' },
      {
        text: 'Worried this is one more thing on top of the new rota and the medication changes.',
        tag: 'change_fatigue',
      },
      { text: 'When are we actually getting trained? Nobody has said.' },
      {
        text: 'Some of us are not good with computers. Please do not rush it.',
        tag: 'technology_confidence',
      },
      { text: 'I like computers, so I am happy to show others on Willow how it works.' },
      {
        text: 'Writing notes at the time of care sounds good, but when, with two of us for twenty residents?',
      },
    ],
  },
  {
    answered: { days: 20, nights: 9 },
    readiness: { days: readiness(3.4, 3.3, 2.6, 2.8, 2.1), nights: readiness(3.1, 3.0, 2.5, 2.7, 2.0) },
    comments: [
      {
        text: 'It would be good if the champions came in on nights too, not just days.',
        tag: 'communication',
        shift: 'nights',
      },
      {
        text: 'I still do not know when the tablets arrive or how many each floor gets.',
        tag: 'communication',
      },
      { text: 'The paper notes work fine for me, I am not sure what problem we are solving.' },
      { text: 'Please put the training on the rota, not in our breaks.', tag: 'workload_time' },
      { text: 'Glad Jade is a champion, she is patient with people.' },
      { text: 'Change after change this year. We never finish one thing before the next starts.' },
      { text: 'Will agency staff have logins on day one? They need it most.' },
    ],
  },
  {
    answered: { days: 19, nights: 8 },
    readiness: { days: readiness(3.7, 3.4, 2.9, 2.7, 2.2), nights: readiness(3.4, 3.1, 2.6, 2.6, 2.0) },
    comments: [
      {
        text: 'The first practice session went too fast. I need to try it on a real care plan.',
        tag: 'training_gap',
      },
      {
        text: 'The login times out while I am with a resident and I lose what I typed.',
        tag: 'technology_confidence',
      },
      { text: 'Maple only has two tablets and they are always on charge.' },
      {
        text: 'Night staff cannot get to the daytime practice sessions.',
        tag: 'training_gap',
        shift: 'nights',
      },
      {
        text: 'Liked seeing a care plan on the screen, so much easier to read than the folders.',
        tag: 'supportive',
      },
      { text: 'Feels like management decided all this already and the survey is just for show.' },
      {
        text: 'Writing notes twice, on paper and on the tablet, adds half an hour to every shift.',
        tag: 'workload_time',
      },
      { text: 'A printed cheat sheet next to each tablet would help me.' },
    ],
  },
  {
    answered: { days: 19, nights: 7 },
    readiness: { days: readiness(3.9, 3.5, 3.3, 3.0, 2.4), nights: readiness(3.6, 3.1, 2.8, 2.6, 2.1) },
    comments: [
      { text: 'Double recording is wearing us out. When can we stop the paper notes?', tag: 'workload_time' },
      {
        text: 'Wifi on the first floor is patchy, so the tablet cannot save a note.',
        tag: 'technology_confidence',
      },
      {
        text: 'The drop-in with Isaiah really helped, I can do a daily note on my own now.',
        tag: 'supportive',
      },
      { text: 'Still no training at all on nights.', tag: 'training_gap', shift: 'nights' },
      { text: 'Families asked us about the tablets and we did not know what to say.' },
      {
        text: 'I worry I will spend more time looking at a screen than at the people I care for.',
        tag: 'identity_values',
      },
      { text: 'Fine once you get used to it. The body map part is clever.' },
      { text: 'Too many changes at once with the new rota as well.' },
    ],
  },
  {
    answered: { days: 18, nights: 6 },
    readiness: { days: readiness(4.0, 3.6, 3.5, 3.2, 2.6), nights: readiness(3.7, 2.9, 2.5, 2.4, 2.1) },
    comments: [
      {
        text: 'Nights have one tablet between three of us and nobody to ask at 3am.',
        tag: 'training_gap',
        shift: 'nights',
      },
      { text: 'The night drop-in was cancelled again.', shift: 'nights' },
      { text: 'We were not asked which screens we actually need on the floor.', tag: 'not_consulted' },
      {
        text: 'I am getting quicker. Notes at the time of care mean less to write up at the end of the shift.',
        tag: 'supportive',
      },
      { text: 'Handover takes longer while people are still finding their way round the system.' },
      { text: 'Can we have a simple guide for agency carers? They keep asking us.' },
      {
        text: 'Staffing is the real issue, not the tablets. We are short most nights.',
        tag: 'workload_time',
        shift: 'nights',
      },
      { text: 'Please tell us what happens to the paper files.' },
    ],
  },
  {
    answered: { days: 18, nights: 5 },
    readiness: { days: readiness(4.1, 3.7, 3.7, 3.4, 2.8), nights: readiness(3.7, 2.8, 2.3, 2.2, 2.0) },
    comments: [
      {
        text: 'Nights still feel like an afterthought. Days got all the support.',
        tag: 'not_consulted',
        shift: 'nights',
      },
      {
        text: 'The tablet will not sync on nights and I have to redo my notes in the morning.',
        shift: 'nights',
      },
      {
        text: 'Much easier reading care plans now, especially for residents I do not know well.',
        tag: 'supportive',
      },
      { text: 'More time on the rota to practise would help, we are still slow.', tag: 'workload_time' },
      { text: 'A champion on every shift, weekends included, would make a big difference.' },
      { text: 'I was not sure at first but the daily notes are better. Keep going.' },
      { text: 'Some seniors still write on paper first and type it up later, which confuses things.' },
      { text: 'Tired. It has been a lot this month.', tag: 'change_fatigue' },
      { text: 'I would like to know how we are doing against the targets.' },
    ],
  },
];

/** Comments given at any time with `feedback`, on the days they were written. */
export const FEEDBACK: readonly (DemoComment & { day: number })[] = [
  { day: 8, text: 'The new rota and the tablets in the same month is too much.', tag: 'change_fatigue' },
  { day: 18, text: 'Thank you for the cake at the practice session. Small thing, but noticed.', named: true },
  { day: 30, text: 'Could the tablets show bigger text? I struggle to read them without my glasses.' },
  { day: 40, text: 'Which champion covers nights? None of us know.', tag: 'communication', shift: 'nights' },
];

/**
 * A number in [0, 1) fixed for one person and one occasion ("round 3 answered", "update 2 got it"), so
 * loading the demo again makes the same choices and writes the same rows.
 */
export function roll(personId: string, occasion: string): number {
  const digest = createHash('sha256').update(`${personId}\n${occasion}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/**
 * An answer on the 1 to 5 scale around `mean`: rounded up or down in proportion (so the answers average
 * to the mean), and one point either way for some people.
 */
export function scoreAround(mean: number, personId: string, occasion: string): number {
  const rounded = Math.floor(mean + roll(personId, `${occasion} rounding`));
  const spread = roll(personId, `${occasion} spread`);
  const moved = rounded + (spread < 0.15 ? -1 : spread >= 0.85 ? 1 : 0);
  return Math.min(5, Math.max(1, moved));
}
