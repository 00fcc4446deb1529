/**
 * @module Named statements for drizzle on postgres.js. Drizzle runs every query it did not name unnamed
 * (`prepare: false`), and postgres.js then sends a query with parameters in two round trips: Parse and Describe to
 * learn the parameters' types, then Bind and Execute. Named, a statement is parsed once per connection and every later
 * run is one round trip (Bind and Execute), with less parsing and planning on the server too. Statement texts are
 * few (parameters are placeholders, and lists of ids travel as one array or JSON parameter), postgres.js recycles its
 * connections within the hour, and re-prepares a statement whose cached plan a schema change made stale.
 */
import type { Sql } from 'postgres';

type Client = Sql<Record<string, never>>;

/** The same client, with every `unsafe` query (what drizzle sends) named; transactions and savepoints too. */
export function namingStatements(client: Client): Client {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop === 'unsafe')
        return (query: string, params?: unknown[], options?: Record<string, unknown>) =>
          target.unsafe(query, params as never, { ...options, prepare: true });
      // drizzle's transactions and savepoints run their queries on the scoped client passed to the callback
      if ((prop === 'begin' || prop === 'savepoint') && typeof value === 'function')
        return (...args: unknown[]) => {
          const last = args.length - 1;
          const fn = args[last] as (sql: Client) => unknown;
          return (value as (...a: unknown[]) => unknown).apply(target, [...args.slice(0, last), (sql: Client) => fn(namingStatements(sql))]);
        };
      return value;
    },
  });
}
