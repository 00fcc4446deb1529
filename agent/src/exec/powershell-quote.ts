/** @module Quoting text into PowerShell code, and a script into a command line. */

/**
 * `text` as a PowerShell single-quoted string, which expands nothing. PowerShell takes the typographic single quotes
 * (‘ ’ ‚ ‛) for `'` too, so each of them is doubled like `'` is: a name such as `O’Brien` would otherwise end the
 * string early.
 * @example quotePowerShell("C:\\Users\\O'Brien") // 'C:\Users\O''Brien'
 */
export function quotePowerShell(text: string): string {
  return `'${text.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`;
}

/** A script for `powershell -EncodedCommand` (base64 of UTF-16LE): no quoting of its quotes and line ends on the command line. */
export const encodeCommand = (script: string): string => Buffer.from(script, 'utf16le').toString('base64');
