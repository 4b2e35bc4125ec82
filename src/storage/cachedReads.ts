import type { PulseStore, RoundStore } from '../domain/pulses/ports.js';
import { TtlCache } from './ttlCache.js';

/**
 * The store with `get` answered from a short-lived cache; writes go straight through. For rows read on
 * every answer and rarely changed (a pulse, its round): `ttlMs` bounds how late a change is seen here.
 */
export function cachedReads<S extends PulseStore | RoundStore>(store: S, ttlMs: number): S {
  const cache = new TtlCache<unknown>(ttlMs);
  const get = store.get.bind(store) as (...args: unknown[]) => Promise<unknown>;
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'get') return Reflect.get(target, property, receiver);
      return (...args: unknown[]) => cache.get(JSON.stringify(args), () => get(...args));
    },
  });
}
