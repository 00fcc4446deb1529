/**
 * @module The declared type of `remote_action.<action>.<output>` columns. The compiler reads outputs as free-form
 * jsonb (the language compares them by what they meet), but a result column names one action's output, whose type
 * the action's latest version declares: `size` is reported as a number with `outputType: 'size'`, not as `json`.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { OutputType, QueryColumn, QueryColumnType } from '@fixpoint/protocol';
import type { Db, Tx } from '../../db';
import { actions, actionVersions } from '../../db/schema';

const outputColumn = /^remote_action\.([a-z0-9_-]+)\.([a-z][a-z0-9_]*)$/;

/** How each output type's values are represented: sizes in bytes, ratios as fractions, durations in seconds. */
const columnTypes: Record<OutputType, QueryColumnType> = {
  string: 'string',
  bool: 'boolean',
  int: 'number',
  float: 'number',
  size: 'number',
  ratio: 'number',
  bitrate: 'number',
  datetime: 'datetime',
  duration: 'number',
  'string-list': 'string-list',
};

/** The columns with each output column typed by its declaration; unknown actions or outputs stay `json`. */
export async function declareOutputColumns(db: Db | Tx, columns: QueryColumn[]): Promise<QueryColumn[]> {
  const named = columns.map((c) => (c.type === 'json' ? outputColumn.exec(c.name) : null));
  // `_` in the action part stands for `-`, as in the compiler: slugs never hold `_`.
  const slugs = [...new Set(named.flatMap((m) => (m ? [m[1]!.replaceAll('_', '-')] : [])))];
  if (!slugs.length) return columns;
  const rows = await db
    .select({ slug: actions.slug, definition: actionVersions.definition })
    .from(actions)
    .innerJoin(actionVersions, and(eq(actionVersions.actionId, actions.id), eq(actionVersions.version, actions.latestVersion)))
    .where(inArray(actions.slug, slugs));
  const declared = new Map(rows.flatMap((r) => (r.definition.outputs ?? []).map((o) => [`${r.slug}.${o.name}`, o.type] as const)));
  return columns.map((c, i) => {
    const m = named[i];
    const outputType = m ? declared.get(`${m[1]!.replaceAll('_', '-')}.${m[2]}`) : undefined;
    return outputType ? { ...c, type: columnTypes[outputType], outputType } : c;
  });
}
