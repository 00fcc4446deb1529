/**
 * @module What schedules, detection rules and campaign schedules share: acting with their owner's rights, the check
 * that an action may run unattended, and device targets (a query or a where-clause) matched page by page.
 */
export { actAsOwner, mayRun, mayTriggerCampaigns, ownerFor, ownerOf, type Acting, type Owner, type OwnerRight } from './owner';
export { awaitingApproval, checkAutomatedAction, loadAutomatedAction, maskSecrets, actionSummaries, type AutomatedAction } from './action-check';
export { parseDeviceTarget, parseDeviceCondition, matchDevicePages, type DeviceTarget, type TargetDevice, type MatchOptions } from './targets';
export { breakerTrip, countedStatuses, failedStatuses, isFailure } from './breaker';
export { resolveSavedTarget, savedTargetCondition, savedQueryNames } from './saved-target';
