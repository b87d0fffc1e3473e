// The plain-HTTP listener next to HTTPS (PULT_HTTP_REDIRECT_PORT): it serves
// nothing, it only sends every request to the same path on https — 301 for
// GET/HEAD, 308 for the rest (keeps the method and body). The target host is
// PULT_PUBLIC_URL's when that is https, else the host the browser asked for
// (checked to be a plain host name or address, so no header can be smuggled).
// One exception, for renewing a certificate without stopping Pult: with
// PULT_ACME_WEBROOT set, /.well-known/acme-challenge/<token> is answered from
// <webroot>/.well-known/acme-challenge/<token> (certbot certonly --webroot -w <webroot>).
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const acmeChallenge = /^\/\.well-known\/acme-challenge\/([A-Za-z0-9_-]{1,128})$/;

const hostHeader = /^(?<host>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The https URL a plain-HTTP request is sent to, or null when its Host header is missing or malformed. */
export function httpsTarget(req: { url?: string; headers: http.IncomingHttpHeaders }, httpsPort: number, publicUrl: string | null): string | null {
  const path = req.url?.startsWith('/') ? req.url : '/';
  if (publicUrl?.startsWith('https://')) return publicUrl + path;
  const host = hostHeader.exec(req.headers.host ?? '')?.groups?.host;
  if (!host) return null;
  return `https://${host}${httpsPort === 443 ? '' : `:${httpsPort}`}${path}`;
}

async function answerAcme(res: http.ServerResponse, webroot: string, token: string): Promise<void> {
  try {
    const body = await readFile(path.join(webroot, '.well-known', 'acme-challenge', token));
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('No such challenge\n');
  }
}

export function createRedirectServer(httpsPort: () => number, publicUrl: string | null, acmeWebroot: string | null = null): http.Server {
  return http.createServer((req, res) => {
    const token = acmeWebroot && (req.method === 'GET' || req.method === 'HEAD') ? acmeChallenge.exec(req.url ?? '')?.[1] : undefined;
    if (acmeWebroot && token) return void answerAcme(res, acmeWebroot, token);
    const target = httpsTarget(req, httpsPort(), publicUrl);
    if (!target) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad Host header\n');
      return;
    }
    const status = req.method === 'GET' || req.method === 'HEAD' ? 301 : 308;
    res.writeHead(status, { location: target, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(`Pult is served over HTTPS: ${target}\n`);
  });
}
