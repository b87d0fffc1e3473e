// Recordings a cloud PBX announces by id (Mango recording_id, Zadarma
// call_id_with_rec) are fetched through its API: recordings named
// `vpbx:<account id>:<recording id>`.
import type { HttpRequestSpec } from '../../telephony/vpbx/shared.js';
import { mangoCommand } from '../../telephony/vpbx/mango/commands.js';
import { zadarmaGet } from '../../telephony/vpbx/zadarma/commands.js';
import type { VpbxAccounts } from './accounts.js';

export const vpbxRecordingName = (accountId: number, recordingId: string) => `vpbx:${accountId}:${recordingId}`;

async function send(req: HttpRequestSpec): Promise<Response> {
  return fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(60_000) });
}

export function vpbxRecordingSource(accounts: VpbxAccounts, download: (url: string) => Promise<Buffer | null>) {
  return async (name: string): Promise<Buffer | null> => {
    const m = /^vpbx:(\d+):(.+)$/.exec(name);
    const account = m ? accounts.get(Number(m[1])) : null;
    if (!m?.[2] || !account) throw new Error(`no cloud PBX account for recording ${name}`);
    const id = m[2];
    if (account.vendor === 'mango') {
      // queries/recording/post with action=download answers with the file (after a redirect).
      const r = await send(mangoCommand({ apiKey: account.account, apiSalt: account.secrets.apiSalt ?? '', path: 'queries/recording/post', payload: { recording_id: id, action: 'download' }, baseUrl: account.secrets.apiBaseUrl }));
      if (r.status === 404) return null;
      if (!r.ok) throw new Error(`Mango recording ${id} → ${r.status}`);
      return Buffer.from(await r.arrayBuffer());
    }
    if (account.vendor === 'zadarma') {
      // /v1/pbx/record/request/ answers with a temporary link to the file.
      const r = await send(zadarmaGet({ key: account.account, secret: account.secrets.secret ?? '', method: '/v1/pbx/record/request/', params: { call_id: id }, baseUrl: account.secrets.apiBaseUrl }));
      if (!r.ok) throw new Error(`Zadarma recording ${id} → ${r.status}`);
      const body = (await r.json()) as { status?: string; link?: string; links?: string[] };
      const link = body.link ?? body.links?.[0];
      return link ? download(link) : null;
    }
    throw new Error(`${account.vendor} recordings come as links, not ids`);
  };
}
