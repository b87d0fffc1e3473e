// Section «Линии»: every line with its numbers and settings; one form both
// creates a line (POST, then PATCH for its overflow group) and edits one (PATCH).
import { request } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { a } from '../i18n/ru-admin.ts';
import { hoursEditor, type WorkingHours } from './hours.ts';
import { holidaysEditor, type Holiday } from './holidays.ts';
import { companies, companyName, field, input, num, select, table, type Status } from './ui.ts';
import { trunks as trunkList } from './trunks.ts';

interface Line {
  id: number; name: string; tenantId: number; dids: string[]; ringTimeoutSec: number; overflowAfterSec: number; overflowGroupId: number | null;
  maxWaitSec: number; slThresholdSec: number; priority: number; waitTreatment: string; announceEverySec: number; workingHours: WorkingHours | null; holidays?: Holiday[]; entryMenu: { options: unknown[] } | null;
  trunkId: number | null; outboundCallerId: string | null;
}
interface Group { id: number; name: string }

export async function linesSection(el: HTMLElement, status: Status, editing: Line | null = null): Promise<void> {
  const [lines, tenants, groups, trunks] = await Promise.all([
    request<{ items: Line[] }>('GET', '/api/lines').then((r) => r.items),
    companies(),
    request<{ items: Group[] }>('GET', '/api/overflow-groups').then((r) => r.items),
    trunkList(),
  ]);
  const l = editing;
  const f = {
    name: input('line-name', l?.name ?? ''),
    tenantId: select('line-tenant', tenants.map((t) => [String(t.id), t.name]), String(l?.tenantId ?? '')),
    dids: input('line-dids', l?.dids.join(', ') ?? ''),
    ringTimeoutSec: input('line-ring', l?.ringTimeoutSec ?? 15, 'number'),
    overflowAfterSec: input('line-overflow-after', l?.overflowAfterSec ?? 20, 'number'),
    maxWaitSec: input('line-max-wait', l?.maxWaitSec ?? 300, 'number'),
    slThresholdSec: input('line-sl', l?.slThresholdSec ?? 20, 'number'),
    priority: input('line-priority', l?.priority ?? 0, 'number'),
    announceEverySec: input('line-announce', l?.announceEverySec ?? 30, 'number'),
    waitTreatment: select('line-treatment', Object.entries(a.treatment), l?.waitTreatment ?? 'ringback'),
    trunkId: select('line-trunk', [['', a.trunks.defaultTrunk], ...trunks.map((t): [string, string] => [String(t.id), t.name])], String(l?.trunkId ?? '')),
    outboundCallerId: input('line-outbound-caller-id', l?.outboundCallerId ?? ''),
    overflowGroupId: select('line-group', [['', a.lines.noGroup], ...groups.map((g): [string, string] => [String(g.id), g.name])], String(l?.overflowGroupId ?? '')),
  };
  const hours = hoursEditor(l?.workingHours ?? null);
  const holidays = holidaysEditor(l?.holidays ?? []);
  const body = () => ({
    name: f.name.value, tenantId: Number(f.tenantId.value), dids: f.dids.value.split(/[\s,;]+/).filter(Boolean),
    ringTimeoutSec: num(f.ringTimeoutSec), overflowAfterSec: num(f.overflowAfterSec), maxWaitSec: num(f.maxWaitSec), slThresholdSec: num(f.slThresholdSec),
    priority: num(f.priority), announceEverySec: num(f.announceEverySec), waitTreatment: f.waitTreatment.value,
    trunkId: f.trunkId.value ? Number(f.trunkId.value) : null, outboundCallerId: f.outboundCallerId.value.trim() || null,
  });
  const extra = () => ({ overflowGroupId: group(), workingHours: hours.value() });
  const group = () => (f.overflowGroupId.value ? Number(f.overflowGroupId.value) : null);
  const save = async (e: Event) => {
    e.preventDefault();
    const ok = await status.run(async () => {
      if (l) {
        const saved = await request('PATCH', `/api/lines/${l.id}`, { ...body(), ...extra() });
        await request('PUT', `/api/lines/${l.id}/holidays`, { holidays: holidays.value() });
        return saved;
      }
      const created = await request<{ line: Line }>('POST', '/api/lines', body());
      if (group() !== null || hours.value() !== null) await request('PATCH', `/api/lines/${created.line.id}`, extra());
      if (holidays.value().length) await request('PUT', `/api/lines/${created.line.id}/holidays`, { holidays: holidays.value() });
      return created;
    });
    if (ok) await linesSection(el, status);
  };
  const groupName = (id: number | null) => groups.find((g) => g.id === id)?.name ?? a.none;
  fill(el,
    h('form', { class: 'panel admin-form', testid: 'line-form', onsubmit: (e: Event) => void save(e) },
      h('h3', null, l ? a.lines.editing(l.name) : a.lines.new),
      field('name', f.name), field('tenantId', f.tenantId), field('dids', f.dids, a.lines.didsHint), field('overflowGroupId', f.overflowGroupId),
      field('ringTimeoutSec', f.ringTimeoutSec), field('overflowAfterSec', f.overflowAfterSec), field('maxWaitSec', f.maxWaitSec), field('slThresholdSec', f.slThresholdSec),
      field('priority', f.priority), field('waitTreatment', f.waitTreatment), field('announceEverySec', f.announceEverySec),
      field('trunkId', f.trunkId), field('outboundCallerId', f.outboundCallerId, a.trunks.callerIdHint), hours.el, holidays.el,
      h('div', { class: 'form-actions' }, h('button', { class: 'btn btn-primary', type: 'submit', testid: 'line-save' }, l ? a.save : a.create),
        l ? h('button', { class: 'btn', type: 'button', onclick: () => void linesSection(el, status) }, a.cancel) : null)),
    table('lines-table', ['№', a.fields.name!, a.fields.tenantId!, a.fields.dids!, a.fields.overflowGroupId!, a.fields.ringTimeoutSec!, a.fields.overflowAfterSec!, a.fields.maxWaitSec!, a.fields.slThresholdSec!, a.fields.priority!, a.lines.menu, ''],
      lines.map((x) => [String(x.id), x.name, companyName(tenants, x.tenantId), x.dids.join(', ') || a.none, groupName(x.overflowGroupId), String(x.ringTimeoutSec), String(x.overflowAfterSec), String(x.maxWaitSec), String(x.slThresholdSec), String(x.priority),
        x.entryMenu ? a.lines.menuOptions(x.entryMenu.options.length) : a.none,
        h('button', { class: 'btn btn-small', type: 'button', testid: `line-edit-${x.id}`, onclick: () => void linesSection(el, status, x) }, a.edit)]),
      a.lines.empty));
}
