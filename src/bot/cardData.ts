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
