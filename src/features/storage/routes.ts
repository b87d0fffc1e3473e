// Storage for administrators (issue 13, item 6): GET /api/admin/storage shows
// the database's size, the recordings kept per company with their retention
// period, the backups and the free disk; PUT .../recording-retention sets a
// company's period. Admin only; a company outside the admin's scope is not shown.
import { Router } from 'express';
import { statfsSync, statSync } from 'node:fs';
import { z } from 'zod';
import { currentUser, requireRole } from '../auth/middleware.js';
import { notFound, parse } from '../../http/errors.js';
import type { BackupService } from '../backup/index.js';
import type { StorageRepository } from './repository.js';

export interface StorageDeps {
  repo: StorageRepository;
  backups: BackupService;
  dbPath: string;
  stateDir: string;
  backupSchedule: string;
  backupKeep: number;
}

export const retentionBody = z.object({
  days: z.number({ error: 'days: целое число дней от 1 до 36500 или null (хранить всегда)' }).int('days: целое число дней').min(1, 'days: не меньше 1').max(36_500, 'days: не больше 36500').nullable(),
}).strict();
export const tenantParam = z.object({ id: z.coerce.number().int().positive('id: номер компании') });

const fileSize = (f: string) => {
  try {
    return statSync(f).size;
  } catch {
    return 0;
  }
};

export function storageRoutes(d: StorageDeps): Router {
  const r = Router();
  r.get('/api/admin/storage', requireRole('admin'), (req, res) => {
    const scope = currentUser(req).tenantIds;
    let disk: { freeBytes: number; totalBytes: number } | null;
    try {
      const s = statfsSync(d.stateDir);
      disk = { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
    } catch {
      disk = null;
    }
    res.json({
      database: { bytes: d.repo.databaseBytes(), walBytes: fileSize(`${d.dbPath}-wal`) },
      recordings: d.repo.recordingsByCompany(scope),
      backups: { schedule: d.backupSchedule, keep: d.backupKeep, items: d.backups.list() },
      disk,
    });
  });
  r.put('/api/admin/tenants/:id/recording-retention', requireRole('admin'), (req, res) => {
    const { id } = parse(tenantParam, req.params, 'path');
    const { days } = parse(retentionBody, req.body);
    const scope = currentUser(req).tenantIds;
    if ((scope !== null && !scope.includes(id)) || !d.repo.setRecordingRetention(id, days)) throw notFound('company');
    res.json({ tenantId: id, retentionDays: days });
  });
  return r;
}
