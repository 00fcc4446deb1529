import { inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db';
import { actionVersions } from '../../db/schema';

export type VersionRow = typeof actionVersions.$inferSelect;

// A version's content is immutable; only its approval changes, once. Unapproved rows are therefore not cached (another
// instance may approve them, and envelopes issued after that carry the signature), which costs little: they run only by
// hand on a few devices. With approval off (`FIXPOINT_REQUIRE_APPROVAL=false`) they run everywhere and are cached; an
// approval on another instance then reaches this one's envelopes when the row leaves the cache or is launched here.
// Every other cached row can never be stale. The cache spares the hot paths
// (envelopes for a reconnecting agent, status reports) a read of the version per message.
// Bounded, because scripts may be large; keyed by database so test backends never share entries.
const maxEntries = 200;
const caches = new WeakMap<object, Map<string, VersionRow>>();
const cachingUnapproved = new WeakSet<object>();

/** Lets this database's cache keep unapproved versions too (when approval is not required, see above). */
export function cacheUnapprovedVersions(db: Db): void {
  cachingUnapproved.add(db);
}

function cacheFor(db: Db | Tx): Map<string, VersionRow> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

export function rememberVersion(db: Db | Tx, row: VersionRow): void {
  const cache = cacheFor(db);
  cache.delete(row.id);
  if (row.approval === 'unapproved' && !cachingUnapproved.has(db)) return;
  cache.set(row.id, row);
  if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
}

/** Loads versions by id, from the cache when possible, with one query for the rest. */
export async function versionsById(db: Db, ids: Iterable<string>): Promise<Map<string, VersionRow>> {
  const cache = cacheFor(db);
  const found = new Map<string, VersionRow>();
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const hit = cache.get(id);
    if (hit) found.set(id, hit);
    else missing.push(id);
  }
  if (missing.length) {
    for (const row of await db.select().from(actionVersions).where(inArray(actionVersions.id, missing))) {
      rememberVersion(db, row);
      found.set(row.id, row);
    }
  }
  return found;
}
