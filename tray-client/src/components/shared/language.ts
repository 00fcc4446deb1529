/** @module One way to pick a component's own words for a language tag, as the prompt does (`promptStrings`). */

/** The strings for a language tag (`fr-CA` → French), English when there are none. */
export function stringsFor<T>(table: Record<string, T> & { en: T }, language: string | undefined): T {
  const tag = language ?? 'en';
  return table[tag] ?? table[tag.split('-')[0]!] ?? table.en;
}
