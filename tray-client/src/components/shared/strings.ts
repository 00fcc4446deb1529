/** @module How every tray window picks its words: the language tag, then its base language (`fr-CA` → `fr`), then English. */

/** The entry of `table` for `language`; `table.en` must exist. */
export function stringsFor<T>(table: Record<string, T>, language: string): T {
  return table[language] ?? table[language.split('-')[0]!] ?? table.en!;
}
