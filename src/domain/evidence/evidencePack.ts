import { isOverdue, type LoopAction, type LoopFigures, loopFigures, median } from '../actions/action.js';
import { acknowledgementRate, type Broadcast, type Figures } from '../broadcasts/broadcast.js';
import { groupsOf, kpiFigures, stageFigures } from '../digest/digest.js';
import type { DigestFigures, KpiFigures, StageFigures, ThemeFigures } from '../digest/figures.js';
import type { Escalation } from '../feedback/safeguarding.js';
import type { Theme } from '../feedback/themes.js';
import type { ChangeModel } from '../initiatives/changeModels.js';
import type { Initiative, KpiReading } from '../initiatives/initiative.js';
import type { Member } from '../people/member.js';
import { belongsTo, type GroupKey } from '../pulses/anonymity.js';
import type { PulseRoundResults } from '../pulses/pulseReporting.js';
import type { RoundResults } from '../pulses/pulseResults.js';
import { FRAMEWORK_MAP, type FrameworkLink } from './frameworks.js';

/**
 * Everything stored about one initiative that its evidence pack is built from. Every figure in it was
 * already worked out by the piece that feeds the cards (pulse rounds as published, weekly digest
 * snapshots, each update's delivery figures), so the pack can only say what the cards said.
 */
export interface EvidenceSources {
  initiative: Initiative;
  now: Date;
  /** Everyone the initiative involves. */
  people: readonly Member[];
  /** Every member of the service, to name the champions. */
  members: readonly Pick<Member, 'aadObjectId' | 'name' | 'groups'>[];
  /** The initiative's change updates, each with its figures as the `broadcasts` card counts them. */
  updates: readonly { broadcast: Broadcast; figures: Figures }[];
  /** Every opened round of the initiative's pulses, oldest first, as the `results` card shows each. */
  rounds: readonly PulseRoundResults[];
  /** The weekly digests' snapshots, oldest first. */
  weeks: readonly DigestFigures[];
  actions: readonly LoopAction[];
  escalations: readonly Pick<Escalation, 'status' | 'raisedAt' | 'acknowledgedAt'>[];
  /** Safeguarding figures go to leaders and safeguarding leads, as on the digest card. */
  showSafeguarding: boolean;
  anonymityThreshold: number;
  safeguardingResendMs: number;
}

export interface EvidencePack {
  initiative: {
    id: string;
    title: string;
    why: string;
    vision: string;
    model: ChangeModel;
    createdAt: string;
  };
  generatedAt: string;
  threshold: number;
  kpis: (KpiFigures & { due: string; readings: KpiReading[] })[];
  stage: StageFigures;
  stages: StageEntry[];
  communications: CommunicationEntry[];
  rounds: RoundEntry[];
  weeks: WeekEntry[];
  actions: { figures: LoopFigures; dropped: number; items: ActionEntry[] };
  champions: { names: string[]; notMembers: number; groupsWithout: GroupKey[] };
  /** Absent when the reader may not see safeguarding figures. */
  safeguarding?: SafeguardingEntry | undefined;
  involvement: Involvement;
  frameworks: FrameworkLink[];
  /** True when nothing has happened yet: no update, round, weekly digest, action or escalation. */
  empty: boolean;
}

export interface StageEntry {
  number: number;
  title: string;
  plannedStart?: string | undefined;
  plannedEnd?: string | undefined;
  state: 'done' | 'current' | 'upcoming';
  /** When its first stage update went out. */
  announcedAt?: string | undefined;
}

export interface CommunicationEntry {
  sentAt: string;
  headline: string;
  stage?: number | undefined;
  recipients: number;
  delivered: number;
  acknowledged: number;
  acknowledgementRate?: number | undefined;
  concerns: number;
}

/** A round's figures exactly as `results` shows them, with which pulse and round they are. */
export interface RoundEntry extends RoundResults {
  pulse: string;
  round: number;
  opensAt: string;
  closesAt: string;
}

export interface WeekEntry {
  week: string;
  updatesSent: number;
  acknowledgementRate?: number | undefined;
  concerns: number;
  pulseResponseRate?: number | undefined;
  readiness?: number | undefined;
  themes?: ThemeFigures | undefined;
}

