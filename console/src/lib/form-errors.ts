/** @module Field errors keyed by dotted path (`parameters.0.name`), from zod issues or from an API error's details. */

/** Field path → first message for it; `''` holds errors about the whole form. */
export type FieldErrors = Record<string, string>;

/** Keeps the first message per path, as a form shows one message per field. */
export function issuesToErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Reads `details` of a `validation_failed` answer (`[{path, message}]`); anything else gives no field errors. */
export function detailsToErrors(details: unknown): FieldErrors {
  if (!Array.isArray(details)) return {};
  const errors: FieldErrors = {};
  for (const d of details) {
    if (d && typeof d === 'object' && typeof d.path === 'string' && typeof d.message === 'string') errors[d.path] ??= d.message;
  }
  return errors;
}

/** Lines for an error summary at the top of a form: "parameters.0.name: …", whole-form messages as they are. */
export function summarizeErrors(errors: FieldErrors): string[] {
  return Object.entries(errors).map(([key, message]) => (key ? `${key}: ${message}` : message));
}

/** The message for a field, or for anything inside it (`deviceScope.tags` also shows `deviceScope.tags.2`). */
export function errorFor(errors: FieldErrors, key: string): string | undefined {
  if (errors[key]) return errors[key];
  const nested = Object.keys(errors).find((k) => k.startsWith(`${key}.`));
  return nested ? errors[nested] : undefined;
}
