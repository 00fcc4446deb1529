import type { Principal } from '../../http/principal';

/**
 * The principal that server-side launchers act as: admin-equivalent (every action, every device), named by `label`
 * (e.g. `schedule:<id>`, `detection:<id>`) so executions, launch requests and the audit log say what started them.
 * The person who created the schedule or rule had `actions:edit`, which already lets them change any action.
 */
export function systemPrincipal(label: string): Principal {
  return {
    kind: 'client',
    id: label,
    name: label,
    email: null,
    label,
    via: 'client_token',
    roles: [],
    permissions: new Set(['admin']),
    runnableActions: '*',
    scopes: [{ all: true, tags: [], platforms: [] }],
  };
}
