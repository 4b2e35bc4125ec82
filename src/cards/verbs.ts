import type { Role } from '../domain/people/roles.js';

/** Action.Execute verbs, shared by the card models that emit them and the handlers that route on them. */
export const VERBS = {
  deleteMyDataConfirm: 'myData.delete.confirm',
  deleteMyDataCancel: 'myData.delete.cancel',
  updateGotIt: 'update.gotIt',
  updateConcern: 'update.concern',
  concernSubmit: 'concern.submit',
  concernBack: 'concern.back',
  broadcastPreview: 'broadcast.preview',
  broadcastEdit: 'broadcast.edit',
  broadcastConfirm: 'broadcast.confirm',
  broadcastDiscard: 'broadcast.discard',
  broadcastCancel: 'broadcast.cancel',
  broadcastResend: 'broadcast.resend',
  settingsSave: 'settings.save',
  initiativeCreate: 'initiative.create',
  stagesEdit: 'stages.edit',
  stagesSave: 'stages.save',
  advanceChoose: 'advance.choose',
  advanceConfirm: 'advance.confirm',
  advanceCancel: 'advance.cancel',
  advanceUndo: 'advance.undo',
  listSave: 'list.save',
  listDelete: 'list.delete',
  pulseItems: 'pulse.items',
  pulseBack: 'pulse.back',
  pulseConfirm: 'pulse.confirm',
  pulseStop: 'pulse.stop',
  pulseStep: 'pulse.step',
  pulseSubmit: 'pulse.submit',
  pulseEdit: 'pulse.edit',
  pulseView: 'pulse.view',
  resultsExport: 'results.export',
  feedbackOpen: 'feedback.open',
  feedbackSubmit: 'feedback.submit',
  safeguardingAcknowledge: 'safeguarding.acknowledge',
  safeguardingAnswer: 'safeguarding.answer',
  followUpReply: 'followUp.reply',
  followUpAnswer: 'followUp.answer',
  followUpClose: 'followUp.close',
  commentTheme: 'comment.theme',
  commentPassOn: 'comment.passOn',
  digestOpen: 'digest.open',
  digestRecord: 'digest.record',
  digestSchedule: 'digest.schedule',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];

const STAFF = ['staff'] as const;
const MANAGERS = ['manager'] as const;
/** Who reads results, comments and digests. */
const READERS = ['manager', 'leader'] as const;
const LEADS = ['safeguardingLead', 'admin'] as const;

/**
 * Who may press each verb, the one declaration `onAction` checks every press against and the
 * authorisation test runs in full. A card can be forwarded or replayed, so this is checked on each press,
 * whoever the card was sent to. A verb missing here does not compile, and fails that test.
 */
export const VERB_ROLES: Record<Verb, readonly Role[]> = {
  [VERBS.deleteMyDataConfirm]: STAFF,
  [VERBS.deleteMyDataCancel]: STAFF,
  [VERBS.updateGotIt]: STAFF,
  [VERBS.updateConcern]: STAFF,
  [VERBS.concernSubmit]: STAFF,
  [VERBS.concernBack]: STAFF,
  [VERBS.broadcastPreview]: MANAGERS,
  [VERBS.broadcastEdit]: MANAGERS,
  [VERBS.broadcastConfirm]: MANAGERS,
  [VERBS.broadcastDiscard]: MANAGERS,
  [VERBS.broadcastCancel]: MANAGERS,
  [VERBS.broadcastResend]: MANAGERS,
  [VERBS.settingsSave]: STAFF,
  [VERBS.initiativeCreate]: MANAGERS,
  [VERBS.stagesEdit]: MANAGERS,
  [VERBS.stagesSave]: MANAGERS,
  [VERBS.advanceChoose]: MANAGERS,
  [VERBS.advanceConfirm]: MANAGERS,
  [VERBS.advanceCancel]: MANAGERS,
  [VERBS.advanceUndo]: MANAGERS,
  [VERBS.listSave]: MANAGERS,
  [VERBS.listDelete]: MANAGERS,
  [VERBS.pulseItems]: MANAGERS,
  [VERBS.pulseBack]: MANAGERS,
  [VERBS.pulseConfirm]: MANAGERS,
  [VERBS.pulseStop]: MANAGERS,
  [VERBS.pulseStep]: STAFF,
  [VERBS.pulseSubmit]: STAFF,
  [VERBS.pulseEdit]: STAFF,
  [VERBS.pulseView]: STAFF,
  [VERBS.resultsExport]: READERS,
  [VERBS.feedbackOpen]: STAFF,
  [VERBS.feedbackSubmit]: STAFF,
  [VERBS.safeguardingAcknowledge]: LEADS,
  [VERBS.safeguardingAnswer]: STAFF,
  [VERBS.followUpReply]: MANAGERS,
  [VERBS.followUpAnswer]: STAFF,
  // Staff close their own thread; closing as the manager is checked for the manager role in the handler.
  [VERBS.followUpClose]: STAFF,
  [VERBS.commentTheme]: MANAGERS,
  [VERBS.commentPassOn]: READERS,
  [VERBS.digestOpen]: READERS,
  [VERBS.digestRecord]: MANAGERS,
  [VERBS.digestSchedule]: MANAGERS,
};
