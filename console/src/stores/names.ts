/**
 * @module Names of the objects labels point at (`schedule:<id>` → "Disk usage"), looked up once per label and kept
 * for the session; a lookup the caller may not make leaves the label shortened instead.
 */
import { signal } from '@preact/signals';
import { schedulesApi, detectionsApi } from '../api/automation';
import { campaignsApi } from '../api/campaigns';
import { devicesApi } from '../api/operate';
import { actionsApi, webhooksApi } from '../api/resources';
import { lookedUpKinds, splitLabel, type LookedUpKind } from '../lib/principals';

/** Known names by label; a new map on every change, so readers re-render. */
export const labelNames = signal<ReadonlyMap<string, string>>(new Map());
const asked = new Set<string>();

const lookups: Record<LookedUpKind, (id: string) => Promise<{ name: string }>> = {
  schedule: schedulesApi.get,
  detection: detectionsApi.get,
  device: devicesApi.get,
  webhook: webhooksApi.get,
  action: actionsApi.get,
  campaign: campaignsApi.get,
};

/** Looks up the names of labels not asked for yet. */
export function requestNames(labels: Iterable<string | null | undefined>): void {
  for (const label of labels) {
    if (!label || asked.has(label)) continue;
    asked.add(label);
    const { kind, id } = splitLabel(label);
    if (!id || !(lookedUpKinds as readonly string[]).includes(kind)) continue;
    lookups[kind as LookedUpKind](id).then(
      (found) => (labelNames.value = new Map(labelNames.value).set(label, found.name)),
      () => undefined,
    );
  }
}
