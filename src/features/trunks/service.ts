// SIP trunks: the admin's changes (stored and audited in one transaction),
// then pushed to the PBX after the commit; every trunk pushed again on each
// PBX (re)connect, like the operators' endpoints. Registration states are
// read from the PBX and kept here for /api/health and the admin page.
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { TrunkProvisioning, TrunkRegistrations, TrunkRegistrationState } from '../../telephony/ports.js';
import type { AuditLog } from '../audit/repository.js';
import type { Trunk, TrunkInput, TrunkRepository } from './repository.js';

/** unknown: the PBX cannot be asked (AMI not configured or down); ip trunks do not register. */
export type TrunkState = TrunkRegistrationState | 'unknown' | 'not-applicable';

export interface TrunkHealth { id: number; name: string; mode: Trunk['mode']; state: TrunkState }

export class TrunkService {
  private states = new Map<number, TrunkRegistrationState>();
  private statesAt = 0;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly d: {
    repo: TrunkRepository; audit: AuditLog; clock: Clock; logger: Logger;
    pbx: TrunkProvisioning & { readonly connected: boolean };
    registrations: TrunkRegistrations | null;
  }) {
    d.registrations?.onChange(() => void this.refresh());
  }

  list(): Trunk[] {
    return this.d.repo.list();
  }

  get(id: number): Trunk | null {
    return this.d.repo.get(id);
  }

  /** The stored settings with the password, to merge a change into. */
  input(id: number): TrunkInput | null {
    return this.d.repo.input(id);
  }

  exists(id: number): boolean {
    return this.d.repo.get(id) !== null;
  }

  create(input: TrunkInput, by: number): Trunk {
    const { repo, audit } = this.d;
    return audit.change(() => {
      const t = repo.create(input, this.now());
      audit.record({ userId: by, action: 'create', entity: 'trunk', entityId: t.id, tenantId: null, before: null, after: t });
      return t;
    });
  }

  update(id: number, input: TrunkInput, by: number): Trunk | null {
    const { repo, audit } = this.d;
    return audit.change(() => {
      const before = repo.get(id);
      if (!before) return null;
      const after = repo.update(id, input, this.now())!;
      audit.record({ userId: by, action: 'update', entity: 'trunk', entityId: id, tenantId: null, before, after });
      return after;
    });
  }

  /** Deletes the trunk; `inUse` lists the lines still sending calls through it (nothing deleted then). */
  delete(id: number, by: number): { deleted: boolean; inUse: number[] } {
    const { repo, audit } = this.d;
    return audit.change(() => {
      const before = repo.get(id);
      if (!before) return { deleted: false, inUse: [] };
      const inUse = repo.linesUsing(id);
      if (inUse.length) return { deleted: false, inUse };
      repo.delete(id);
      audit.record({ userId: by, action: 'delete', entity: 'trunk', entityId: id, tenantId: null, before, after: null });
      return { deleted: true, inUse: [] };
    });
  }

  /** Pushes one trunk to the PBX (after its change committed); false when the PBX is away (pushed on reconnect). */
  async push(id: number, o: { restartRegistration: boolean }): Promise<boolean> {
    const spec = this.d.repo.spec(id);
    if (!spec || !this.d.pbx.connected) return false;
    try {
      await this.d.pbx.upsertTrunk(spec, o);
      void this.refresh();
      return true;
    } catch (err) {
      this.d.logger.error('could not push the trunk to the PBX', { trunk: id, err });
      return false;
    }
  }

  async remove(id: number): Promise<boolean> {
    this.states.delete(id);
    if (!this.d.pbx.connected) return false;
    try {
      await this.d.pbx.deleteTrunk(id);
      return true;
    } catch (err) {
      this.d.logger.error('could not delete the trunk from the PBX', { trunk: id, err });
      return false;
    }
  }

  /**
   * Every trunk again, after the PBX (re)connected: its memory objects are
   * gone after a restart. Trunks the PBX has that Pult no longer knows
   * (deleted while it was away, another database) are removed.
   */
  async resync(): Promise<void> {
    const specs = this.d.repo.specs();
    try {
      const known = new Set(specs.map((s) => s.id));
      for (const id of await this.d.pbx.provisionedIds()) {
        if (known.has(id)) continue;
        this.d.logger.info('removing a trunk the PBX has but Pult does not', { trunk: id });
        await this.d.pbx.deleteTrunk(id);
      }
    } catch (err) {
      this.d.logger.error('could not remove stale trunks from the PBX', { err });
    }
    for (const spec of specs) {
      try {
        await this.d.pbx.upsertTrunk(spec, { restartRegistration: false });
      } catch (err) {
        this.d.logger.error('could not push the trunk to the PBX', { trunk: spec.id, err });
      }
    }
    void this.refresh();
  }

  /** Re-reads the registration states (one read at a time). */
  refresh(): Promise<void> {
    const regs = this.d.registrations;
    if (!regs?.connected) return Promise.resolve();
    this.refreshing ??= regs.states().then(
      (s) => {
        this.states = s;
        this.statesAt = Date.now();
      },
      (err: unknown) => this.d.logger.warn('could not read the trunks\' registration states', { err }),
    ).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  stateOf(t: Trunk): TrunkState {
    if (t.mode === 'ip') return 'not-applicable';
    if (!this.d.registrations?.connected || this.statesAt === 0) return 'unknown';
    return this.states.get(t.id) ?? 'unregistered';
  }

  /** For /api/health: each trunk and its state (a stale read is refreshed in the background). */
  health(): TrunkHealth[] {
    if (Date.now() - this.statesAt > 5000) void this.refresh();
    return this.d.repo.list().map((t) => ({ id: t.id, name: t.name, mode: t.mode, state: this.stateOf(t) }));
  }

  private now(): string {
    return this.d.clock.now().toISOString();
  }
}
