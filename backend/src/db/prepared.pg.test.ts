/**
 * Drizzle's queries on PostgreSQL run as named statements (`prepared.ts`): parsed once per connection, then one round
 * trip each. Checked on the server, which lists a connection's named statements in `pg_prepared_statements`.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDb } from '../testing/harness';
import type { Database } from '.';
import { openDatabase } from '.';
import { rowsOf } from './rows';

describe('named statements on PostgreSQL', () => {
  let database: Database & { url: string };
  beforeAll(async () => {
    database = await createPostgresDb();
  });
  afterAll(() => database.close());

  // one transaction: one connection, whose statements the view lists
  const namedOnConnection = (marker: string) =>
    database.db.transaction(async (tx) => {
      for (let i = 0; i < 3; i++) expect(rowsOf(await tx.execute(sql`select ${i}::int as n, ${marker}::text as marker`))[0]).toEqual({ n: i, marker });
      const named = rowsOf(await tx.execute(sql`select statement from pg_prepared_statements where statement like ${'%::text as marker%'}`));
      return named.length;
    });

  it('names the queries drizzle sends', async () => {
    expect(await namedOnConnection('in a transaction')).toBe(1);
  });

  it('names the queries of a savepoint too', async () => {
    const named = await database.db.transaction((tx) =>
      tx.transaction(async (inner) => {
        await inner.execute(sql`select ${1}::int as nested_marker`);
        return rowsOf(await inner.execute(sql`select count(*)::int as n from pg_prepared_statements where statement like ${'%nested_marker%'}`));
      }),
    );
    expect(named).toEqual([{ n: 1 }]);
  });

  it('leaves them unnamed with prepare: false (FIXPOINT_DATABASE_PREPARE=false, for poolers that cannot keep them)', async () => {
    const unnamed = await openDatabase({ url: database.url, migrate: false, prepare: false });
    try {
      const named = await unnamed.db.transaction(async (tx) => {
        await tx.execute(sql`select ${1}::int as unnamed_marker`);
        return rowsOf(await tx.execute(sql`select count(*)::int as n from pg_prepared_statements where statement like ${'%unnamed_marker%'}`));
      });
      expect(named).toEqual([{ n: 0 }]);
    } finally {
      await unnamed.close();
    }
  });
});
