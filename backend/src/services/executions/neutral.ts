/**
 * @module The neutral outcome of an ended run, in SQL: one definition for detection rule events, the executions list and
 * the query language's `executions` table.
 */
import { sql, type SQL } from 'drizzle-orm';
import { neutralExitCodes, type NeutralOutcome } from '@fixpoint/protocol';
import { actionVersions, detectionEvents, detectionRules, executions } from '../../db/schema';

/**
 * A failed self-help run that exited with one of the codes `fixpoint campaign` returns for declined, postponed, timeout,
 * expired or no_user: that outcome; null otherwise. A run is self-help when its action runs as the user, or when
 * `selfHelp` (the caller's SQL, e.g. "fired by a self-help rule") holds: a system run that asks the user.
 */
export function neutralOutcomeSql(selfHelp: SQL): SQL<NeutralOutcome | null> {
  const byCode = sql.join(
    Object.entries(neutralExitCodes).map(([code, outcome]) => sql`when ${sql.raw(String(Number(code)))} then ${outcome}`),
    sql` `,
  );
  return sql<NeutralOutcome | null>`case when ${executions.status} = 'failed' and (${selfHelp}
      or exists (select 1 from ${actionVersions} where ${actionVersions.id} = ${executions.actionVersionId} and ${actionVersions.definition}->>'runAs' = 'user'))
    then case ${executions.exitCode} ${byCode} end end`;
}

/** Whether an execution was fired by a self-help detection rule (for queries over executions, not detection events). */
const firedBySelfHelpRule = sql`exists (select 1 from ${detectionEvents} inner join ${detectionRules} on ${detectionRules.id} = ${detectionEvents.ruleId}
  where ${detectionEvents.executionId} = ${executions.id} and ${detectionRules.selfHelp})`;

/** The neutral outcome of an execution, for a query whose `from` has the executions table. */
export const executionNeutralSql = neutralOutcomeSql(firedBySelfHelpRule);

/** The status of an execution, or its neutral outcome when it has one (`executions | where outcome == "declined"`). */
export const executionOutcomeSql = sql<string>`coalesce(${executionNeutralSql}, ${executions.status}::text)`;
