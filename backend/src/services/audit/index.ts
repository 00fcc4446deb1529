export { appendAudit, type AuditInput } from './append';
export { verifyAudit, type VerifyResult } from './verify';
