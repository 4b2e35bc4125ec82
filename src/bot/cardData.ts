import { z } from 'zod';

/**
 * Form values arrive as strings (anything else a client adds is ignored); each is bounded here and
 * checked properly by the domain rules.
 */
export const formData = z
  .record(z.unknown())
  .refine((data) => Object.values(data).every((value) => typeof value !== 'string' || value.length <= 5_000))
  .transform(
    (data) =>
      Object.fromEntries(Object.entries(data).filter(([, value]) => typeof value === 'string')) as Record<
        string,
        string
      >,
  );

export const pulseRef = z.object({ pulseId: z.string().min(1).max(64) });
/** A round of a pulse: what a channel post (the same for everyone) and the results card's buttons name. */
export const roundRef = pulseRef.extend({ round: z.coerce.number().int().min(1).max(99_999) });

/** A comment a card's button acts on: where it is stored. */
export const commentRef = z.object({
  commentId: z.string().min(1).max(128),
  initiativeId: z.string().max(64).optional().default(''),
  week: z.string().regex(/^\d{4}-W\d{2}$/),
});
/** The page of `comments` a button was pressed on, bounded here and read strictly by its handler. */
export const onPage = z.object({
  fromDay: z.string().max(64).optional().default(''),
  fromId: z.string().max(256).optional().default(''),
});
/** A comment pressed on the list of `comments`, and the page it is on. */
export const listedComment = commentRef.merge(onPage);
