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
