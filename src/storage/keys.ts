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
