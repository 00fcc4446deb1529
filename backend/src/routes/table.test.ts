import { describe, expect, it } from 'vitest';
import { endpoints } from '@fixpoint/protocol/api';
import { allRoutes } from '.';

describe('the route table', () => {
  it('binds every endpoint of the protocol table once, in its order, and nothing else', () => {
    expect(allRoutes.map((r) => `${r.method} ${r.path}`)).toEqual(endpoints.map((e) => `${e.method} ${e.path}`));
    allRoutes.forEach((r, i) => {
      const { handler, ...contract } = r;
      expect(typeof handler).toBe('function');
      expect(contract).toEqual(endpoints[i]);
    });
  });
});