export interface ActionEntry {
  heard: string;
  willDo: string;
  owner: string;
  due: string;
  status: LoopAction['status'];
  overdue: boolean;
  doneAt?: string | undefined;
  dropReason?: string | undefined;
  published: LoopAction['published'];
  fromStaffComment: boolean;
  /** The theme on the digest or `results` it was recorded from. */
  answersTheme?: Theme | undefined;
}

export interface SafeguardingEntry {
  raised: number;
  acknowledged: number;
  acknowledgedInTime: number;
  medianMinutesToAcknowledge?: number | undefined;
  /** One row per escalation: when it was raised and how long a lead took. Never its words or writer. */
  log: { raisedAt: string; minutesToAcknowledge?: number | undefined }[];
}

export interface Involvement {
  people: number;
  updatesSent: number;
  delivered: number;
  acknowledged: number;
  pulseRounds: number;
  pulseAnswers: number;
  concerns: number;
  actionsFromComments: number;
  champions: number;
}

/** The evidence pack of one initiative: a pure reading of its sources, with nothing below the threshold. */
export function buildEvidencePack(sources: EvidenceSources): EvidencePack {
  const { initiative, now } = sources;
  const communications = sources.updates
    .filter(({ broadcast }) => broadcast.status !== 'scheduled' && broadcast.status !== 'cancelled')
    .sort((a, b) => a.broadcast.sendAt.localeCompare(b.broadcast.sendAt))
    .map(communicationOf);
  const rounds = sources.rounds.map(roundOf);
  const weeks = sources.weeks.map(weekOf);
  const actions = actionsOf(sources);
  const champions = championsOf(sources);
  const safeguarding = sources.showSafeguarding ? safeguardingOf(sources) : undefined;
  return {
    initiative: {
      id: initiative.id,
      title: initiative.title,
      why: initiative.why,
      vision: initiative.vision,
      model: initiative.model,
      createdAt: initiative.createdAt,
    },
    generatedAt: now.toISOString(),
    threshold: sources.anonymityThreshold,
    kpis: kpiFigures(initiative).map((kpi, index) => ({
      ...kpi,
      due: initiative.objectives[index]?.kpi.due ?? '',
      readings: [...(initiative.objectives[index]?.kpi.readings ?? [])].sort((a, b) =>
        a.on.localeCompare(b.on),
      ),
    })),
    stage: stageFigures(initiative, now),
    stages: stagesOf(initiative, communications),
    communications,
    rounds,
    weeks,
    actions,
    champions,
    safeguarding,
    involvement: {
      people: sources.people.length,
      updatesSent: communications.length,
      delivered: sum(communications.map((entry) => entry.delivered)),
      acknowledged: sum(communications.map((entry) => entry.acknowledged)),
      pulseRounds: rounds.length,
      pulseAnswers: sum(rounds.map((round) => round.answers)),
      concerns: sum(weeks.map((week) => week.concerns)),
      actionsFromComments: sources.actions.filter((action) => action.fromComment !== undefined).length,
      champions: champions.names.length,
    },
    frameworks: FRAMEWORK_MAP.map((link) => ({
      ...link,
      sections: link.sections.filter((section) => section !== 'safeguarding' || safeguarding !== undefined),
    })),
    empty:
      communications.length === 0 &&
      rounds.length === 0 &&
      weeks.length === 0 &&
      sources.actions.length === 0 &&
      (safeguarding?.raised ?? 0) === 0,
  };
}

function communicationOf({
  broadcast,
  figures,
}: {
  broadcast: Broadcast;
  figures: Figures;
}): CommunicationEntry {
  return {
    sentAt: broadcast.sendAt,
    headline: broadcast.content.headline,
    stage: broadcast.stageIndex === undefined ? undefined : broadcast.stageIndex + 1,
    recipients: figures.recipients,
    delivered: figures.sent + figures.unconfirmed,
    acknowledged: figures.acknowledged,
    acknowledgementRate: acknowledgementRate(figures),
    concerns: figures.concerns,
  };
}

