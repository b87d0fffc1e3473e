// Outbound registration states of Pult's trunks, read over AMI: ARI has no
// resource for them. `PJSIPShowRegistrationsOutbound` lists every
// registration (OutboundRegistrationDetail events with ObjectName and
// Status: Registered | Rejected | Unregistered), and Asterisk sends a
// `Registry` event whenever one changes state.
import type { AmiClient } from './client.js';
import type { AmiMessage } from './parser.js';
import type { TrunkRegistrationState, TrunkRegistrations } from '../ports.js';
import { trunkIdOf } from '../ari/trunks.js';

/** AMI's status word → ours. */
export function registrationState(status: string | undefined): TrunkRegistrationState {
  const s = (status ?? '').toLowerCase();
  if (s === 'registered') return 'registered';
  if (s === 'rejected') return 'rejected';
  return 'unregistered';
}

/** Trunk id → state, from the events of one PJSIPShowRegistrationsOutbound. */
export function registrationStates(events: AmiMessage[]): Map<number, TrunkRegistrationState> {
  const out = new Map<number, TrunkRegistrationState>();
  for (const e of events) {
    if (e.event?.toLowerCase() !== 'outboundregistrationdetail') continue;
    const id = trunkIdOf(e.get('ObjectName') ?? '');
    if (id !== null) out.set(id, registrationState(e.get('Status')));
  }
  return out;
}

export class AmiTrunkRegistrations implements TrunkRegistrations {
  constructor(private readonly ami: AmiClient) {}

  get connected(): boolean {
    return this.ami.connected;
  }

  async states(): Promise<Map<number, TrunkRegistrationState>> {
    const { events } = await this.ami.actionList({ Action: 'PJSIPShowRegistrationsOutbound' }, 'OutboundRegistrationDetailComplete', { timeoutMs: 5000 });
    return registrationStates(events);
  }

  onChange(handler: () => void): void {
    this.ami.on('event', (m) => {
      if (m.event?.toLowerCase() === 'registry') handler();
    });
    this.ami.on('connected', handler);
  }
}
