/** @module The rollout form's ring list as people type it, and how a rollout's rings and progress read. */
import type { AgentRollout, AgentRolloutRing } from '@fixpoint/protocol';

/**
 * Reads rings written one after another, separated by commas or arrows: `10%` is a share of the devices, anything
 * else a tag (several tags in one ring joined by `+`).
 * @example parseRings('canary → 10% → 100%') // [{ tags: ['canary'] }, { percent: 10 }, { percent: 100 }]
 */
export function parseRings(text: string): AgentRolloutRing[] {
  return text
    .split(/,|→|->/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(part);
      return percent ? { percent: Number(percent[1]) } : { tags: part.split('+').map((t) => t.trim()).filter(Boolean) };
    });
}

export function describeRings(rings: readonly AgentRolloutRing[]): string {
  return rings.map((r) => ('percent' in r ? `${r.percent}%` : r.tags.join('+'))).join(' → ');
}

/** "ring 2 of 3: 4 of 5 updated, 1 failed" */
export function describeProgress(r: Pick<AgentRollout, 'currentRing' | 'rings' | 'progress' | 'state'>): string {
  const { pending, sent, updated, failed } = r.progress;
  const total = pending + sent + updated + failed;
  const ring = r.state === 'completed' ? `all ${r.rings.length} rings` : `ring ${r.currentRing + 1} of ${r.rings.length}`;
  return `${ring}: ${updated} of ${total} updated${failed ? `, ${failed} failed` : ''}${sent ? `, ${sent} installing` : ''}`;
}

/** Hex SHA-256 of a file, as the release declares it. */
export async function sha256Hex(file: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
