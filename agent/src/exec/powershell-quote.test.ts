import { describe, expect, it } from 'vitest';
import { quotePowerShell } from './powershell-quote';

describe('quotePowerShell', () => {
  it('makes a single-quoted string, doubling each quote PowerShell would end it at', () => {
    expect(quotePowerShell('C:\\Program Files\\node.exe')).toBe("'C:\\Program Files\\node.exe'");
    expect(quotePowerShell("C:\\Users\\O'Brien")).toBe("'C:\\Users\\O''Brien'");
    // typographic quotes end a single-quoted string too
    expect(quotePowerShell('Don’t ‘stop’ ‚now‛')).toBe("'Don’’t ‘‘stop’’ ‚‚now‛‛'");
  });

  it('leaves what a single-quoted string never expands alone', () => {
    expect(quotePowerShell('$env:TEMP `n "x" $(Get-Date)')).toBe('\'$env:TEMP `n "x" $(Get-Date)\'');
  });
});
