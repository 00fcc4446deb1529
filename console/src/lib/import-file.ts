/** @module Choosing how to send an uploaded action file. */

/** The content type to send for a picked file, from its name: YAML unless it looks like JSON. */
export function importContentType(fileName: string, text: string): string {
  if (/\.json$/i.test(fileName)) return 'application/json';
  if (/\.ya?ml$/i.test(fileName)) return 'application/yaml';
  return text.trimStart().startsWith('{') ? 'application/json' : 'application/yaml';
}
