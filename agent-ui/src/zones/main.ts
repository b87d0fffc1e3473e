// The zones page (/zones/): the company's buildings plotted as points (Web
// Mercator, plain SVG: no map tiles are needed), its zones as polygons, and
// a new zone drawn by clicking its vertices. Everything goes through the
// API: GET /api/zones/companies, /api/buildings/points, /api/zones.
import '../styles/base.css';
import './zones.css';
import { api, onUnauthorized, request, session, HttpError } from '../lib/api.ts';
import { h, fill } from '../lib/dom.ts';
import { loginView } from '../ui/login.ts';
import { z } from '../i18n/ru-zones.ts';
import { reminderCallsPanel } from './reminder-calls.ts';

type LonLat = [number, number];
interface Zone { id: number; tenantId: number; name: string; polygon: LonLat[]; buildingCount: number }
interface Point { id: number; address: string; lat: number; lon: number }

const root = document.getElementById('app')!;
const NS = 'http://www.w3.org/2000/svg';
const W = 960, H = 640, PAD = 24;
document.title = z.title;

const svgEl = (tag: string, attrs: Record<string, string | number>) => {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};
const mx = (lon: number) => (lon + 180) / 360;
const my = (lat: number) => (1 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / Math.PI) / 2;
const unMx = (x: number) => x * 360 - 180;
const unMy = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;

function showLogin(): void {
  fill(root, loginView({ subtitle: z.subtitle, onLoggedIn: () => void start() }));
}
onUnauthorized(showLogin);

