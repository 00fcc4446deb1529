/**
 * @module Who or what a label such as `schedule:<uuid>` or `user:ana@example.com` means, in words: the kind and
 * the object's name ("schedule: Disk usage"), as executions (`requestedBy`) and the audit log (actor, target) name them.
 */

/** The kinds of object a label can name, with the words shown for them. */
const kindWords: Record<string, string> = {
  user: 'user',
  client: 'API client',
  schedule: 'schedule',
  detection: 'detection rule',
  campaign: 'campaign',
  'campaign-schedule': 'campaign schedule',
  action: 'action',
  device: 'device',
  execution: 'execution',
  role: 'role',
  webhook: 'webhook',
  token: 'access token',
  'enrollment-token': 'enrollment token',
};

/** Kinds whose labels carry an id that means nothing to a person: their names are looked up. */
export const lookedUpKinds = ['schedule', 'detection', 'device', 'webhook', 'action', 'campaign'] as const;
export type LookedUpKind = (typeof lookedUpKinds)[number];

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Splits `kind:id` (the id may hold colons); a label without a colon is all kind (`system`). */
export function splitLabel(label: string): { kind: string; id: string } {
  const colon = label.indexOf(':');
  return colon < 0 ? { kind: label, id: '' } : { kind: label.slice(0, colon), id: label.slice(colon + 1) };
}

/** The object kind in words: `detection` → "detection rule"; unknown kinds as written. */
export function kindLabel(kind: string): string {
  return kindWords[kind] ?? kind.replaceAll('-', ' ');
}

/**
 * A label in words, with the name `names` knows for it: "schedule: Disk usage". Users read as their e-mail address;
 * an id nobody could resolve is shortened ("schedule 3f2a9c1e…") rather than shown whole.
 */
export function describeLabel(label: string, names: ReadonlyMap<string, string>): string {
  const { kind, id } = splitLabel(label);
  if (!id) return label;
  if (kind === 'user') return id;
  const name = names.get(label);
  if (name) return `${kindLabel(kind)}: ${name}`;
  return uuid.test(id) ? `${kindLabel(kind)} ${id.slice(0, 8)}…` : `${kindLabel(kind)}: ${id}`;
}

const labelPattern = new RegExp(`^(${Object.keys(kindWords).join('|')}):\\S+$`);

/** Whether a text is a label such as `user:ana@example.com` or `schedule:<id>`, to be shown in words. */
export function isLabel(text: string): boolean {
  return labelPattern.test(text);
}
