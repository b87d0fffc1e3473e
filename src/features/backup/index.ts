// Online database backups, retention of old ones, and restore (issue 13 item 6).
export { BackupService, BackupError, readManifest, type BackupManifest } from './service.js';
export { restoreBackup, type RestoreResult } from './restore.js';
export { startBackupJob } from './jobs.js';
export { databaseIsFree, integrityCheck, tableCounts } from './files.js';
