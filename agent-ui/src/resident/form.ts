// The residents' web form (/r/<company id>/; /r/ lists the companies that
// take requests by it, a company that does not gets a 404 and says so):
// phone-first, one column. The address is picked from the company's
// buildings; fields are checked with the server's own schema before sending
// (the server decides); the answer is the number and the private status link.
import './jitless.ts';
import '../styles/base.css';
import '../styles/resident.css';
import { h, fill } from '../lib/dom.ts';
import { rs } from '../i18n/ru-resident.ts';
import { webFormSchema } from '../../../src/channels/web/schema.ts';
import { publicApi, PublicError, type PublicBuilding, type PublicCategory, type WebFormAnswer } from './api.ts';
import { BookingError, SlotPicker, submitWithVisit, visitNote } from '../booking/slot-picker.ts';
import { rb } from '../i18n/ru-booking.ts';

const app = document.getElementById('app')!;
const shell = (...children: (Node | string | null)[]) =>
  fill(app, h('div', { class: 'rs-app' }, h('header', { class: 'rs-top' }, h('span', { class: 'rs-mark', 'aria-hidden': 'true' }, 'П'), h('h1', { class: 'rs-title' }, rs.formTitle)), h('main', { class: 'rs-main' }, ...children)));

async function companies(): Promise<void> {
  try {
    const list = await publicApi.companies();
    shell(h('section', { class: 'rs-card' }, h('h2', { class: 'rs-h2' }, rs.chooseCompany),
      list.items.length === 0 ? h('p', { class: 'muted' }, rs.noCompanies) : h('ul', { class: 'rs-companies' }, list.items.map((c) => h('li', null, h('a', { class: 'btn btn-block rs-company', href: `/r/${c.id}/` }, c.name))))));
  } catch {
    shell(h('p', { class: 'rs-error', role: 'alert' }, rs.loadFailed));
  }
}

function fieldBox(name: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('div', { class: 'rs-field', 'data-field': name },
    h('label', { class: 'label', for: control.id }, label),
    hint ? h('p', { class: 'rs-hint' }, hint) : null,
    control,
    h('p', { class: 'field-error', id: `${control.id}-error`, role: 'alert', hidden: true }));
}

