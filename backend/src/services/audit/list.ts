import { and, count, desc, eq, gte, like, lt, type SQL } from 'drizzle-orm';
import type { AuditEntry } from '@fixpoint/protocol';
import type { Db } from '../../db';
import { auditLog } from '../../db/schema';

export interface ListAuditInput {
  limit: number;
  offset: number;
  /** Exact action, or a prefix ending in `*` (e.g. `auth.*`). */
  action?: string | undefined;
  /** Exact actor label, e.g. `user:ana@example.com`. */
  actor?: string | undefined;
  /** Exact target label, e.g. `role:support`. */
  target?: string | undefined;
  /** The target's kind: entries whose target is `<kind>:…`. */
  targetType?: string | undefined;
  /** ISO times: entries at or after `from` and before `to`. */
  from?: string | undefined;
  to?: string | undefined;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** Audit entries, newest first, optionally filtered by action, actor, target (or its kind) and time. */
export async function listAudit(db: Db, input: ListAuditInput): Promise<{ items: AuditEntry[]; total: number; next: number | null }> {
  const filters: SQL[] = [];
  if (input.action)
    filters.push(input.action.endsWith('*') ? like(auditLog.action, `${escapeLike(input.action.slice(0, -1))}%`) : eq(auditLog.action, input.action));
  if (input.actor) filters.push(eq(auditLog.actor, input.actor));
  if (input.target) filters.push(eq(auditLog.target, input.target));
  if (input.targetType) filters.push(like(auditLog.target, `${escapeLike(input.targetType)}:%`));
  if (input.from) filters.push(gte(auditLog.at, new Date(input.from)));
  if (input.to) filters.push(lt(auditLog.at, new Date(input.to)));
  const where = filters.length ? and(...filters) : undefined;
  const rows = await db.select().from(auditLog).where(where).orderBy(desc(auditLog.seq)).limit(input.limit).offset(input.offset);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(auditLog).where(where);
  const next = input.offset + rows.length < n ? input.offset + rows.length : null;
  return { items: rows.map((r) => ({ ...r, at: r.at.toISOString() })), total: n, next };
}
