/** @module Identity and access: sign-in, users, roles, personal access tokens, API clients and OAuth tokens. */
export { createToken, issueExtensionToken, listTokens, revokeToken } from './access-tokens';
export { createApiClient, deleteApiClient, listApiClients, rotateApiClientSecret } from './api-clients';
export { toMe } from './converters';
export { issueClientToken, type ClientCredentials } from './oauth';
export { authenticate, invalidatePrincipals, principalOf, resolvePrincipal } from './principal';
export { changeOwnPassword } from './change-password';
export { credentialGuardFor } from './credential-guard';
export { accountPolicy, addressPolicy, FailureThrottle } from './throttle';
export { createRole, deleteRole, getRole, listRoles, updateRole } from './roles';
export { login, logout, sessionCookie, sessionTtlMs } from './session';
export { createUser, deleteUser, getUser, listUsers, updateUser, type PageInput } from './users';
