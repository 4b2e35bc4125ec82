import type { Member } from '../people/member.js';
import type { FieldError } from '../shared/errors.js';

/** A named set of people a manager sends to often ("night seniors", "Willow champions and nurses"). */
export interface SavedList {
  tenantId: string;
  id: string;
  name: string;
  memberIds: string[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export const LIST_NAME_MAX = 60;

/**
 * Validates a list from the form. Saving under the name of an existing list (any case) replaces that
 * list, so "save" is also how a list is edited.
 */
export function validateList(
  input: { name: string; members: string },
  context: {
    members: readonly Member[];
    existing: readonly SavedList[];
    tenantId: string;
    newId: () => string;
    by: string;
    now: Date;
  },
): { ok: true; list: SavedList } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (name === '') errors.push({ key: 'lists.error.noName', values: {} });
  if (name.length > LIST_NAME_MAX) {
    errors.push({
      key: 'broadcast.error.tooLong',
      values: { field: 'lists.label.name', length: name.length, max: LIST_NAME_MAX },
    });
  }
  const known = new Set(context.members.map((member) => member.aadObjectId));
  const chosen = [
    ...new Set(
      input.members
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    ),
  ];
  if (chosen.some((id) => !known.has(id))) {
    errors.push({ key: 'initiative.error.unknownPerson', values: { field: 'lists.label.members' } });
  }
  if (chosen.length === 0) errors.push({ key: 'lists.error.noMembers', values: {} });
  if (errors.length > 0) return { ok: false, errors };
  const stamp = context.now.toISOString();
  const same = context.existing.find((list) => list.name.toLowerCase() === name.toLowerCase());
  return {
    ok: true,
    list: {
      tenantId: context.tenantId,
      id: same?.id ?? context.newId(),
      name,
      memberIds: chosen,
      createdBy: same?.createdBy ?? context.by,
      createdAt: same?.createdAt ?? stamp,
      updatedAt: stamp,
    },
  };
}
