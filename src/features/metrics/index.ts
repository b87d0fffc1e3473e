// Prometheus metrics (issue 13, item 5): see metrics.ts and routes.ts.
export { PultMetrics, type MetricsSources } from './metrics.js';
export { MetricsRepository } from './repository.js';
export { metricsRoutes, isPrivateAddress, type MetricsAccess } from './routes.js';
