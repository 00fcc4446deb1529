export { appendAudit, appendAuditMany, auditLock, type AuditInput } from './append';
export { listAudit, type ListAuditInput } from './list';
export { verifyAudit, type VerifyResult } from './verify';
