/**
 * @module The tables a query can start from and the fields each one offers. New tables (e.g. `responses`) join the
 * language by calling {@link registerQueryTable}; nothing else changes.
 *
 * Every path resolves to SQL built from schema column objects and bound parameters: user text never becomes an
 * identifier. Fact paths and output names are passed as parameters to jsonb operators.
 */
import { sql, type SQL } from 'drizzle-orm';
import { executionOutcomes, executionStatuses, executionTriggers, Platform, type QueryColumnType } from '@fixpoint/protocol';
import { actions, devices, executions } from '../../db/schema';
import { executionOutcomeSql } from '../executions/neutral';

/** A field resolved for one table. `json` fields are free-form jsonb (facts, outputs) typed by what they are compared with. */
export interface FieldDef {
  sql: SQL;
  type: QueryColumnType;
  /** Allowed values of an enum-like string, checked when the query compares with a literal. */
  values?: readonly string[];
}

export interface TableDef {
  name: string;
  /**
   * The FROM clause. It must include the `devices` table under its own name, because a principal's device scope is an
   * SQL condition over `devices` that is ANDed into every query.
   */
  from: SQL;
  /** Unique row key: the last tie-breaker of every sort, so equal sort keys still give a stable order. */
  key: SQL;
  /** The field `during past N` filters on (rows whose value is within the last N). */
  timeField: string;
  /** Columns shown when the query has no `list`. */
  defaultColumns: readonly string[];
  /** Order when the query has no `sort`. */
  defaultSort: readonly { field: string; direction: 'asc' | 'desc' }[];
  /** Fixed field names, listed in "unknown field" messages. */
  knownFields: readonly string[];
  /** A hint appended to "unknown field" messages. */
  dynamicHint?: string;
  resolve(path: string): FieldDef | undefined;
}

const tables = new Map<string, TableDef>();

/** Makes a table queryable. Registering a name twice replaces the earlier definition. */
export function registerQueryTable(table: TableDef): void {
  tables.set(table.name, table);
}

export function queryTable(name: string): TableDef | undefined {
  return tables.get(name);
}

export function queryTableNames(): string[] {
  return [...tables.keys()].sort();
}

/** A jsonb value at a dotted path: nested objects first (`{"disk":{"free_pct":5}}`), then a flat dotted key. */
function jsonPath(column: SQL | typeof devices.facts, segments: readonly string[]): SQL {
  const flat = segments.join('.');
  if (segments.length === 1) return sql`(${column} -> ${flat}::text)`;
  const params = sql.join(
    segments.map((s) => sql`${s}::text`),
    sql`, `,
  );
  return sql`coalesce(jsonb_extract_path(${column}, ${params}), ${column} -> ${flat}::text)`;
}

const json = (s: SQL): FieldDef => ({ sql: s, type: 'json' });

// ── devices ──────────────────────────────────────────────────────────────────

const deviceColumns: Record<string, FieldDef> = {
  id: { sql: sql`${devices.id}::text`, type: 'string' },
  name: { sql: sql`${devices.name}`, type: 'string' },
  platform: { sql: sql`${devices.platform}`, type: 'string', values: Platform.options },
  'os.version': { sql: sql`${devices.osVersion}`, type: 'string' },
  agent_version: { sql: sql`${devices.agentVersion}`, type: 'string' },
  tags: { sql: sql`${devices.tags}`, type: 'string-list' },
  online: { sql: sql`${devices.online}`, type: 'boolean' },
  last_seen: { sql: sql`${devices.lastSeen}`, type: 'datetime' },
  enrolled_at: { sql: sql`${devices.enrolledAt}`, type: 'datetime' },
};
const deviceAliases: Record<string, string> = { 'os.platform': 'platform', os_version: 'os.version', 'agent.version': 'agent_version' };

