// Outbound HTTP(S) to addresses that outside input chose (a webhook's
// recording link, a vendor API's redirect). Every hop is checked: http(s)
// only, the parsed hostname against an allow-list, and the address the name
// resolves to by request-filtering-agent at connect time (so DNS rebinding
// cannot slip a private address in). Redirects are followed by hand (at most
// 5), the body is capped while it streams, and the whole exchange has one
// deadline.
import http from 'node:http';
import https from 'node:https';
import { createWriteStream, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

/** A refusal by policy (scheme, host, address, size, redirects): retrying will not help. */
export class FetchRefused extends Error {}

export interface FetchPolicy {
  /** Host names (exact) or `*.suffix` patterns, lower case; matched against the parsed hostname. */
  hosts: readonly string[];
  /** Let loopback/private/link-local addresses through (tests only). */
  allowPrivate: boolean;
  timeoutMs: number;
  maxBytes: number;
}

export interface SafeRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface SafeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
}

const MAX_REDIRECTS = 5;
const bare = (host: string) => host.toLowerCase().replace(/^\[|\]$/g, '');

/** True when `hostname` (as URL parses it) is on the list: an exact name, or a subdomain of a `*.suffix`. */
export function hostAllowed(hostname: string, hosts: readonly string[]): boolean {
  const h = bare(hostname).replace(/\.$/, '');
  return hosts.some((p) => (p.startsWith('*.') ? h.endsWith(p.slice(1)) && h.length > p.length - 1 : bare(p) === h));
}

/** The URL if it may be fetched under `policy`, else a FetchRefused. */
export function checkUrl(raw: string, hosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchRefused('not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefused(`scheme ${url.protocol} not allowed`);
  if (url.username || url.password) throw new FetchRefused('credentials in the URL are not allowed');
  if (!hostAllowed(url.hostname, hosts)) throw new FetchRefused(`host ${url.hostname} is not on the allow-list (PULT_RECORDING_HOSTS)`);
  return url;
}

/** The host of a URL, for adding an admin-configured API address to the allow-list. */
export const hostOf = (raw: string | undefined): string[] => {
  if (!raw) return [];
  try {
    return [bare(new URL(raw).hostname)];
  } catch {
    return [];
  }
};

const agents = new Map<string, http.Agent>();
function agentFor(protocol: string, allowPrivate: boolean): http.Agent {
  const key = `${protocol}${allowPrivate}`;
  let a = agents.get(key);
  if (!a) {
    const opts = { keepAlive: false, allowPrivateIPAddress: allowPrivate, allowMetaIPAddress: false };
    a = protocol === 'https:' ? new RequestFilteringHttpsAgent(opts) : new RequestFilteringHttpAgent(opts);
    agents.set(key, a);
  }
  return a;
}

/** request-filtering-agent's refusal of an address. */
const addressRefused = (err: Error) => /is not allowed\. Because/.test(err.message);

/**
 * Sends `req` under `policy` and streams a 2xx body into `sink` (capped at
 * policy.maxBytes). Non-2xx bodies are drained, not kept. Resolves with the
 * final response's status; rejects with FetchRefused for policy refusals and
 * a plain Error for network trouble and timeouts.
 */
export async function safeRequest(req: SafeRequest, policy: FetchPolicy, sink: () => Writable): Promise<SafeResponse & { bytes: number }> {
  const deadline = Date.now() + policy.timeoutMs;
  let current: SafeRequest = req;
  for (let hop = 0; ; hop++) {
    const url = checkUrl(current.url, policy.hosts);
    const r = await once(url, current, policy, deadline, sink);
    if (!('location' in r)) return r;
    if (hop >= MAX_REDIRECTS) throw new FetchRefused(`more than ${MAX_REDIRECTS} redirects`);
    let next: URL;
    try {
      next = new URL(r.location, url);
    } catch {
      throw new FetchRefused('redirect to something that is not a URL');
    }
    const headers = { ...current.headers };
    if (next.host !== url.host) for (const k of Object.keys(headers)) if (/^(authorization|cookie)$/i.test(k)) delete headers[k];
    // Like browsers: 303 (and 301/302 after a POST) continue as a GET without a body.
    const asGet = r.status === 303 || ((r.status === 301 || r.status === 302) && current.method === 'POST');
    if (asGet) for (const k of Object.keys(headers)) if (/^content-(type|length)$/i.test(k)) delete headers[k];
    current = asGet ? { method: 'GET', url: next.toString(), headers } : { ...current, url: next.toString(), headers };
  }
}

function once(url: URL, req: SafeRequest, policy: FetchPolicy, deadline: number, sink: () => Writable): Promise<(SafeResponse & { bytes: number }) | { status: number; location: string }> {
  return new Promise((resolve, reject) => {
    const left = deadline - Date.now();
    if (left <= 0) return reject(new Error('timed out'));
    const lib = url.protocol === 'https:' ? https : http;
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(addressRefused(err) ? new FetchRefused(`address refused: ${err.message}`) : err);
    };
    const timer = setTimeout(() => fail(new Error(`timed out after ${policy.timeoutMs} ms`)), left);
    const request = lib.request(url, { method: req.method, headers: req.headers, agent: agentFor(url.protocol, policy.allowPrivate) }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if ([301, 302, 303, 307, 308].includes(status) && location) {
        res.resume();
        settled = true;
        clearTimeout(timer);
        return resolve({ status, location });
      }
      if (status < 200 || status >= 300) {
        res.resume();
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status, headers: res.headers, bytes: 0 });
        });
        res.on('error', fail);
        return;
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > policy.maxBytes) return fail(new FetchRefused(`body of ${declared} bytes is over the cap of ${policy.maxBytes}`));
      const out = sink();
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > policy.maxBytes) {
          out.destroy();
          fail(new FetchRefused(`body over the cap of ${policy.maxBytes} bytes`));
        }
      });
      res.on('error', fail);
      out.on('error', fail);
      out.on('finish', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status, headers: res.headers, bytes });
      });
      res.pipe(out);
    });
    request.on('error', fail);
    request.end(req.body);
  });
}

/** Downloads a 2xx body into `file` (removed again on any failure). Returns the status and size. */
export async function safeDownload(req: SafeRequest, file: string, policy: FetchPolicy): Promise<{ status: number; bytes: number }> {
  let out: Writable | null = null;
  const removeFile = async () => {
    // Wait until the stream has let go of the file, or it could come back after the removal.
    if (out && !out.closed) await new Promise((r) => { out!.once('close', r); out!.destroy(); });
    rmSync(file, { force: true });
  };
  try {
    const r = await safeRequest(req, policy, () => (out = createWriteStream(file)));
    if (r.status < 200 || r.status >= 300) await removeFile();
    return { status: r.status, bytes: r.bytes };
  } catch (err) {
    await removeFile();
    throw err;
  }
}

/** A small 2xx body (an API's JSON answer) in memory. */
export async function safeFetchText(req: SafeRequest, policy: FetchPolicy): Promise<{ status: number; body: string }> {
  const chunks: Buffer[] = [];
  const r = await safeRequest(req, policy, () => new Writable({ write(chunk: Buffer, _enc, cb) { chunks.push(chunk); cb(); } }));
  return { status: r.status, body: Buffer.concat(chunks).toString('utf8') };
}
