import type { DetectionRule } from '../../api/automation';

export interface RuleStateProps {
  rule: Pick<DetectionRule, 'enabled' | 'pausedByBreaker' | 'pausedForOwner' | 'rolloutStage'>;
}

/** Disabled, paused (its owner lost the right, or its breaker), rolling out to its canary, or running for every matching device. */
export function RuleState({ rule }: RuleStateProps) {
  if (!rule.enabled) return <span class="status-badge tone-off">disabled</span>;
  if (rule.pausedForOwner) return <span class="status-badge tone-bad">paused: owner</span>;
  if (rule.pausedByBreaker) return <span class="status-badge tone-bad">paused by breaker</span>;
  if (rule.rolloutStage === 'canary') return <span class="status-badge tone-busy">canary</span>;
  return <span class="status-badge tone-done">active</span>;
}
