/** @module Small display helpers shared by the screens. */

/** Splits a comma- or newline-separated list, trimming blanks and dropping empty entries and repeats. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean))];
}
