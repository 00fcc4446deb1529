/**
 * @module A five-field cron parser with next-fire computation, in UTC.
 *
 * Fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12 or JAN-DEC), day of week (0-7 or SUN-SAT,
 * 0 and 7 both Sunday). Each field is a list of `*`, `N`, `A-B`, each optionally followed by `/STEP`; `N/STEP` runs
 * from N to the field's maximum. Macros: `@yearly` (`@annually`), `@monthly`, `@weekly`, `@daily` (`@midnight`), `@hourly`.
 * As in Vixie cron, when both day fields are restricted a day matching either one fires; a field that starts with
 * `*` counts as unrestricted.
 * @example nextCronFire(parseCron('*\/15 9-17 * * MON-FRI'), new Date('2025-05-02T17:50:00Z')) // 2025-05-05T09:00:00Z
 */

/** A cron text the parser rejects; `message` names the field and the problem. */
export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronError';
  }
}

export interface CronSpec {
  /** The text as given, trimmed. */
  text: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday (7 is folded into 0). */
  daysOfWeek: ReadonlySet<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
}

interface FieldDef {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const monthNames = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const dayNames = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const fields: readonly FieldDef[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  // names map to their index + min, so JAN = 1 and SUN = 0
  { name: 'month', min: 1, max: 12, names: monthNames },
  { name: 'day of week', min: 0, max: 7, names: dayNames },
];

const macros: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** Parses a cron expression; throws a CronError naming the field at fault. */
export function parseCron(text: string): CronSpec {
  const trimmed = text.trim();
  if (trimmed.length > 200) throw new CronError('a cron expression is limited to 200 characters');
  const expanded = trimmed.startsWith('@') ? macros[trimmed.toLowerCase()] : trimmed;
  if (expanded === undefined) throw new CronError(`unknown macro ${trimmed}; expected one of ${Object.keys(macros).join(', ')}`);
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5)
    throw new CronError(`expected 5 fields (minute hour day-of-month month day-of-week), found ${parts.length}`);
  const [minutes, hours, daysOfMonth, months, rawDow] = parts.map((p, i) => parseField(p, fields[i]!));
  const daysOfWeek = new Set([...rawDow!].map((d) => d % 7));
  return {
    text: trimmed,
    minutes: minutes!,
    hours: hours!,
    daysOfMonth: daysOfMonth!,
    months: months!,
    daysOfWeek,
    domRestricted: !parts[2]!.startsWith('*'),
    dowRestricted: !parts[4]!.startsWith('*'),
  };
}

function parseField(text: string, field: FieldDef): Set<number> {
  const out = new Set<number>();
  if (text === '') throw new CronError(`${field.name}: empty field`);
  for (const item of text.split(',')) {
    if (item === '') throw new CronError(`${field.name}: empty list item in '${text}'`);
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined) throw new CronError(`${field.name}: more than one '/' in '${item}'`);
    let step = 1;
    if (stepText !== undefined) {
      step = parseNumber(stepText, field, 'step');
      if (step < 1 || step > field.max - field.min + 1) throw new CronError(`${field.name}: step ${step} is out of range 1-${field.max - field.min + 1}`);
    }
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [field.min, field.max];
    else if (range!.includes('-')) {
      const [a, b, more] = range!.split('-');
      if (more !== undefined) throw new CronError(`${field.name}: malformed range '${range}'`);
      [from, to] = [parseValue(a!, field), parseValue(b!, field)];
      if (from > to) throw new CronError(`${field.name}: range ${range} runs backwards`);
    } else {
      from = parseValue(range!, field);
      // `N/STEP` means from N to the end of the field
      to = stepText !== undefined ? field.max : from;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

function parseValue(text: string, field: FieldDef): number {
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index >= 0) return index + field.min;
  const value = parseNumber(text, field, 'value');
  if (value < field.min || value > field.max) throw new CronError(`${field.name}: ${value} is out of range ${field.min}-${field.max}`);
  return value;
}

function parseNumber(text: string, field: FieldDef, what: string): number {
  if (!/^\d{1,4}$/.test(text)) {
    const names = field.names ? ` or a name (${field.names[0]}…${field.names.at(-1)})` : '';
    throw new CronError(`${field.name}: expected a number${names} as ${what}, found '${text.slice(0, 20)}'`);
  }
  return Number(text);
}

/** Whether a UTC day is selected by the day-of-month and day-of-week fields (either one when both are restricted). */
function dayMatches(spec: CronSpec, date: Date): boolean {
  const dom = spec.daysOfMonth.has(date.getUTCDate());
  const dow = spec.daysOfWeek.has(date.getUTCDay());
  if (spec.domRestricted && spec.dowRestricted) return dom || dow;
  return dom && dow;
}

/** Searching further than this finds nothing new (leap days repeat within 8 years, e.g. across 2100). */
const searchYears = 9;

/**
 * The first instant strictly after `after` (at a whole minute, UTC) that the expression selects, or null when it
 * never fires (e.g. `0 0 30 2 *`).
 */
export function nextCronFire(spec: CronSpec, after: Date): Date | null {
  const t = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
  const limit = Date.UTC(t.getUTCFullYear() + searchYears, 0, 1);
  while (t.getTime() < limit) {
    if (!spec.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(spec, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!spec.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!spec.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return t;
  }
  return null;
}
