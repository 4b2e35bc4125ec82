/**
 * Remembers reads for a short time. Used where the same row is read for every recipient or every answer
 * (a broadcast while sending, a pulse while it is being answered): `ttlMs` bounds how late a change such
 * as a cancel or a stop is noticed. At most `limit` entries; the oldest goes first.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; readAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly limit = 1_000,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.entries.get(key);
    if (cached !== undefined && Date.now() - cached.readAt < this.ttlMs) return cached.value;
    const value = load();
    this.entries.delete(key);
    this.entries.set(key, { value, readAt: Date.now() });
    // A failed read is not remembered: the next caller tries again.
    value.catch(() => this.entries.delete(key));
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value ?? '');
    return value;
  }
}
