/** Action.Execute verbs, shared by the card models that emit them and the handlers that route on them. */
export const VERBS = {
  deleteMyDataConfirm: 'myData.delete.confirm',
  deleteMyDataCancel: 'myData.delete.cancel',
} as const;
