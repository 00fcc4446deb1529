import { text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Who automation (schedules, detection rules, campaign schedules) acts for. */
export type OwnerKind = 'user' | 'client';

/**
 * The owner of a piece of automation: the user or API client that last saved it, whose rights every firing uses.
 * All three are null on rows saved before owners existed; such rows pause with "no owner" at their next firing.
 */
export const ownerColumns = () => ({
  ownerKind: text().$type<OwnerKind>(),
  ownerId: uuid(),
  // the owner's label when it saved (e.g. `user:ana@example.com`), for display and the audit log
  ownerLabel: text(),
});

/** Why automation stopped firing on its own (its owner lost the right, or it has none), and since when. */
export const pauseColumns = () => ({
  pausedReason: text(),
  pausedAt: timestamp({ withTimezone: true }),
});
