import { describe, expect, it } from 'vitest';
import { matchRoute, pathFor, routeNames, routeTable, safeNextPath } from './routes';

describe('matchRoute', () => {
  it('prefers literal segments over parameters', () => {
    expect(matchRoute('/actions/new')?.route.name).toBe('action-new');
    expect(matchRoute('/actions/import')?.route.name).toBe('action-import');
    expect(matchRoute('/actions/clean-temp')).toMatchObject({ route: { name: 'action' }, params: { slug: 'clean-temp' } });
    expect(matchRoute('/admin/roles/new')?.route.name).toBe('role-new');
  });

  it('decodes parameters and ignores a trailing slash', () => {
    expect(matchRoute('/admin/roles/help%20desk/')?.params).toEqual({ name: 'help desk' });
    expect(matchRoute('/actions/%E0%A4%A')).toBeNull();
  });

  it('does not match unknown paths', () => {
    expect(matchRoute('/nope')).toBeNull();
    expect(matchRoute('/actions/a/b/c')).toBeNull();
  });

  it('builds paths that match back to the same page', () => {
    for (const route of routeTable) {
      const path = pathFor(route.name, { slug: 'a/b', name: 'x', id: '1' });
      expect(matchRoute(path)?.route.name).toBe(route.name);
    }
    expect(new Set(routeTable.map((r) => r.name))).toEqual(new Set(routeNames));
  });
});

describe('safeNextPath', () => {
  const origin = 'https://fixpoint.example';
  it('keeps same-origin paths with their query', () => {
    expect(safeNextPath('/admin/audit?actor=x', origin)).toBe('/admin/audit?actor=x');
  });
  it('refuses other origins and odd input', () => {
    for (const bad of ['//evil.example/x', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', null])
      expect(safeNextPath(bad, origin)).toBeNull();
  });
});