async function start(): Promise<void> {
  if (!session.token) return showLogin();
  const settings = await request<{ items: { id: number; name: string }[]; tileUrl: string | null }>('GET', '/api/zones/companies');
  const companies = settings.items;
  const select = h('select', { class: 'input', testid: 'zones-company' }, ...companies.map((c) => h('option', { value: c.id }, c.name)));
  const status = h('p', { class: 'muted', role: 'status', testid: 'zones-status' });
  const list = h('ul', { class: 'zone-list', testid: 'zones-list' });
  const name = h('input', { class: 'input', placeholder: z.name, testid: 'zones-name', maxlength: 100 });
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, class: 'zone-map', 'data-testid': 'zones-map' }) as SVGSVGElement;
  let draft: LonLat[] = [];
  let view = { x0: 0, y0: 0, k: 1 };
  let points: Point[] = [];
  let zones: Zone[] = [];
  const reminders = reminderCallsPanel();

  const project = ([lon, lat]: LonLat) => [PAD + (mx(lon) - view.x0) * view.k, PAD + (my(lat) - view.y0) * view.k] as const;
  const fit = () => {
    const all: LonLat[] = [...points.map((p) => [p.lon, p.lat] as LonLat), ...zones.flatMap((x) => x.polygon)];
    if (!all.length) return;
    const xs = all.map(([lon]) => mx(lon)), ys = all.map(([, lat]) => my(lat));
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    const k = Math.min((W - 2 * PAD) / Math.max(x1 - x0, 1e-9), (H - 2 * PAD) / Math.max(y1 - y0, 1e-9));
    view = { x0, y0, k };
  };
  const draw = () => {
    svg.replaceChildren(svgEl('rect', { x: 0, y: 0, width: W, height: H, class: 'zone-bg' }));
    if (settings.tileUrl) drawTiles(settings.tileUrl);
    for (const zn of zones) {
      svg.append(svgEl('polygon', { points: zn.polygon.map((p) => project(p).join(',')).join(' '), class: 'zone-poly' }));
      const [cx, cy] = project(zn.polygon[0]!);
      const label = svgEl('text', { x: cx + 4, y: cy - 4, class: 'zone-label' });
      label.textContent = zn.name;
      svg.append(label);
    }
    for (const p of points) {
      const c = svgEl('circle', { cx: project([p.lon, p.lat])[0], cy: project([p.lon, p.lat])[1], r: 3, class: 'zone-building' });
      const title = svgEl('title', {});
      title.textContent = p.address;
      c.append(title);
      svg.append(c);
    }
    if (draft.length) {
      svg.append(svgEl('polyline', { points: [...draft, draft[0]!].map((p) => project(p).join(',')).join(' '), class: 'zone-draft' }));
      for (const p of draft) svg.append(svgEl('circle', { cx: project(p)[0], cy: project(p)[1], r: 4, class: 'zone-vertex' }));
    }
    fill(list, zones.length ? zones.map((zn) => h('li', null, z.zoneRow(zn.name, zn.buildingCount), ' ', h('button', { class: 'btn', type: 'button', onclick: () => void remove(zn) }, z.remove))) : h('li', { class: 'muted' }, z.noZones));
  };
  /** The configured tile layer (PULT_MAP_TILE_URL) under the points, at the zoom that fits the view. */
  const drawTiles = (url: string) => {
    const zoom = Math.max(0, Math.min(19, Math.floor(Math.log2(view.k / 256))));
    const n = 2 ** zoom, size = view.k / n;
    const xFrom = Math.floor((view.x0 - PAD / view.k) * n), xTo = Math.floor((view.x0 + (W - PAD) / view.k) * n);
    const yFrom = Math.floor((view.y0 - PAD / view.k) * n), yTo = Math.floor((view.y0 + (H - PAD) / view.k) * n);
    if ((xTo - xFrom + 1) * (yTo - yFrom + 1) > 100) return;
    for (let tx = xFrom; tx <= xTo; tx++) {
      for (let ty = yFrom; ty <= yTo; ty++) {
        const href = url.replace('{z}', String(zoom)).replace('{x}', String(tx)).replace('{y}', String(ty));
        svg.append(svgEl('image', { href, x: PAD + (tx / n - view.x0) * view.k, y: PAD + (ty / n - view.y0) * view.k, width: size, height: size }));
      }
    }
  };
  const load = async () => {
    const tenantId = Number(select.value);
    points = (await request<{ items: Point[] }>('GET', `/api/buildings/points?tenantId=${tenantId}&limit=20000`)).items;
    zones = (await request<{ items: Zone[] }>('GET', `/api/zones?tenantId=${tenantId}`)).items;
    draft = [];
    await reminders.load(tenantId);
    fit();
    status.textContent = points.length ? z.buildings(points.length) : z.noBuildings;
    draw();
  };
  const remove = async (zn: Zone) => {
    if (!confirm(z.removeConfirm(zn.name))) return;
    await request('DELETE', `/api/zones/${zn.id}`);
    await load();
  };
  svg.addEventListener('click', (e) => {
    const r = svg.getBoundingClientRect();
    const x = ((e.clientX - r.left) / r.width) * W, y = ((e.clientY - r.top) / r.height) * H;
    draft.push([unMx((x - PAD) / view.k + view.x0), unMy((y - PAD) / view.k + view.y0)]);
    draw();
  });
  const save = async () => {
    if (draft.length < 3) return void (status.textContent = z.needPoints);
    if (!name.value.trim()) return void (status.textContent = z.needName);
    try {
      const r = await request<{ zone: Zone }>('POST', '/api/zones', { tenantId: Number(select.value), name: name.value.trim(), polygon: draft });
      name.value = '';
      await load();
      status.textContent = z.saved(r.zone.name, r.zone.buildingCount);
    } catch (err) {
      status.textContent = err instanceof HttpError ? err.message : String(err);
    }
  };
  select.addEventListener('change', () => void load());
  fill(root, h('main', { class: 'zones-page' },
    h('header', { class: 'zones-head' }, h('h1', null, z.heading), h('label', null, z.company, ' ', select), h('button', { class: 'btn', type: 'button', onclick: () => void api.logout().finally(() => { session.clear(); showLogin(); }) }, z.logout)),
    h('p', { class: 'muted' }, z.hint),
    svg,
    h('div', { class: 'zones-tools' }, name, h('button', { class: 'btn btn-primary', type: 'button', testid: 'zones-save', onclick: () => void save() }, z.save),
      h('button', { class: 'btn', type: 'button', onclick: () => { draft.pop(); draw(); } }, z.undo), h('button', { class: 'btn', type: 'button', onclick: () => { draft = []; draw(); } }, z.clear)),
    status, list, reminders.el));
  if (companies.length) await load();
}

void start();
