import { queryLimits, type QueryRequest, type QueryResult } from '@fixpoint/protocol';
import type { AppContext } from '../../context';
import type { Principal } from '../identity/rights';
import { deviceScopeCondition } from '../devices/scope';
import { runQuery } from './run';

/**
 * Runs a query for a caller: only devices in their device scope (and those devices' executions) are visible,
 * at most `request.limit` rows (default 1000), within the default statement timeout.
 */
export function runScopedQuery(ctx: AppContext, input: { principal: Principal; request: QueryRequest }): Promise<QueryResult> {
  return runQuery(ctx, {
    query: input.request.query,
    principal: input.principal,
    scopeCondition: deviceScopeCondition(input.principal),
    limit: input.request.limit ?? queryLimits.defaultRows,
    timeoutMs: queryLimits.defaultTimeoutMs,
  });
}
