/**
 * Table keys may not contain / \ # ? or control characters. Teams ids are usually safe, but a key built
 * from anything outside our control is encoded so an odd id can never break a write or a query.
 */
export function toKey(value: string): string {
  return encodeURIComponent(value);
}

export function fromKey(key: string): string {
  return decodeURIComponent(key);
}

/**
 * `<tenant>|<initiative or "general">|<ISO week>`: answers and comments of one initiative and one week are
 * one partition (DESIGN.md), and tenants never share a partition.
 */
export const weekPartition = (tenantId: string, initiativeId: string | undefined, week: string) =>
  `${toKey(tenantId)}|${toKey(initiativeId ?? 'general')}|${week}`;
