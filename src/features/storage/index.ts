// Storage overview and recording retention per company (issue 13, item 6).
export { StorageRepository, type CompanyRecordings } from './repository.js';
export { storageRoutes, type StorageDeps } from './routes.js';
