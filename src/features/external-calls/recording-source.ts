// Recordings a cloud PBX announces by id (Mango recording_id, Zadarma
// call_id_with_rec) are fetched through its API: recordings named
// `vpbx:<account id>:<recording id>`. Only ExternalCallService makes these
// names, from the account that received (and authenticated) the webhook; a
// webhook's own text never becomes one. On fetch, the name is honoured only
// for a call that account observed, so no account can reach another's API.
//
// Every request goes through the safe fetch (src/net/safe-fetch.ts): the
// account's API address plus PULT_RECORDING_HOSTS, re-checked on each
// redirect, no private addresses, size cap, timeout.
import type { HttpRequestSpec } from '../../telephony/vpbx/shared.js';
import { mangoCommand, MANGO_API_BASE } from '../../telephony/vpbx/mango/commands.js';
import { zadarmaGet, ZADARMA_API_BASE } from '../../telephony/vpbx/zadarma/commands.js';
import { FetchRefused, hostOf, safeDownload, safeFetchText, type FetchPolicy } from '../../net/safe-fetch.js';
import type { CallRepository } from '../calls/repository.js';
import type { RecordingSource } from '../recordings/service.js';
import type { VpbxAccount, VpbxAccounts } from './accounts.js';

export const vpbxRecordingName = (accountId: number, recordingId: string) => `vpbx:${accountId}:${recordingId}`;

/** The channel prefix of calls this account observed (see ExternalCallService.callFor). */
export const accountChannelPrefix = (a: VpbxAccount) => `ext:${a.vendor}:${a.account}:`;

export function vpbxRecordingSource(
  accounts: VpbxAccounts,
  calls: CallRepository,
  policy: FetchPolicy,
  download: (url: string, dest: string, extraHosts: readonly string[]) => Promise<number | null>,
): RecordingSource {
  return async (name, dest) => {
    const m = /^vpbx:(\d+):(.+)$/.exec(name);
    const account = m ? accounts.get(Number(m[1])) : null;
    if (!m?.[2] || !account) throw new FetchRefused(`no cloud PBX account for recording ${name}`);
    const rec = calls.recordingByName(name);
    const call = rec ? calls.get(rec.callId) : null;
    if (!call?.callerChannelId.startsWith(accountChannelPrefix(account))) throw new FetchRefused(`recording ${name} is not of a call of account ${account.id}`);
    const id = m[2];
    const apiHosts = hostOf(account.secrets.apiBaseUrl);
    const withApi: FetchPolicy = { ...policy, hosts: [...policy.hosts, ...apiHosts] };
    const send = (req: HttpRequestSpec) => ({ method: req.method, url: req.url, headers: req.headers, body: req.body });
    if (account.vendor === 'mango') {
      // queries/recording/post with action=download answers with the file (after a redirect).
      const req = mangoCommand({ apiKey: account.account, apiSalt: account.secrets.apiSalt ?? '', path: 'queries/recording/post', payload: { recording_id: id, action: 'download' }, baseUrl: account.secrets.apiBaseUrl ?? MANGO_API_BASE });
      const r = await safeDownload(send(req), dest, withApi);
      if (r.status === 404) return null;
      if (r.status < 200 || r.status >= 300) throw new Error(`Mango recording ${id} → ${r.status}`);
      return r.bytes;
    }
    if (account.vendor === 'zadarma') {
      // /v1/pbx/record/request/ answers with a temporary link to the file.
      const req = zadarmaGet({ key: account.account, secret: account.secrets.secret ?? '', method: '/v1/pbx/record/request/', params: { call_id: id }, baseUrl: account.secrets.apiBaseUrl ?? ZADARMA_API_BASE });
      const r = await safeFetchText(send(req), { ...withApi, maxBytes: 64 * 1024 });
      if (r.status < 200 || r.status >= 300) throw new Error(`Zadarma recording ${id} → ${r.status}`);
      let body: { status?: string; link?: string; links?: string[] };
      try {
        body = JSON.parse(r.body) as typeof body;
      } catch {
        throw new Error(`Zadarma recording ${id}: the answer is not JSON`);
      }
      const link = body.link ?? body.links?.[0];
      return typeof link === 'string' ? download(link, dest, apiHosts) : null;
    }
    throw new FetchRefused(`${account.vendor} recordings come as links, not ids`);
  };
}
