import type { CampaignStatus } from '@fixpoint/protocol';

export interface CampaignStatusBadgeProps {
  status: CampaignStatus;
}

const tones: Record<CampaignStatus, string> = { draft: 'tone-busy', published: 'tone-done', retired: 'tone-off' };

export function CampaignStatusBadge({ status }: CampaignStatusBadgeProps) {
  return <span class={`status-badge ${tones[status]}`}>{status}</span>;
}
