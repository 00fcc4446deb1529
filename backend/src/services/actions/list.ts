import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Action, ActionDefinition, Platform } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import { actions, actionVersions } from '../../db/schema';
import { toAction } from './convert';
import type { ActionVisibility } from './visibility';

export interface ListActionsInput {
  /** Matches name or slug, case-insensitively, anywhere in the text. */
  q?: string | undefined;
  purpose?: ActionDefinition['purpose'] | undefined;
  platform?: Platform | undefined;
  /** Include archived actions. */
  archived: boolean;
  visibility: ActionVisibility;
  limit: number;
  offset: number;
}

/** `%`, `_` and `\` in the search text match themselves, not any text. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

const definition = actionVersions.definition;
// The listing reads these few fields of the latest definition, never its scripts (up to 1.8 MB a version).
const hasScript = (platform: Platform) => sql<boolean>`(${definition} -> 'scripts' -> ${sql.raw(`'${platform}'`)}) is not null`;

/** The action library, sorted by name, filtered and paged. */
export async function listActions(ctx: AppContext, input: ListActionsInput): Promise<{ items: Action[]; total: number; next: number | null }> {
  if (input.visibility !== '*' && input.visibility.size === 0) return { items: [], total: 0, next: null };
  const conditions: (SQL | undefined)[] = [];
  if (!input.archived) conditions.push(eq(actions.archived, false));
  if (input.visibility !== '*') conditions.push(inArray(actions.slug, [...input.visibility]));
  if (input.q) conditions.push(or(ilike(actions.name, likePattern(input.q)), ilike(actions.slug, likePattern(input.q))));
  if (input.purpose) conditions.push(sql`${definition} ->> 'purpose' = ${input.purpose}`);
  if (input.platform) conditions.push(sql`(${definition} -> 'scripts' -> ${input.platform}::text) is not null`);
  const where = and(...conditions);
  const latest = and(eq(actionVersions.actionId, actions.id), eq(actionVersions.version, actions.latestVersion));

  const rows = await ctx.db
    .select({
      action: actions,
      description: sql<string>`${definition} ->> 'description'`,
      purpose: sql<ActionDefinition['purpose']>`${definition} ->> 'purpose'`,
      windows: hasScript('windows'),
      macos: hasScript('macos'),
      linux: hasScript('linux'),
    })
    .from(actions)
    .innerJoin(actionVersions, latest)
    .where(where)
    .orderBy(asc(actions.name), asc(actions.slug))
    .limit(input.limit)
    .offset(input.offset);
  const [{ total } = { total: 0 }] = await ctx.db.select({ total: count() }).from(actions).innerJoin(actionVersions, latest).where(where);

  const items = rows.map((r) =>
    toAction(r.action, {
      description: r.description ?? '',
      purpose: r.purpose,
      platforms: (['windows', 'macos', 'linux'] as const).filter((p) => r[p]),
    }),
  );
  const end = input.offset + items.length;
  return { items, total, next: end < total ? end : null };
}
