/**
 * @module How values read to a person, in every client (console, launcher, extension): an action output by its
 * declared type, an agent fact by what its name says it holds, durations and times in human units. One module, so
 * a value reads the same in the launcher, the device view, query results and the audit log.
 */
import type { OutputType } from './actions';

/**
 * What a value holds. Output types as actions declare them (sizes in bytes, ratios 0–1, durations in seconds,
 * bitrates in bit/s), plus `percent` (0–100, as facts such as `disk.free_pct` report it).
 */
export type ValueKind = OutputType | 'percent';

const factKinds: [RegExp, ValueKind][] = [
  [/(^|[._])(bytes|size)$|_bytes$/, 'size'],
  [/(^|[._])(pct|percent)$|_pct$/, 'percent'],
  [/(^|[._])ratio$|_ratio$/, 'ratio'],
  [/_(sec|secs|seconds)$|^uptime$/, 'duration'],
  [/_(bps|bitrate)$/, 'bitrate'],
  [/(^|[._])(last_seen|enrolled_at)$|_at$/, 'datetime'],
];

// The same suffixes in camelCase, as API objects and audit details name their fields (`intervalSec`, `expiresAt`).
const camelKinds: [RegExp, ValueKind][] = [
  [/[a-z0-9]Bytes$/, 'size'],
  [/[a-z0-9](Pct|Percent)$/, 'percent'],
  [/[a-z0-9](Sec|Secs|Seconds)$/, 'duration'],
  [/[a-z0-9]At$/, 'datetime'],
];

/**
 * The kind of an agent fact or query column, read from its (dotted) name: `memory.total_bytes` is a size,
 * `disk.free_pct` a percentage, `uptime_sec` and `intervalSec` durations, `last_seen` and `expiresAt` date-times;
 * undefined when the name says nothing.
 */
export function factKind(path: string): ValueKind | undefined {
  const camel = camelKinds.find(([pattern]) => pattern.test(path))?.[1];
  if (camel) return camel;
  const name = path.toLowerCase();
  return factKinds.find(([pattern]) => pattern.test(name))?.[1];
}

function plainNumber(n: number, digits: number): string {
  // No thousands separators: integers are often ids, ports or counts people copy.
  if (Number.isInteger(n)) return String(n);
  return n.toFixed(digits).replace(/\.?0+$/, '');
}

function scaled(n: number, base: number, units: readonly string[]): string {
  let i = 0;
  while (Math.abs(n) >= base && i < units.length - 1) {
    n /= base;
    i++;
  }
  return `${plainNumber(Math.round(n * 10) / 10, 1)} ${units[i]}`;
}

/** Bytes in binary multiples with one decimal at most: 81608687616 → "76 GB". */
export function formatBytes(bytes: number): string {
  return scaled(bytes, 1024, ['B', 'KB', 'MB', 'GB', 'TB', 'PB']);
}

const durationUnits: [number, string, string][] = [
  [86400, 'day', 'days'],
  [3600, 'h', 'h'],
  [60, 'min', 'min'],
  [1, 's', 's'],
];

/**
 * Seconds as a person says them: the largest unit that fits, with the next one only while the first is below 10.
 * 0.042 → "42 ms", 90 → "1 min 30 s", 1016 → "17 min", 2653 → "44 min", 3900 → "1 h 5 min", 86400 → "1 day".
 */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return String(sec);
  if (sec < 0) return `-${formatDuration(-sec)}`;
  if (sec < 1) return sec === 0 ? '0 s' : `${Math.round(sec * 1000)} ms`;
  if (sec < 10 && !Number.isInteger(sec)) return `${Number(sec.toFixed(1))} s`;
  const at = durationUnits.findIndex(([size]) => sec >= size);
  const [size, one, many] = durationUnits[at]!;
  const name = (n: number, u: [number, string, string]) => `${n} ${n === 1 ? u[1] : u[2]}`;
  const whole = Math.floor(sec / size);
  const next = durationUnits[at + 1];
  if (whole >= 10 || !next) return name(Math.round(sec / size), [size, one, many]);
  const inNext = Math.round(sec / next[0]);
  const ratio = size / next[0];
  const first = Math.floor(inNext / ratio);
  const rest = inNext % ratio;
  return rest ? `${name(first, [size, one, many])} ${name(rest, next)}` : name(first, [size, one, many]);
}

/** "2024-05-01 14:03" in the viewer's time zone; an empty string for null, the text itself when it is no date. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function formatNumber(value: number, kind: ValueKind | undefined): string {
  switch (kind) {
    case 'size': return formatBytes(value);
    case 'bitrate': return scaled(value, 1000, ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s']);
    case 'ratio': return `${plainNumber(Math.round(value * 1000) / 10, 1)} %`;
    case 'percent': return `${plainNumber(Math.round(value * 10) / 10, 1)} %`;
    case 'duration': return formatDuration(value);
    case 'datetime': return formatDateTime(new Date(value * 1000).toISOString());
    default: return plainNumber(value, 3);
  }
}

/**
 * A value as text, by its kind (an output's declared type or {@link factKind}); without one, by what it is. Lists of
 * plain values are joined with commas, objects shown as JSON, booleans as yes/no, null as an empty string.
 * @example formatValue(0.3016, 'ratio') // "30.2 %"
 */
export function formatValue(value: unknown, kind?: ValueKind): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatNumber(value, kind);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return kind === 'datetime' ? formatDateTime(value) : value;
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) return value.map((v) => formatValue(v)).join(', ');
  return JSON.stringify(value);
}

/** A list of objects that share their keys (the `disks` fact), shown better as a table than as JSON. */
export function isRecordList(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
}
