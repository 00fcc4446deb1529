/** @module Small display helpers shared by the screens. */

/** "2024-05-01 14:03" in the viewer's time zone; an empty string for null. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Seconds as the largest whole unit that fits: 300 → "5 min", 86400 → "1 day", 90 → "90 s". */
export function formatDuration(sec: number): string {
  const units: [number, string, string][] = [
    [86400, 'day', 'days'],
    [3600, 'h', 'h'],
    [60, 'min', 'min'],
  ];
  for (const [size, one, many] of units) if (sec >= size && sec % size === 0) return `${sec / size} ${sec / size === 1 ? one : many}`;
  return `${sec} s`;
}

/** Splits a comma- or newline-separated list, trimming blanks and dropping empty entries and repeats. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean))];
}

/** Audit details as short "key: value" lines; long values are cut so one entry cannot flood the table. */
export function describeDetails(details: Record<string, unknown>, max = 80): string[] {
  return Object.entries(details).map(([key, value]) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return `${key}: ${text.length > max ? `${text.slice(0, max - 1)}…` : text}`;
  });
}
