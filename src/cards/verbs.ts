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
} as const;
