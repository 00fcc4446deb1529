/** @module The query language over HTTP: devices and executions, limited to the caller's device scope. */
import { QueryRequest, QueryResult } from '../index';
import { endpoint } from './endpoint';

export const query = {
  run: endpoint({
    method: 'post',
    path: '/query',
    summary:
      'Run a query (e.g. `devices | where disk.free_pct < 10 | list name, last_seen`). A query the language rejects is a 400 `bad_request` whose `details` is a positioned QueryError.',
    tag: 'Query',
    auth: 'devices:read',
    body: QueryRequest,
    bodyLimit: 64 * 1024,
    response: QueryResult,
  }),
};
