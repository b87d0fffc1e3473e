// The express application: public routes (health, login, the browser app),
// then authentication, then every feature's routes.
import express, { type Router } from 'express';
import type { Logger } from '../log.js';
import { errorHandler, unknownRoute } from './errors.js';
import { uiRoutes } from './ui.js';
import { securityHeaders } from './security-headers.js';
import type { SipWsUrlFor } from './softphone-url.js';

export function createHttpApp(o: { logger: Logger; publicRoutes: Router[]; authenticate: express.RequestHandler; routes: Router[]; uiDir?: string; sipWsUrl?: string | SipWsUrlFor; tileUrl?: string }): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(securityHeaders({ sipWsUrl: o.sipWsUrl, tileUrl: o.tileUrl }));
  // Over the limit: 413 (errors.ts maps the parsers' errors to JSON ApiErrors).
  app.use(express.json({ limit: '1mb' }));
  for (const r of o.publicRoutes) app.use(r);
  app.use('/api', o.authenticate);
  for (const r of o.routes) app.use(r);
  app.use('/api', unknownRoute);
  if (o.uiDir) app.use(uiRoutes(o.uiDir));
  app.use(errorHandler(o.logger));
  return app;
}
