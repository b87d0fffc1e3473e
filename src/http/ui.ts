// The browser pages: the operator console at /, the overflow staff's mobile
// page at /m/. They are static files holding no data; everything they show
// comes from the authenticated API and socket.
import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';

export function uiRoutes(dir: string): Router {
  const root = path.resolve(dir);
  const r = Router();
  r.use(express.static(root, { index: false, maxAge: '1h', setHeaders: (res, file) => file.endsWith('.html') && res.setHeader('cache-control', 'no-cache') }));
  const page = (file: string) => (_req: express.Request, res: express.Response) => {
    const f = path.join(root, file);
    if (!existsSync(f)) return void res.status(503).type('text/plain; charset=utf-8').send('Интерфейс не собран: выполните `npm run ui:build`.\nThe UI is not built: run `npm run ui:build`.');
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(f);
  };
  r.get(['/m', '/m/'], page('mobile/index.html'));
  r.get(['/wall', '/wall/'], page('wallboard/index.html'));
  r.get(['/zones', '/zones/'], page('zones/index.html'));
  r.get(['/categories', '/categories/'], page('categories/index.html'));
  r.get(['/documents', '/documents/'], page('documents/index.html'));
  r.get(['/directory', '/directory/'], page('directory/index.html'));
  r.get(['/x', '/x/'], page('x/index.html'));
  r.get(['/reports', '/reports/'], page('reports/index.html'));
  r.get(['/admin', '/admin/'], page('admin/index.html'));
  // The residents' web form (/r/ chooses the company) and a request's status page: public, data from /api/public.
  r.get(['/r', '/r/', '/r/:tenant', '/r/:tenant/'], page('r/index.html'));
  r.get('/s/:token', page('s/index.html'));
  r.get('/', page('index.html'));
  return r;
}
