import { sql, type Column, type SQL } from 'drizzle-orm';

/**
 * `column = any($1::uuid[])` with the ids as one text parameter. Unlike `inArray`, the statement does not grow with
 * the number of ids (thousands of bind parameters cost PostgreSQL more to parse and plan than the look-up itself), and
 * its text stays the same, so it is prepared once. The ids must already be validated uuids.
 */
export function anyId(column: Column, ids: readonly string[]): SQL {
  return sql`${column} = any(string_to_array(${ids.join(',')}, ',')::uuid[])`;
}
