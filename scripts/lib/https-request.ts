// One HTTP(S) request with node's own client, for tests and scripts that talk
// to a Pult serving HTTPS with a certificate the process does not trust by
// default (a self-signed one): `ca` is the certificate to trust. Redirects are
// not followed (a test looks at them).
import http from 'node:http';
import https from 'node:https';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function request(url: string, o: { method?: string; headers?: Record<string, string>; body?: string; ca?: string | Buffer; servername?: string } = {}): Promise<RawResponse> {
  const u = new URL(url);
  const client = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(u, { method: o.method ?? 'GET', headers: o.headers, ...(o.ca ? { ca: o.ca } : {}), ...(o.servername ? { servername: o.servername } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}
