import { describe, expect, it } from 'vitest';
import { CampaignDefinition } from '@fixpoint/protocol';
import { optionalWhole } from './DeadlineFields';

describe('deadline fields', () => {
  it('read blank as off and scale hours to seconds', () => {
    expect(optionalWhole('  ')).toBeUndefined();
    expect(optionalWhole('1,5', 3600)).toBe(5400);
    expect(optionalWhole('3')).toBe(3);
  });

  it('give a definition the campaign schema takes, with the fields left out when off', () => {
    const base = { slug: 'restart', name: 'Restart', branding: { title: { en: 'IT' } }, questions: [{ id: 'q', type: 'info', text: { en: 'Restart?' } }], finalMessage: { en: 'OK' } };
    expect(CampaignDefinition.safeParse({ ...base, deadlineSec: optionalWhole('2', 3600), maxPostpones: optionalWhole('3'), countdownSec: undefined }).success).toBe(true);
    expect(CampaignDefinition.parse({ ...base, deadlineSec: optionalWhole('', 3600) }).deadlineSec).toBeUndefined();
  });
});
