import { describe, expect, it } from 'vitest';
import { EnrollRequest } from './devices';
import { hostnameProblem, isHostname, toHostname } from './hostname';

describe('host names', () => {
  it('accepts RFC 1123 names and FQDNs up to 253 characters', () => {
    const fqdn = [...Array(3).fill('a'.repeat(63)), 'b'.repeat(61)].join('.');
    expect(fqdn).toHaveLength(253);
    for (const name of ['LT-ABEL-0042', 'pc', '1', '9lives', 'ws-par-3381.corp.acme.example', 'a'.repeat(63), fqdn]) expect(isHostname(name), name).toBe(true);
  });

  it('refuses markup, spaces, underscores, empty or overlong labels and edge hyphens, saying why', () => {
    const cases: [string, RegExp][] = [
      ['<img src=x onerror=alert(1)>', /not "<"/],
      ['Ana MacBook', /not " "/],
      ['DESKTOP_01', /not "_"/],
      ['', /empty/],
      ['a..b', /empty part/],
      ['.corp', /empty part/],
      ['-pc', /hyphen/],
      ['pc-', /hyphen/],
      ['a'.repeat(64), /63/],
      [`${'a'.repeat(63)}.`.repeat(4) + 'a', /253/],
      ['pc\u00e9', /not "é"/],
    ];
    for (const [name, why] of cases) {
      expect(isHostname(name), name).toBe(false);
      expect(hostnameProblem(name), name).toMatch(why);
    }
  });

  it('makes the nearest host name from a computer name, or none', () => {
    expect(toHostname('Ana’s MacBook Pro')).toBe('Ana-s-MacBook-Pro');
    expect(toHostname('DESKTOP_01')).toBe('DESKTOP-01');
    expect(toHostname('Pôste Réception.local')).toBe('Poste-Reception.local');
    expect(toHostname('-x-.-y-')).toBe('x.y');
    expect(toHostname('a'.repeat(80))).toBe('a'.repeat(63));
    expect(toHostname('___')).toBeUndefined();
    expect(toHostname('')).toBeUndefined();
    const long = Array(6).fill('b'.repeat(60)).join('.');
    expect(isHostname(toHostname(long)!)).toBe(true);
    expect(toHostname(long)!.length).toBeLessThanOrEqual(253);
  });

  it('is what enrollment checks', () => {
    const body = { token: 't'.repeat(20), publicKey: 'k'.repeat(44), platform: 'linux', osVersion: '1', agentVersion: '1' };
    expect(EnrollRequest.parse({ ...body, name: ' pc-01 ' }).name).toBe('pc-01');
    const refused = EnrollRequest.safeParse({ ...body, name: 'pc 01' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/^name must be the device's host name: .*not " "/);
  });
});
