import { z } from 'zod';

/** The groups a member belongs to, as stored inside JSON columns (initiatives, broadcasts, comments). */
export const groupsSchema = z.object({
  site: z.string().optional(),
  unit: z.string().optional(),
  jobRole: z.string().optional(),
  shiftPattern: z.string().optional(),
});

const everyone = z.object({ kind: z.literal('all') });
const inGroups = z.object({ kind: z.literal('groups'), groups: z.array(groupsSchema) });

/** An initiative's audience: everyone, or members of any of the groups. */
export const initiativeAudienceSchema = z.discriminatedUnion('kind', [everyone, inGroups]);

/** A broadcast's audience adds an initiative's champions, a saved list, named people and a comment's writer. */
export const broadcastAudienceSchema = z.discriminatedUnion('kind', [
  everyone,
  inGroups,
  z.object({ kind: z.literal('champions'), initiativeId: z.string() }),
  z.object({ kind: z.literal('list'), listId: z.string() }),
  z.object({ kind: z.literal('members'), memberIds: z.array(z.string()) }),
  z.object({ kind: z.literal('writer') }),
  z.object({ kind: z.literal('channel'), conversationId: z.string(), userIds: z.array(z.string()) }),
]);
