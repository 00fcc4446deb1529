import { CampaignDefinition } from '@fixpoint/protocol';
import { sampleCampaign } from '@fixpoint/protocol/testing';
import { describe, expect, it } from 'vitest';
import { describeAnswers } from './answers';
import { plain, questionCharts, responseStateLabel, stateRows } from './campaign-results';
import { barRows, formatShare, npsBandOf } from './charts';

describe('barRows', () => {
  it('gives shares of the total and widths relative to the longest bar', () => {
    expect(barRows([{ key: 'a', label: 'A', count: 3 }, { key: 'b', label: 'B', count: 1 }])).toEqual([
      { key: 'a', label: 'A', count: 3, share: 0.75, width: 1 },
      { key: 'b', label: 'B', count: 1, share: 0.25, width: 1 / 3 },
    ]);
    expect(barRows([{ key: 'a', label: 'A', count: 0 }])[0]).toMatchObject({ share: 0, width: 0 });
    expect(formatShare(2 / 3)).toBe('67 %');
  });
});

describe('questionCharts', () => {
  const definition = CampaignDefinition.parse(sampleCampaign());

  it('orders choices as defined, labels them, and keeps answers to removed choices', () => {
    const charts = questionCharts(definition, [
      { id: 'satisfied', type: 'single', answered: 4, counts: { no: 1, yes: 2, maybe: 1 }, average: null },
      { id: 'nps', type: 'nps', answered: 2, counts: { '10': 1, '3': 1 }, average: 6.5, nps: { promoters: 1, passives: 0, detractors: 1, score: 0 } },
    ]);
    expect(charts.map((c) => c.id)).toEqual(['satisfied', 'why', 'details', 'nps', 'improve', 'rating']);
    const satisfied = charts[0]!;
    expect(satisfied.title).toBe('Are you satisfied with {{device}}?');
    expect(satisfied.rows.map((r) => [r.label, r.count, r.share])).toEqual([['Yes', 2, 0.5], ['No', 1, 0.25], ['maybe (earlier version)', 1, 0.25]]);
    const nps = charts.find((c) => c.id === 'nps')!;
    expect(nps.rows.map((r) => r.key)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(nps.nps?.score).toBe(0);
    expect(charts.find((c) => c.id === 'rating')!.rows).toHaveLength(5);
    expect(charts.find((c) => c.id === 'details')).toMatchObject({ answered: 0, rows: [] });
  });

  it('strips markdown from titles', () => {
    expect(plain('Hi **{user}**, see [the *guide*](https://x.test)\nnow')).toBe('Hi {user}, see the guide now');
  });
});

describe('states and answers', () => {
  it('lists every response state', () => {
    const rows = stateRows({ fully: 3, declined: 1 });
    expect(rows.map((r) => r.key)).toEqual(['fully', 'declined', 'postponed', 'timeout', 'expired', 'no_user', 'notification_failed', 'deadline_reached']);
    expect(rows[0]).toMatchObject({ label: 'Answered', share: 0.75 });
  });

  it('bands NPS scores and writes answers as lines', () => {
    expect([-20, 0, 10, 50].map(npsBandOf)).toEqual(['poor', 'poor', 'good', 'excellent']);
    expect(describeAnswers({ why: ['slow', 'crashes'] }, { details: 'too\nslow' })).toEqual(['why: slow, crashes', 'details: “too slow”']);
  });

  it('says a response state in words', () => {
    expect(responseStateLabel('fully')).toBe('Answered');
    expect(responseStateLabel('no_user')).toBe('No user logged in');
    expect(responseStateLabel('some_new')).toBe('some new');
  });
});
