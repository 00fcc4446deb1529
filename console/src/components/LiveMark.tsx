import type { LiveState } from '../stores/live-executions';

export interface LiveMarkProps {
  state: LiveState;
}

/** Says whether a list follows status changes as they happen. */
export function LiveMark({ state }: LiveMarkProps) {
  if (state === 'off') return null;
  return <span class={`live-mark ${state}`}>{state === 'live' ? 'live' : 'connecting…'}</span>;
}
