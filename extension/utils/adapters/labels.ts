/**
 * @module
 * The field labels that name a ticket's device, per tool, when the user configured none. Labels compare
 * case-insensitively and ignore a trailing colon or required-star (see `findValueByLabel`). The options page shows
 * these as the placeholder of each labels field, so what is in force is always visible.
 */

/** Labels ticketing tools commonly give the field that names the device. */
export const defaultDeviceLabels: readonly string[] = [
  'Device', 'Device name', 'Device hostname', 'Hostname', 'Computer', 'Computer name', 'Machine', 'Asset', 'Asset tag',
  'Configuration item', 'CI', 'Affected device',
];

/** The tools whose device field is found by label. */
export type LabelledTool = 'jira' | 'zendesk' | 'freshservice' | 'generic';

/** Default device labels for each tool: the common list, plus what the tool itself calls the field. */
export const defaultDeviceLabelsFor: Record<LabelledTool, readonly string[]> = {
  jira: defaultDeviceLabels,
  zendesk: defaultDeviceLabels,
  freshservice: ['Associated asset', ...defaultDeviceLabels],
  generic: defaultDeviceLabels,
};

/** Labels of the field naming the person a ticket is about, for generic sites with no user selector or expression. */
export const defaultUserLabels: readonly string[] = ['Requester', 'Requested for', 'Caller', 'Reporter', 'Reported by', 'Contact', 'User'];
