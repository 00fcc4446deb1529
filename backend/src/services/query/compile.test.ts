import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { devices } from '../../db/schema';
import { compileQuery, type CompileOptions } from './compile';
import { QuerySyntaxError } from './errors';
import { registerQueryTable } from './fields';

const dialect = new PgDialect({ casing: 'snake_case' });
const now = new Date('2025-03-01T12:00:00.000Z');

function compile(text: string, options: Partial<CompileOptions> = {}) {
  const compiled = compileQuery(text, { now, ...options });
  return { ...compiled, ...dialect.sqlToQuery(compiled.sql) };
}

function errorOf(text: string) {
  try {
    compileQuery(text, { now });
  } catch (e) {
    expect(e).toBeInstanceOf(QuerySyntaxError);
    return (e as QuerySyntaxError).queryError;
  }
  throw new Error(`expected an error for ${text}`);
}

describe('compileQuery', () => {
  it('compiles the three reference queries', () => {
    const a = compile('devices | where os.platform == "linux" and disk.free_pct < 10 | list name, os.version, last_seen | sort last_seen desc | limit 50');
    expect(a.columns).toEqual([
      { name: 'name', type: 'string' },
      { name: 'os.version', type: 'string' },
      { name: 'last_seen', type: 'datetime' },
    ]);
    expect(a.sql).toContain('order by "devices"."last_seen" desc nulls last, "devices"."id" asc');
    expect(a.params.at(-1)).toBe(50);
    expect(a.rowLimit).toBe(50);

    const b = compile('executions during past 24h | where action == "clear-temp" and status == "failed" | summarize count() by device.os.platform');
    expect(b.columns).toEqual([
      { name: 'device.os.platform', type: 'string' },
      { name: 'count', type: 'number' },
    ]);
    expect(b.sql).toContain('inner join "devices"');
    expect(b.sql).toContain('group by 1');
    expect(b.params).toContain('2025-02-28T12:00:00.000Z');

    const c = compile('devices | where remote_action.disk_usage.free_bytes < 10GB | summarize count() by platform');
    expect(c.params).toContain('disk-usage.free_bytes');
    expect(c.params).toContain(String(10 * 1024 ** 3));
  });

  it('never puts user text into the SQL text', () => {
    const hostile = `"; drop table devices; --`;
    const { sql: text, params } = compile(
      `devices | where name == ${JSON.stringify(hostile)} and facts.${'x'}-y.z == 'a"b' and remote_action.evil_slug.out == "x" | list facts.secret_path | sort facts.other desc`,
    );
    expect(text).not.toContain('drop table');
    expect(text).not.toContain('secret_path');
    expect(text).not.toContain('other');
    expect(text).not.toContain('evil');
    expect(params).toContain(hostile);
    expect(params).toContain('secret_path');
    expect(params).toContain('evil-slug.out');
  });

  it('reads facts nested first, then by their flat dotted key', () => {
    const { sql: text, params } = compile('devices | list disk.free_pct, facts.hostname');
    expect(text).toContain('coalesce(jsonb_extract_path("devices"."facts", $1::text, $2::text), "devices"."facts" -> $3::text)');
    expect(params.slice(0, 4)).toEqual(['disk', 'free_pct', 'disk.free_pct', 'hostname']);
  });

  it('caps rows and fetches one more only when the cap decides', () => {
    expect(compile('devices').params.at(-1)).toBe(1001);
    expect(compile('devices').rowLimit).toBe(1000);
    expect(compile('devices', { limit: 10 }).params.at(-1)).toBe(11);
    expect(compile('devices', { limit: 50_000 }).rowLimit).toBe(10_000);
    expect(compile('devices | limit 20', { limit: 10 }).params.at(-1)).toBe(11);
    expect(compile('devices | limit 5 | limit 20').params.at(-1)).toBe(5);
  });

  it('wraps stages that follow a limit, keeping the earlier order', () => {
    const { sql: text, columns } = compile('devices | sort last_seen desc | limit 10 | where platform == "linux" | sort name');
    expect(text).toMatch(/^select .* from \(select .* order by "devices"."last_seen" desc nulls last, "devices"."id" asc nulls last limit \$1\) as q1 where \(q1.c1 = \$2::text\) order by q1.c0 asc nulls last, q1.k asc/);
    expect(columns.map((c) => c.name)).toEqual(['name', 'platform', 'os.version', 'online', 'last_seen']);
    expect(errorOf('devices | limit 10 | where tags contains "x"').message).toMatch(/'tags' is not a column at this point; expected name, platform, os.version, online or last_seen/);
  });

  it('lets later stages use summarized columns', () => {
    const { sql: text, columns } = compile('devices | summarize n = count(), free = avg(disk.free_pct) by platform | where n > 5 | sort free desc | limit 2');
    expect(columns).toEqual([
      { name: 'platform', type: 'string' },
      { name: 'n', type: 'number' },
      { name: 'free', type: 'number' },
    ]);
    expect(text).toMatch(/where \(q1.c1 > \$\d+::numeric\) order by q1.c2 desc nulls last limit/);
    expect(errorOf('devices | summarize count() by platform | list name').message).toMatch(/'name' is not a column at this point; expected platform or count/);
    expect(errorOf('devices | summarize count(), count()').message).toMatch(/two columns are named 'count'/);
  });

  it('ANDs the scope condition into the base rows', () => {
    const scope = sql`${devices.tags} && array['site:paris']::text[]`;
    const { sql: text } = compile('executions | limit 5 | summarize count()', { scopeCondition: scope });
    expect(text).toMatch(/from "executions" inner join .* where \("devices"."tags" && array\['site:paris'\]::text\[\]\) order by/);
  });

  it('turns durations into instants for dates and seconds for numbers', () => {
    expect(compile('devices | where last_seen < 7d').params[0]).toBe('2025-02-22T12:00:00.000Z');
    expect(compile('devices | where enrolled_at >= "2025-01-02"').params[0]).toBe('2025-01-02T00:00:00.000Z');
    expect(compile('devices | where enrolled_at >= "2025-01-02T10:00:00+02:00"').params[0]).toBe('2025-01-02T08:00:00.000Z');
    expect(compile('executions | where duration > 5m').params[0]).toBe('300');
  });

  it('rejects unknown tables and fields with the known names', () => {
    expect(errorOf('responses | limit 1')).toMatchObject({
      line: 1,
      column: 1,
      expected: ['campaign_responses', 'devices', 'executions'],
      message: "line 1, column 1: unknown table 'responses'; expected campaign_responses, devices or executions",
    });
    expect(errorOf('executions | where nope == 1')).toMatchObject({ column: 20, message: expect.stringMatching(/unknown field 'nope' in executions; known fields: id, action, status/) });
    expect(errorOf('devices | where remote_action.x == 1').message).toMatch(/expected remote_action.<action>.<output>/);
    expect(errorOf('devices | where facts == 1').message).toMatch(/unknown field 'facts'/);
  });

  it('type-checks comparisons against fixed columns', () => {
    expect(errorOf('devices | where name == 5')).toMatchObject({ column: 25, message: expect.stringMatching(/name is text; compare it with a string/) });
    expect(errorOf('devices | where online == "yes"').message).toMatch(/online is true or false/);
    expect(errorOf('devices | where online < true').message).toMatch(/use == or != with true or false/);
    expect(errorOf('devices | where last_seen > 5').message).toMatch(/last_seen is a date; compare it with a duration such as 7d/);
    expect(errorOf('devices | where last_seen > "yesterday"').message).toMatch(/is a date/);
    expect(errorOf('devices | where last_seen contains "x"').message).toMatch(/contains needs a text field/);
    expect(errorOf('devices | where tags == "lab"').message).toMatch(/tags is a list; use contains or in/);
    expect(errorOf('devices | where platform == "Linux"')).toMatchObject({ expected: ['"windows"', '"macos"', '"linux"'] });
    expect(errorOf('executions | where status in ("failed", "oops")').message).toMatch(/status is never "oops"/);
    expect(errorOf('devices | where platform in ("linux", 5)').message).toMatch(/only strings or only numbers/);
    expect(errorOf('devices | where name > null').message).toMatch(/null can only be compared with == or !=/);
    expect(errorOf('devices | where x.y contains 5').message).toMatch(/contains needs a string/);
    expect(errorOf('devices | where last_seen < 300000d').message).toMatch(/at most 200 years/);
    expect(errorOf('devices | summarize sum(name)').message).toMatch(/sum\(\) needs a number field; name is string/);
    expect(errorOf('devices | summarize max(online)').message).toMatch(/max\(\) needs a number, date or text field/);
  });

  it('accepts tables registered later', () => {
    registerQueryTable({
      name: 'zz_test',
      from: sql`${devices}`,
      key: sql`${devices.id}`,
      timeField: 'seen',
      defaultColumns: ['label'],
      defaultSort: [{ field: 'label', direction: 'asc' }],
      knownFields: ['label', 'seen'],
      resolve: (path) =>
        path === 'label' ? { sql: sql`${devices.name}`, type: 'string' } : path === 'seen' ? { sql: sql`${devices.lastSeen}`, type: 'datetime' } : undefined,
    });
    const { sql: text } = compile('zz_test during past 1h | where label startswith "pc"');
    expect(text).toContain('starts_with(lower("devices"."name"), lower($2::text))');
  });
});
