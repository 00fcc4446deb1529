import { describe, expect, it } from 'vitest';
import { matchesPattern, originPattern, parseMatchPattern, patternForUrl } from './match-pattern';

describe('match patterns', () => {
  it.each([
    ['https://*.service-now.com/*', 'https://acme.service-now.com/incident.do?sys_id=1', true],
    ['https://*.service-now.com/*', 'https://service-now.com/x', true],
    ['https://*.service-now.com/*', 'https://acme.service-now.com.evil.example/x', false],
    ['https://*.service-now.com/*', 'http://acme.service-now.com/x', false],
    ['*://hd.acme.example/tickets/*', 'http://hd.acme.example/tickets/1', true],
    ['*://hd.acme.example/tickets/*', 'https://hd.acme.example/admin', false],
    ['http://127.0.0.1/tickets/*', 'http://127.0.0.1:8799/tickets/1', true],
    ['http://127.0.0.1:8080/*', 'http://127.0.0.1:8799/', false],
    ['https://hd.acme.example/*', 'javascript:alert(1)', false],
    ['ftp://x.example/*', 'ftp://x.example/a', false],
  ])('%s covers %s: %s', (pattern, url, expected) => {
    expect(matchesPattern(pattern, url)).toBe(expected);
  });

  it('rejects what is not a pattern and derives origins', () => {
    expect(parseMatchPattern('not a pattern')).toBeNull();
    expect(parseMatchPattern('https://a*b.example/*')).toBeNull();
    expect(originPattern('https://*.atlassian.net/browse/*')).toBe('https://*.atlassian.net/*');
    expect(patternForUrl('https://fp.acme.example:8443/base')).toBe('https://fp.acme.example:8443/*');
    expect(patternForUrl('file:///etc/passwd')).toBeNull();
  });
});
