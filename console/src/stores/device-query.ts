/**
 * @module The devices page's query and its last result. Kept outside the page, so going to a device and back
 * shows the same results without running the query again.
 */
import { signal } from '@preact/signals';
import { queryApi, type QueryResultT } from '../api/operate';
import type { PositionedError } from '../components/QueryEditor';
import { readQueryError } from '../components/QueryEditor';
import { mapQueryError, prepareDeviceQuery, queryTableName, type PreparedQuery } from '../lib/device-query';

export const defaultDeviceQuery = 'devices | sort name asc';

export interface QueryRun {
  /** The query as typed. */
  text: string;
  table: string;
  prepared: PreparedQuery;
  result: QueryResultT;
  /** Index of the `id` column, when the rows carry one. */
  idColumn: number;
}

export const deviceQueryText = signal(defaultDeviceQuery);
export const deviceQueryRun = signal<QueryRun | null>(null);
/** A query the language rejected, at its position. */
export const deviceQueryError = signal<PositionedError | null>(null);
/** Any other failure (network, permissions). */
export const deviceQueryFailure = signal<unknown>(null);
export const deviceQueryRunning = signal(false);

let ticket = 0;

/** Runs a query as the devices page shows it; the newest run wins when several overlap. */
export async function runDeviceQuery(text: string): Promise<void> {
  const mine = ++ticket;
  const prepared = prepareDeviceQuery(text);
  deviceQueryRunning.value = true;
  try {
    const result = await queryApi.run(prepared.text);
    if (mine !== ticket) return;
    deviceQueryRun.value = { text, table: queryTableName(text), prepared, result, idColumn: result.columns.findIndex((c) => c.name === 'id') };
    deviceQueryError.value = null;
    deviceQueryFailure.value = null;
  } catch (error) {
    if (mine !== ticket) return;
    const positioned = readQueryError(error);
    deviceQueryError.value = positioned ? { error: mapQueryError(positioned, prepared), text } : null;
    deviceQueryFailure.value = positioned ? null : error;
  } finally {
    if (mine === ticket) deviceQueryRunning.value = false;
  }
}

/** The devices a query selects (ids and names, up to 10,000), for sending something to all of them. */
export type DeviceSelection = { ok: true; ids: string[]; names: string[]; nameOf: Record<string, string>; truncated: boolean } | { ok: false; error: PositionedError | null; failure: unknown };

export async function selectDevices(text: string): Promise<DeviceSelection> {
  const prepared = prepareDeviceQuery(text);
  try {
    const result = await queryApi.run(prepared.text, 10_000);
    const idColumn = result.columns.findIndex((c) => c.name === 'id');
    const nameColumn = result.columns.findIndex((c) => c.name === 'name');
    if (queryTableName(text) !== 'devices' || idColumn < 0)
      return { ok: false, error: null, failure: new Error('Use a devices query without summarize, e.g. devices | where platform == "windows".') };
    const nameOf: Record<string, string> = {};
    if (nameColumn >= 0) for (const r of result.rows) nameOf[String(r[idColumn])] = String(r[nameColumn]);
    return {
      ok: true,
      ids: [...new Set(result.rows.map((r) => String(r[idColumn])))],
      names: nameColumn >= 0 ? result.rows.map((r) => String(r[nameColumn])) : [],
      nameOf,
      truncated: result.truncated,
    };
  } catch (error) {
    const positioned = readQueryError(error);
    return { ok: false, error: positioned ? { error: mapQueryError(positioned, prepared), text } : null, failure: positioned ? null : error };
  }
}