function stagesOf(initiative: Initiative, communications: readonly CommunicationEntry[]): StageEntry[] {
  return initiative.stages.map((stage, index) => ({
    number: index + 1,
    title: stage.title,
    plannedStart: stage.plannedStart,
    plannedEnd: stage.plannedEnd,
    state:
      index < initiative.currentStage ? 'done' : index === initiative.currentStage ? 'current' : 'upcoming',
    announcedAt: communications.find((entry) => entry.stage === index + 1)?.sentAt,
  }));
}

function roundOf({ pulse, round, results }: PulseRoundResults): RoundEntry {
  return {
    pulse: pulse.title,
    round: round.number,
    opensAt: round.opensAt,
    closesAt: round.closesAt,
    recipients: results.recipients,
    answers: results.answers,
    responseRate: results.responseRate,
    overall: results.overall,
    groups: results.overall === undefined ? [] : results.groups,
    trend: results.trend,
  };
}

function weekOf(figures: DigestFigures): WeekEntry {
  return {
    week: figures.week,
    updatesSent: figures.engagement.updatesSent,
    acknowledgementRate: figures.engagement.acknowledgementRate,
    concerns: figures.engagement.concerns,
    pulseResponseRate: figures.engagement.pulseResponseRate,
    readiness: figures.readiness?.index,
    themes: figures.themes,
  };
}

/** The loop over the whole life of the change: its figures as the digest works them out, and each action. */
function actionsOf(sources: EvidenceSources): EvidencePack['actions'] {
  const today = sources.now.toISOString().slice(0, 10);
  const life = { from: new Date(sources.initiative.createdAt), to: sources.now };
  return {
    figures: loopFigures(sources.actions, life),
    dropped: sources.actions.filter((action) => action.status === 'dropped').length,
    items: [...sources.actions]
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((action) => ({
        heard: action.heard,
        willDo: action.willDo,
        owner: action.owner.name,
        due: action.due,
        status: action.status,
        overdue: isOverdue(action, today),
        doneAt: action.doneAt,
        dropReason: action.dropReason,
        published: action.published,
        fromStaffComment: action.fromComment !== undefined,
        answersTheme: action.fromTheme,
      })),
  };
}

/**
 * The initiative's named champions (a champion no longer a member is counted, not named), and each group
 * of at least the threshold with none: a smaller group is not named, as anywhere else.
 */
function championsOf(sources: EvidenceSources): EvidencePack['champions'] {
  const named = sources.initiative.champions.flatMap((id) => {
    const member = sources.members.find((one) => one.aadObjectId === id);
    return member === undefined ? [] : [member];
  });
  const groups = groupsOf(sources.people, sources.anonymityThreshold);
  return {
    names: named.map((member) => member.name),
    notMembers: sources.initiative.champions.length - named.length,
    groupsWithout: groups.filter((key) => !named.some((member) => belongsTo(member.groups, key))),
  };
}

/** Counts and times only: an escalation's words and writer never leave the safeguarding record. */
function safeguardingOf(sources: EvidenceSources): SafeguardingEntry {
  const raised = sources.escalations
    .filter((escalation) => escalation.status === 'raised' || escalation.status === 'acknowledged')
    .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt));
  const waits = raised.map((escalation) =>
    escalation.acknowledgedAt === undefined
      ? undefined
      : Date.parse(escalation.acknowledgedAt) - Date.parse(escalation.raisedAt),
  );
  const known = waits.filter((wait): wait is number => wait !== undefined);
  const minutes = (wait: number) => Math.round(wait / 60_000);
  return {
    raised: raised.length,
    acknowledged: known.length,
    // As the digest counts it: within the resend interval, to the millisecond.
    acknowledgedInTime: known.filter((wait) => wait <= sources.safeguardingResendMs).length,
    medianMinutesToAcknowledge: median(known.map(minutes).sort((a, b) => a - b)),
    log: raised.map((escalation, index) => {
      const wait = waits[index];
      return {
        raisedAt: escalation.raisedAt,
        minutesToAcknowledge: wait === undefined ? undefined : minutes(wait),
      };
    }),
  };
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