/**
 * Device fields: columns (and their aliases), `remote_action.<action>.<output>` (the latest output value, stored
 * under the key `<action-slug>.<output>`; `_` in the action part stands for `-`, since slugs never hold `_`),
 * `facts.<path>`, and any other dotted path, which reads the agent-reported facts.
 */
export function resolveDeviceField(path: string): FieldDef | undefined {
  const column = deviceColumns[deviceAliases[path] ?? path];
  if (column) return column;
  const segments = path.split('.');
  if (segments[0] === 'remote_action') {
    if (segments.length !== 3) return undefined;
    return json(sql`(${devices.outputs} -> ${`${segments[1]!.replaceAll('_', '-')}.${segments[2]}`}::text)`);
  }
  if (segments[0] === 'facts') return segments.length > 1 ? json(jsonPath(sql`${devices.facts}`, segments.slice(1))) : undefined;
  return json(jsonPath(sql`${devices.facts}`, segments));
}

registerQueryTable({
  name: 'devices',
  from: sql`${devices}`,
  key: sql`${devices.id}`,
  timeField: 'last_seen',
  defaultColumns: ['name', 'platform', 'os.version', 'online', 'last_seen'],
  defaultSort: [{ field: 'name', direction: 'asc' }],
  knownFields: [...Object.keys(deviceColumns), ...Object.keys(deviceAliases)],
  resolve: resolveDeviceField,
});

// ── executions ───────────────────────────────────────────────────────────────

const executionColumns: Record<string, FieldDef> = {
  id: { sql: sql`${executions.id}::text`, type: 'string' },
  action: { sql: sql`${actions.slug}`, type: 'string' },
  status: { sql: sql`${executions.status}`, type: 'string', values: executionStatuses },
  // the status, or the neutral outcome of a self-help run that ended declined, postponed, timed out or with no user
  outcome: { sql: executionOutcomeSql, type: 'string', values: executionOutcomes },
  trigger: { sql: sql`${executions.trigger}`, type: 'string', values: executionTriggers },
  requested_by: { sql: sql`${executions.requestedBy}`, type: 'string' },
  created_at: { sql: sql`${executions.createdAt}`, type: 'datetime' },
  delivered_at: { sql: sql`${executions.deliveredAt}`, type: 'datetime' },
  started_at: { sql: sql`${executions.startedAt}`, type: 'datetime' },
  finished_at: { sql: sql`${executions.finishedAt}`, type: 'datetime' },
  expires_at: { sql: sql`${executions.expiresAt}`, type: 'datetime' },
  exit_code: { sql: sql`${executions.exitCode}`, type: 'number' },
  error: { sql: sql`${executions.error}`, type: 'string' },
  stdout: { sql: sql`${executions.stdoutTail}`, type: 'string' },
  stderr: { sql: sql`${executions.stderrTail}`, type: 'string' },
  // seconds from start to finish, null while unfinished
  duration: { sql: sql`extract(epoch from (${executions.finishedAt} - ${executions.startedAt}))`, type: 'number' },
};

registerQueryTable({
  name: 'executions',
  from: sql`${executions} inner join ${devices} on ${devices.id} = ${executions.deviceId} inner join ${actions} on ${actions.id} = ${executions.actionId}`,
  key: sql`${executions.id}`,
  timeField: 'created_at',
  defaultColumns: ['created_at', 'device.name', 'action', 'status', 'exit_code'],
  defaultSort: [{ field: 'created_at', direction: 'desc' }],
  knownFields: Object.keys(executionColumns),
  dynamicHint: 'outputs.<name> and device.<field> read the outputs and the device',
  resolve(path) {
    const column = executionColumns[path];
    if (column) return column;
    if (path.startsWith('device.')) return resolveDeviceField(path.slice('device.'.length));
    if (path.startsWith('outputs.')) {
      const name = path.slice('outputs.'.length);
      return name.includes('.') ? undefined : json(sql`(${executions.outputs} -> ${name}::text)`);
    }
    return undefined;
  },
});
