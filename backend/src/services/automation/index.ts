/**
 * @module What schedules and detection rules share: the system principal they launch as, the check that an action
 * can run unattended, and device targets (a query or a where-clause) matched page by page.
 */
export { systemPrincipal } from './principal';
export { checkAutomatedAction, loadAutomatedAction, maskSecrets, actionSummaries, type AutomatedAction } from './action-check';
export { parseDeviceTarget, parseDeviceCondition, matchDevicePages, type DeviceTarget, type TargetDevice, type MatchOptions } from './targets';