function form(tenantId: number, company: string, categories: PublicCategory[], maxPhotos: number, maxMb: number): void {
  let building: PublicBuilding | null = null;
  const search = h('input', { class: 'input', id: 'rs-address', type: 'search', autocomplete: 'off', placeholder: rs.addressPlaceholder, testid: 'address-search' });
  const results = h('ul', { class: 'rs-results', testid: 'address-results' });
  const chosen = h('div', { class: 'rs-chosen', hidden: true, testid: 'address-chosen' });
  const flat = h('input', { class: 'input input-short', id: 'rs-flat', name: 'flat', inputmode: 'numeric', autocomplete: 'off', maxlength: 20, testid: 'flat' });
  const category = h('select', { class: 'input', id: 'rs-category', name: 'categoryId', testid: 'category' },
    h('option', { value: '' }, rs.categoryPick),
    categories.map((c) => h('option', { value: String(c.id) }, `${c.parentId ? '— ' : ''}${c.name}${c.emergency ? ` · ${rs.emergencyMark}` : ''}`)));
  const emergencyNote = h('p', { class: 'rs-emergency', hidden: true, testid: 'emergency-note' }, rs.emergencyNote);
  const description = h('textarea', { class: 'textarea', id: 'rs-description', name: 'description', rows: 4, maxlength: 4000, placeholder: rs.descriptionPlaceholder, testid: 'description' });
  const photos = h('input', { class: 'input', id: 'rs-photos', type: 'file', accept: 'image/*', multiple: true, testid: 'photos' });
  const photoList = h('ul', { class: 'rs-files' });
  const name = h('input', { class: 'input', id: 'rs-name', name: 'name', autocomplete: 'name', maxlength: 200, testid: 'name' });
  const phone = h('input', { class: 'input', id: 'rs-phone', name: 'phone', type: 'tel', inputmode: 'tel', autocomplete: 'tel', placeholder: rs.phonePlaceholder, maxlength: 40, testid: 'phone' });
  const email = h('input', { class: 'input', id: 'rs-email', name: 'email', type: 'email', autocomplete: 'email', maxlength: 320, testid: 'email' });
  // The honeypot: off-screen, out of the tab order, never autofilled. People leave it empty.
  const website = h('input', { class: 'input', id: 'rs-website', name: 'website', tabindex: -1, autocomplete: 'off' });
  const honeypot = h('div', { class: 'rs-hp', 'aria-hidden': 'true' }, h('label', { for: 'rs-website' }, rs.honeypot), website);
  const summary = h('p', { class: 'rs-error', role: 'alert', hidden: true, testid: 'form-error' });
  const submit = h('button', { class: 'btn btn-primary btn-block rs-submit', type: 'submit', testid: 'submit' }, rs.submit);
  // Online booking (s-14book): categories that need a visit get a slot picker step.
  const visit = new SlotPicker(tenantId);

  const show = (field: string, problem: string | null) => {
    const box = app.querySelector<HTMLElement>(`[data-field="${field}"]`);
    const err = box?.querySelector<HTMLElement>('.field-error');
    if (!box || !err) return;
    box.classList.toggle('rs-invalid', problem !== null);
    err.textContent = problem ?? '';
    err.hidden = problem === null;
  };
  // «Проверьте поля…» stays only while a field is still marked: it goes once the last one is fixed.
  let summaryForFields = false;
  const say = (text: string, forFields: boolean) => {
    summary.textContent = text;
    summary.hidden = false;
    summaryForFields = forFields;
  };
  const settle = () => {
    if (summaryForFields && !summary.hidden && !app.querySelector('.rs-invalid:not([hidden])')) summary.hidden = true;
  };
  const clearErrors = () => {
    for (const f of ['buildingId', 'flat', 'categoryId', 'description', 'files', 'name', 'phone', 'email']) show(f, null);
    summary.hidden = true;
  };

  const pick = (b: PublicBuilding | null) => {
    building = b;
    search.hidden = b !== null;
    results.replaceChildren();
    chosen.hidden = b === null;
    if (b) fill(chosen, h('span', { class: 'rs-chosen-address' }, b.address), h('button', { class: 'btn btn-ghost btn-small', type: 'button', onclick: () => { pick(null); search.focus(); } }, rs.addressChange));
    if (b) show('buildingId', null);
    visit.set({ buildingId: b?.id ?? null });
    settle();
  };
  let timer: number | undefined;
  let seq = 0;
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    const q = search.value.trim();
    if (q.length < 2) return void results.replaceChildren();
    timer = window.setTimeout(async () => {
      const mine = ++seq;
      try {
        const found = await publicApi.buildings(tenantId, q);
        if (mine !== seq) return;
        fill(results, found.items.length === 0 ? h('li', { class: 'muted rs-none' }, rs.addressNone)
          : found.items.map((b) => h('li', null, h('button', { class: 'rs-result', type: 'button', onclick: () => pick(b) }, b.address))));
      } catch {
        if (mine === seq) fill(results, h('li', { class: 'rs-error' }, rs.loadFailed));
      }
    }, 250);
  });
  category.addEventListener('change', () => {
    emergencyNote.hidden = !categories.find((c) => String(c.id) === category.value)?.emergency;
    visit.set({ categoryId: category.value ? Number(category.value) : null });
  });
  const files = () => [...(photos.files ?? [])];
  photos.addEventListener('change', () => {
    fill(photoList, files().map((f) => h('li', null, f.name)));
    show('files', files().length > maxPhotos ? rs.photosTooMany(maxPhotos) : files().some((f) => f.size > maxMb * 1024 * 1024) ? rs.photosTooBig(maxMb) : null);
  });

  const el = h('form', { class: 'rs-card rs-form', novalidate: true, testid: 'web-form' },
    h('p', { class: 'rs-company-name', testid: 'company' }, company),
    fieldBox('buildingId', rs.address, search, rs.addressHint),
    fieldBox('flat', rs.flat, flat),
    fieldBox('categoryId', rs.category, category), emergencyNote, visit.el,
    fieldBox('description', rs.description, description),
    fieldBox('files', rs.photos, photos, rs.photosHint(maxPhotos, maxMb)),
    fieldBox('name', rs.name, name),
    fieldBox('phone', rs.phone, phone),
    fieldBox('email', rs.email, email),
    honeypot, summary, submit);
  // The chosen-address box sits inside the address field, after the search box.
  const addressBox = el.querySelector<HTMLElement>('[data-field="buildingId"]')!;
  addressBox.insertBefore(results, addressBox.querySelector('.field-error'));
  addressBox.insertBefore(chosen, addressBox.querySelector('.field-error'));
  const photosBox = el.querySelector<HTMLElement>('[data-field="files"]')!;
  photosBox.insertBefore(photoList, photosBox.querySelector('.field-error'));

  // A field's problem goes away as soon as the resident changes it.
  const clearOwn = (e: Event) => {
    const field = (e.target as HTMLElement).closest<HTMLElement>('[data-field]')?.dataset.field;
    if (field && field !== 'files') show(field, null);
    settle();
  };
  el.addEventListener('input', clearOwn);
  el.addEventListener('change', clearOwn);
  // A slot picked in the visit step clears its own mark (slot-picker.ts).
  el.addEventListener('click', () => window.setTimeout(settle));

  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    const values = { buildingId: building ? String(building.id) : '', flat: flat.value, categoryId: category.value, description: description.value, name: name.value, phone: phone.value, email: email.value, website: website.value };
    const checked = webFormSchema.safeParse(values);
    const tooMany = files().length > maxPhotos;
    const noSlot = visit.active() && !visit.chosen();
    if (noSlot) visit.fail(rb.pickerRequired);
    if (!checked.success || tooMany || noSlot) {
      for (const issue of checked.success ? [] : checked.error.issues) show(String(issue.path[0] ?? ''), issue.message);
      if (tooMany) show('files', rs.photosTooMany(maxPhotos));
      say(rs.fixErrors, true);
      app.querySelector<HTMLElement>('.rs-invalid input, .rs-invalid select, .rs-invalid textarea')?.focus();
      return;
    }
    const body = new FormData();
    for (const [k, v] of Object.entries(values)) if (v !== '') body.append(k, v);
    for (const f of files()) body.append('files', f, f.name);
    submit.disabled = true;
    submit.textContent = rs.sending;
    try {
      const start = visit.active() ? visit.chosen() : null;
      done(start ? { ...(await submitWithVisit(tenantId, body, start)), company } : await publicApi.submit(tenantId, body), tenantId);
    } catch (err) {
      submit.disabled = false;
      submit.textContent = rs.submit;
      if (err instanceof BookingError && err.status === 409) {
        visit.refresh();
        visit.fail(rb.pickerTaken);
        say(rb.pickerTaken, true);
        return;
      }
      if (err instanceof PublicError && err.details.length) for (const d of err.details) show(d.field, d.problem);
      const fields = err instanceof PublicError && err.status === 400;
      say(err instanceof PublicError && err.status === 429 ? rs.rateLimited(err.retryAfterSec)
        : fields ? rs.fixErrors
        : err instanceof PublicError && err.status !== 0 ? `${rs.sendFailed} (${err.message})` : rs.sendFailed, fields);
    }
  });
  shell(el);
}

