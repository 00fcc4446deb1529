/** @module The few device facts a help request shows at a glance (the API has them all). */

const shown = ['os.name', 'os.version', 'os.platform', 'hardware.model', 'disk.free_pct', 'network.ip'] as const;

/** `os.name: Debian · disk.free_pct: 12` — the known facts present, in a fixed order. */
export function factSummary(facts: Record<string, unknown>): string {
  return shown
    .filter((key) => facts[key] !== undefined && facts[key] !== null && typeof facts[key] !== 'object')
    .map((key) => `${key}: ${String(facts[key])}`)
    .join(' · ');
}
