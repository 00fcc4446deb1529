/** @module Devices: enrollment tokens, enrollment, scoped reading, tags, saved queries, removal, and what the agent channel records (facts, presence). */
export { deviceScopeCondition, seesAllDevices } from './scope';
export { createEnrollmentToken, listEnrollmentTokens, revokeEnrollmentToken } from './enrollment-tokens';
export { enrollDevice } from './enroll';
export { listDevices, getDevice } from './read';
export { deleteDevice } from './delete';
export { updateDevice, tagDevices } from './tags';
export { listSavedQueries, getSavedQuery, createSavedQuery, updateSavedQuery, deleteSavedQuery, assertScopeQueries } from './saved-queries';
export { toDevice, toEnrollmentToken } from './convert';
export { storeFacts, deviceKeys } from './facts';
export { recordPresence, heartbeatInstance, sweepDeadInstances, resetPresence, retireInstance, type PresenceChanges } from './presence';