function done(a: WebFormAnswer & { visit?: { start: string; end: string } }, tenantId: number): void {
  shell(h('section', { class: 'rs-card rs-done', testid: 'form-done' },
    h('h2', { class: 'rs-h2' }, rs.doneTitle),
    h('p', { class: 'rs-number', testid: 'request-number' }, rs.doneNumber, ' ', h('span', { class: 'rs-nowrap' }, a.number)),
    visitNote(a),
    h('a', { class: 'btn btn-primary btn-block', href: a.statusUrl, testid: 'status-link' }, rs.doneLink),
    h('p', { class: 'rs-hint' }, rs.doneKeep),
    h('a', { class: 'btn btn-block', href: `/r/${tenantId}/` }, rs.another)));
}

async function start(): Promise<void> {
  const m = /^\/r\/(\d+)\/?$/.exec(location.pathname);
  if (!m) return companies();
  const tenantId = Number(m[1]);
  try {
    const f = await publicApi.form(tenantId);
    document.title = `${rs.formTitle} — ${f.company.name}`;
    form(tenantId, f.company.name, f.categories, f.maxPhotos, f.maxMb);
  } catch (err) {
    shell(h('p', { class: 'rs-error', role: 'alert', testid: 'form-unavailable' }, err instanceof PublicError && err.status === 404 ? rs.companyNotFound : rs.loadFailed),
      err instanceof PublicError && err.status === 404 ? h('a', { class: 'btn btn-block', href: '/r/' }, rs.allCompanies) : null);
  }
}

void start();
