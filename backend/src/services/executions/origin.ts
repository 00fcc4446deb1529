/** @module Who launched a run, as the device's activity view names it: signed into each envelope at launch. */
import type { ExecutionOrigin, ExecutionTrigger, TriggerInfo } from '@fixpoint/protocol';
import type { Principal } from '../identity/rights';

const kinds: Record<ExecutionTrigger, ExecutionOrigin['kind']> = {
  manual: 'person',
  extension: 'person',
  api: 'api',
  schedule: 'schedule',
  detection: 'detection',
  campaign: 'campaign',
  self_service: 'self_service',
};

/**
 * The origin of a launch: a person by name (API clients too), automation by its label (`schedule:<id>`), a device
 * user by account; with the ticket the launch named.
 * @example originOf('extension', ana, { externalReference: 'INC0012' }) // → { kind: 'person', name: 'Ana', ticket: 'INC0012' }
 */
export function originOf(trigger: ExecutionTrigger, principal: Pick<Principal, 'kind' | 'name' | 'label' | 'owner'>, info: TriggerInfo | undefined): ExecutionOrigin {
  const kind = kinds[trigger];
  // automation carries its owner's name: the activity view names the automation itself
  const name = principal.owner || kind === 'schedule' || kind === 'detection' || kind === 'campaign' ? principal.label : principal.name || principal.label;
  const ticket = info?.externalReference?.trim();
  return { kind, name: name.slice(0, 400), ...(ticket ? { ticket: ticket.slice(0, 500) } : {}) };
}
