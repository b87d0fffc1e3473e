// Retention of sessions, webhook log and applied-event keys (see service.ts).
export { RetentionService, type RetentionOptions, type RetentionReport } from './service.js';
export { startRetentionJobs } from './jobs.js';
