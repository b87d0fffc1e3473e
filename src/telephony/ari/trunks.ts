// SIP trunks pushed to Asterisk through ARI dynamic configuration: one
// res_pjsip object of each needed type, all named trunk-<id>:
//   ip mode:       aor (the carrier's address), endpoint, identify (match = host)
//   register mode: auth (digest login), aor, endpoint, registration (line=yes,
//                  so the carrier's INVITEs to our registered contact are
//                  matched to the endpoint by the contact's ;line= parameter)
// dialplan/sorcery.conf puts identify and registration in the memory wizard
// so they can be written over ARI. The only place this wire format is written.
import { PbxCommandError, type TrunkProvisioning, type TrunkSpec } from '../ports.js';
import type { AriClient } from './client.js';

/** The name of a trunk's objects on Asterisk (and its dial string's endpoint). */
export const trunkObjectId = (id: number) => `trunk-${id}`;

/** Trunk id of an object name, or null when it is not one of ours. */
export function trunkIdOf(objectName: string): number | null {
  const m = /^trunk-(\d+)$/.exec(objectName);
  return m ? Number(m[1]) : null;
}

/** Dialplan context by where the DID is read from (dialplan/extensions.conf). */
const didContext: Record<TrunkSpec['didSource'], string> = { ruri: 'from-carrier', to: 'from-trunk-to', diversion: 'from-trunk-diversion' };

const hostPort = (s: TrunkSpec) => `${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}`;
const uriParams = (s: TrunkSpec) => (s.transport === 'udp' ? '' : `;transport=${s.transport}`);

/** The res_pjsip objects for a trunk, in the order they must be created. */
export function trunkObjects(s: TrunkSpec): { type: 'auth' | 'aor' | 'endpoint' | 'identify' | 'registration'; fields: Record<string, string> }[] {
  const id = trunkObjectId(s.id);
  const register = s.mode === 'register';
  const out: ReturnType<typeof trunkObjects> = [];
  if (register) {
    const auth: Record<string, string> = { auth_type: 'userpass', username: s.authUsername ?? s.username ?? '', password: s.password ?? '' };
    if (s.realm) auth.realm = s.realm;
    out.push({ type: 'auth', fields: auth });
  }
  out.push({ type: 'aor', fields: { contact: `sip:${hostPort(s)}${uriParams(s)}`, qualify_frequency: '0' } });
  const endpoint: Record<string, string> = {
    transport: `transport-${s.transport}`,
    context: didContext[s.didSource],
    disallow: 'all',
    allow: s.codecs.join(','),
    aors: id,
    // Media always flows through the PBX: Pult records and mixes it.
    direct_media: 'no',
    rtp_symmetric: 'yes',
    force_rport: 'yes',
    rewrite_contact: 'yes',
    trust_id_inbound: 'yes',
    send_pai: 'no',
  };
  if (register) endpoint.outbound_auth = id;
  out.push({ type: 'endpoint', fields: endpoint });
  if (register) {
    out.push({
      type: 'registration',
      fields: {
        server_uri: `sip:${hostPort(s)}${uriParams(s)}`,
        client_uri: `sip:${s.username ?? ''}@${hostPort(s)}`,
        contact_user: s.username ?? '',
        outbound_auth: id,
        transport: `transport-${s.transport}`,
        expiration: '600',
        retry_interval: '20',
        // A refused login is retried (the carrier may have been wrong), shown as rejected meanwhile.
        auth_rejection_permanent: 'no',
        forbidden_retry_interval: '60',
        max_retries: '1000000',
        max_random_initial_delay: '0',
        line: 'yes',
        endpoint: id,
      },
    });
  } else {
    out.push({ type: 'identify', fields: { endpoint: id, match: s.host } });
  }
  return out;
}

const enc = encodeURIComponent;

export class AriTrunks implements TrunkProvisioning {
  constructor(private readonly client: AriClient) {}

  private path(type: string, id: number): string {
    return `/asterisk/config/dynamic/res_pjsip/${type}/${enc(trunkObjectId(id))}`;
  }

  private async remove(type: string, id: number): Promise<void> {
    try {
      await this.client.request('DELETE', this.path(type, id));
    } catch (err) {
      if (!(err instanceof PbxCommandError && err.status === 404)) throw err;
    }
  }

  async upsertTrunk(s: TrunkSpec, o: { restartRegistration: boolean }): Promise<void> {
    // Objects of the other mode go first (a trunk switched from ip to register or back).
    if (s.mode === 'register') await this.remove('identify', s.id);
    else {
      await this.remove('registration', s.id);
      await this.remove('auth', s.id);
    }
    // A registration refused for a wrong password stays refused until it is made anew.
    if (o.restartRegistration) await this.remove('registration', s.id);
    // An endpoint changed in place (PUT on an existing object) gets back every
    // field in its printed form, and an unset caller id comes back as the
    // number "unknown", which Asterisk then puts on every inbound call
    // (verified on 22.10.1): the endpoint is always made anew.
    await this.remove('endpoint', s.id);
    for (const obj of trunkObjects(s)) {
      await this.client.request('PUT', this.path(obj.type, s.id), {}, {
        fields: Object.entries(obj.fields).map(([attribute, value]) => ({ attribute, value })),
      });
    }
  }

  async provisionedIds(): Promise<number[]> {
    const endpoints = await this.client.request<{ resource?: string }[]>('GET', '/endpoints/PJSIP');
    return endpoints.map((e) => trunkIdOf(e.resource ?? '')).filter((id): id is number => id !== null);
  }

  async deleteTrunk(id: number): Promise<void> {
    for (const type of ['registration', 'identify', 'endpoint', 'aor', 'auth']) await this.remove(type, id);
  }
}
