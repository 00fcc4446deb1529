/** @module The toolbar popup: who is signed in, where, and the recent launches made from ticket pages. */
import { executionStatuses, type ExecutionStatus } from '@fixpoint/protocol';
import type { Auth, RecentLaunch } from '../utils/settings';
import { statusTone } from '@fixpoint/launcher';

const toneOf = (status: string) => ((executionStatuses as readonly string[]).includes(status) ? statusTone(status as ExecutionStatus) : 'busy');

export interface PopupViewProps {
  backendUrl: string | null;
  auth: Auth | null;
  recent: RecentLaunch[];
  onOpenOptions(): void;
}

export function PopupView({ backendUrl, auth, recent, onOpenOptions }: PopupViewProps) {
  return (
    <main class="popup">
      <h1>Fixpoint</h1>
      {auth && backendUrl ? (
        <p>
          Signed in as <strong>{auth.name ?? auth.email}</strong> on <span class="muted">{new URL(backendUrl).host}</span>
        </p>
      ) : (
        <p>{backendUrl ? 'Not signed in.' : 'Not set up yet.'}</p>
      )}
      <h2>Recent launches</h2>
      {recent.length === 0 ? (
        <p class="muted">None yet. Launch an action from a ticket page.</p>
      ) : (
        <ul class="recent">
          {recent.map((r) => (
            <li key={r.executionId}>
              <strong>{r.actionName}</strong> on {r.deviceName}{' '}
              <span class={`badge tone-${toneOf(r.status)}`}>{r.status.replace('_', ' ')}</span>
              <div class="muted">
                {[r.ticketId, new Date(r.at).toLocaleString()].filter(Boolean).join(' · ')}
              </div>
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={onOpenOptions}>{auth ? 'Settings' : 'Set up and sign in'}</button>
    </main>
  );
}
