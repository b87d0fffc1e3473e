// GET /api/openapi.json (any logged-in user: the document holds no secrets
// but describes the admin API, so not for the world) and the page that shows
// it, /api/docs/ (a static page from agent-ui; it asks for the document with
// the user's token, like every other page).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';
import { openApiDocument } from '../../http/openapi/document.js';
import { apiCatalogue } from './catalogue.js';

/** Pult's version from its package.json: the nearest one above this module (sources, or the compiled build/). */
function packageVersion(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'pult' && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) return '0.0.0';
  }
}

export function apiDocumentRoutes(): Router {
  const r = Router();
  let doc: unknown = null;
  r.get('/api/openapi.json', (_req, res) => {
    doc ??= openApiDocument(apiCatalogue, {
      title: 'Пульт API',
      version: packageVersion(),
      description: 'Сервер диспетчерской: звонки, заявки, исполнители, администрирование. Схемы запросов — те же схемы zod, которыми сервер проверяет запросы.',
    });
    res.setHeader('cache-control', 'private, no-cache');
    res.json(doc);
  });
  return r;
}

/** Public: the page itself holds no data (the same as the other pages in src/http/ui.ts). */
export function apiDocsPageRoutes(uiDir: string | undefined): Router {
  const r = Router();
  r.get('/api/docs/', (_req, res) => {
    const file = uiDir ? path.resolve(uiDir, 'apidocs/index.html') : null;
    if (!file || !existsSync(file)) return void res.status(503).type('text/plain; charset=utf-8').send('Интерфейс не собран: выполните `npm run ui:build`.\nThe UI is not built: run `npm run ui:build`.');
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(file);
  });
  return r;
}
