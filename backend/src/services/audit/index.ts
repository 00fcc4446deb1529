export { appendAudit, appendAuditMany, auditHeadJson, auditLock, parseAuditHead, type AuditHead, type AuditInput } from './append';
export { listAudit, type ListAuditInput } from './list';
export { verifyAudit, type VerifyResult } from './verify';
