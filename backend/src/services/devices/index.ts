/** @module Devices: enrollment tokens, enrollment, scoped reading, removal. */
export { deviceScopeCondition, seesAllDevices } from './scope';
export { createEnrollmentToken, listEnrollmentTokens, revokeEnrollmentToken } from './enrollment-tokens';
export { enrollDevice, parseDevicePublicKey } from './enroll';
export { listDevices, getDevice, likeEscape } from './read';
export { deleteDevice } from './delete';
export { toDevice, toEnrollmentToken } from './convert';
