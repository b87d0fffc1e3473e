// An operator's extension and device in the user editor: a browser softphone,
// or a desk phone (registering with its SIP account, or at a fixed address).
// Changed through PATCH /api/operators/:userId; a desk phone's new SIP
// account comes back once and is shown to the admin to program the phone.
import { request } from '../lib/api.ts';
import { h } from '../lib/dom.ts';
import { a } from '../i18n/ru-admin.ts';
import { field, input, select } from './ui.ts';

export interface OperatorDevice { userId: number; extension: string; deviceKind: 'webrtc' | 'sip'; staticContact: string | null }
export interface SipAccount { username: string; password: string; domain: string }

export const operatorDevice = (userId: number) =>
  request<{ items: OperatorDevice[] }>('GET', '/api/operators').then((r) => r.items.find((o) => o.userId === userId) ?? null);

export function deviceFields(op: OperatorDevice): { el: HTMLElement[]; save(): Promise<SipAccount | null> } {
  const extension = input('op-extension', op.extension);
  const kind = select('op-device', [['webrtc', a.users.webrtc], ['sip', a.users.sip]], op.deviceKind);
  const contact = input('op-contact', op.staticContact ?? '');
  contact.placeholder = 'sip:1001@192.0.2.10:5060';
  const renew = h('input', { type: 'checkbox', testid: 'op-renew' });
  const sipOnly = [field('staticContact', contact, a.users.contactHint), field('sipAccount', h('label', { class: 'checkbox-field' }, renew, ' ', a.users.renewSip))];
  const sync = () => { for (const x of sipOnly) x.hidden = kind.value !== 'sip'; };
  kind.addEventListener('change', sync);
  sync();
  return {
    el: [field('extension', extension), field('deviceKind', kind), ...sipOnly],
    async save() {
      const body: Record<string, unknown> = {};
      if (extension.value.trim() !== op.extension) body.extension = extension.value.trim();
      if (kind.value !== op.deviceKind) body.deviceKind = kind.value;
      const fixed = kind.value === 'sip' ? contact.value.trim() || null : null;
      if (kind.value === 'sip' && fixed !== op.staticContact) body.staticContact = fixed;
      if (kind.value === 'sip' && renew.checked) body.resetSipPassword = true;
      if (!Object.keys(body).length) return null;
      const r = await request<{ sipAccount: SipAccount | null }>('PATCH', `/api/operators/${op.userId}`, body);
      return r.sipAccount;
    },
  };
}
