// What the trunks API accepts. Every value ends up in Asterisk's
// configuration, so each is held to a narrow alphabet.
import { isIP } from 'node:net';
import { z } from 'zod';

/** Codecs Asterisk knows by these names (opus is passed through, not transcoded, in this build). */
export const CODECS = ['alaw', 'ulaw', 'g722', 'opus', 'g729', 'gsm', 'ilbc', 'g726', 'speex', 'slin'] as const;

const hostname = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const host = z.string().trim().min(1, 'enter the carrier\'s host or IP address').max(253)
  .refine((h) => isIP(h) !== 0 || hostname.test(h), 'a host name or an IP address');
/** SIP user parts: letters, digits and the URI-safe marks. */
const sipUser = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.!~*'()+-]+$/, 'letters, digits and . _ - + only');
const password = z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/, 'printable characters without spaces');
const number = z.string().regex(/^\+?\d{1,20}$/, 'digits only, optionally with a leading +');

const fields = {
  name: z.string().trim().min(1, 'enter a name').max(80),
  mode: z.enum(['ip', 'register']),
  host,
  port: z.number().int().min(1).max(65535),
  transport: z.enum(['udp', 'tcp', 'tls']),
  codecs: z.array(z.enum(CODECS)).min(1, 'choose at least one codec').max(CODECS.length).refine((c) => new Set(c).size === c.length, 'a codec is listed twice'),
  username: sipUser.nullable(),
  password: password.nullable(),
  authUsername: sipUser.nullable(),
  realm: z.string().trim().max(253).regex(hostname, 'a domain name').nullable(),
  callerId: number.nullable(),
  didSource: z.enum(['ruri', 'to', 'diversion']),
};

export const newTrunkBody = z.object({
  ...fields,
  port: fields.port.default(5060),
  transport: fields.transport.default('udp'),
  codecs: fields.codecs.default(['alaw', 'ulaw']),
  username: fields.username.default(null),
  password: fields.password.default(null),
  authUsername: fields.authUsername.default(null),
  realm: fields.realm.default(null),
  callerId: fields.callerId.default(null),
  didSource: fields.didSource.default('ruri'),
}).strict();

/** Any subset; a password left out keeps the stored one. */
export const trunkPatchBody = z.object(fields).partial().strict().refine((b) => Object.keys(b).length > 0, 'nothing to change');

/** What a registering trunk needs besides the common fields. */
export function trunkProblems(t: { mode: 'ip' | 'register'; username: string | null; password: string | null }): { field: string; problem: string }[] {
  if (t.mode !== 'register') return [];
  const out: { field: string; problem: string }[] = [];
  if (!t.username) out.push({ field: 'username', problem: 'a registering trunk needs the login' });
  if (!t.password) out.push({ field: 'password', problem: 'a registering trunk needs the password' });
  return out;
}

export const lineOutboundFields = {
  trunkId: z.number().int().positive().nullable(),
  outboundCallerId: number.nullable(),
};
