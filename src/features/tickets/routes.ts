// Requests API: register from the card, list by account, close.
import { Router } from 'express';
import { z } from 'zod';
import { ApiError, forbidden, notFound, parse } from '../../http/errors.js';
import { normalizePhone } from '../../domain/phone.js';
import { currentUser } from '../auth/middleware.js';
import type { CallRepository } from '../calls/repository.js';
import { visibleLineIds } from '../calls/routes.js';
import type { LineRepository } from '../lines/repository.js';
import type { CallerLookup } from '../screen-pop/lookup.js';
import type { Ticket, TicketCategory, TicketService } from './service.js';
import { fitsKind, kindMismatch } from '../../domain/category-kind.js';
import type { User } from '../auth/service.js';
import { channels } from '../requests/types.js';

/** What the requests feature does when a ticket is registered or closed (history, deadline, stage rules). */
export interface TicketLifecycle {
  started(id: number, by: number, channel: string): void;
  close(id: number, by: number): void;
}


export interface TicketDeps { tickets: TicketService; lookup: CallerLookup; calls: CallRepository; lines: LineRepository; lifecycle?: TicketLifecycle }

/** Registers a request from a validated body, scoped to the user's companies. */
export function registerTicket(d: TicketDeps, user: User, b: z.infer<typeof createBody>): Ticket {
  const { tickets, lookup, calls, lines } = d;
  const cat = tickets.category(b.categoryId);
  if (!cat) throw new ApiError(400, 'invalid_input', 'unknown categoryId', [{ field: 'categoryId', problem: 'no such category' }]);
  let tenantId: number;
  let accountId: number | null = null;
  let buildingId: number | null = null;
  let address: string;
  let flat = b.flat ?? null;
  if (b.accountNumber) {
    const acc = lookup.accountByNumber(b.accountNumber, user.tenantIds);
    if (!acc) throw new ApiError(400, 'invalid_input', `account ${b.accountNumber} not found`, [{ field: 'accountNumber', problem: 'no such account in your companies' }]);
    tenantId = acc.tenant.id;
    accountId = acc.id;
    buildingId = acc.buildingId;
    address = acc.address;
    flat = flat ?? acc.flat;
  } else {
    tenantId = b.tenantId!;
    if (user.tenantIds && !user.tenantIds.includes(tenantId)) throw forbidden();
    if (!tickets.tenantExists(tenantId)) throw new ApiError(400, 'invalid_input', `unknown company ${tenantId}`, [{ field: 'tenantId', problem: 'no such company' }]);
    address = b.address!;
  }
  checkCategoryKind(cat, b.kind);
  let callIds: string[] = [];
  let callerPhone = b.callerPhone ? (normalizePhone(b.callerPhone) ?? b.callerPhone) : null;
  if (b.callId) {
    const call = calls.get(b.callId);
    const ids = visibleLineIds(user, lines);
    if (!call || (ids !== null && (call.lineId === null || !ids.includes(call.lineId)))) throw new ApiError(400, 'invalid_input', 'call not found', [{ field: 'callId', problem: 'no such call' }]);
    callIds = [call.id];
    callerPhone = callerPhone ?? (b.anonymous ? null : call.callerNumber);
  }
  const anon = b.anonymous ? tickets.anonymousFor(b.callId ?? null) : null;
  const ticket = tickets.create({
    tenantId, kind: b.kind, categoryId: cat.id, description: b.description, accountId, buildingId, flat, address,
    callerName: b.callerName ?? null, callerPhone: anon ? null : callerPhone, anonymousCallerId: anon?.id ?? null, callIds, createdBy: user.id,
  });
  if (!d.lifecycle) return ticket;
  d.lifecycle.started(ticket.id, user.id, b.channel ?? (b.callId ? 'call' : 'other'));
  return tickets.get(ticket.id)!;
}

/** 400 when a request's category does not fit its kind (the form filters them; the server decides). */
export function checkCategoryKind(cat: TicketCategory, kind: 'emergency' | 'planned'): void {
  if (fitsKind(cat.kind, kind)) return;
  const problem = kindMismatch(cat.name, cat.kind, kind);
  throw new ApiError(400, 'invalid_input', `categoryId: ${problem}`, [{ field: 'categoryId', problem }]);
}

export const createBody = z
  .object({
    kind: z.enum(['emergency', 'planned']),
    categoryId: z.number().int().positive(),
    description: z.string().trim().min(3, 'опишите проблему (не короче 3 символов)').max(4000),
    accountNumber: z.string().trim().min(1).max(50).optional(),
    tenantId: z.number().int().positive().optional(),
    address: z.string().trim().min(3).max(500).optional(),
    flat: z.string().trim().max(20).optional(),
    callerName: z.string().trim().max(200).optional(),
    callerPhone: z.string().trim().max(40).optional(),
    anonymous: z.boolean().default(false),
    callId: z.string().uuid().optional(),
    channel: z.enum(channels).optional(),
  })
  .refine((b) => b.accountNumber || (b.address && b.tenantId), { message: 'give an accountNumber, or an address with a tenantId', path: ['accountNumber'] });

export const listQuery = z.object({
  accountNumber: z.string().trim().min(1).max(50).optional(),
  status: z.enum(['open', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export function ticketRoutes(tickets: TicketService, lookup: CallerLookup, calls: CallRepository, lines: LineRepository, lifecycle?: TicketLifecycle): Router {
  const r = Router();
  const deps: TicketDeps = { tickets, lookup, calls, lines, lifecycle };

  r.get('/api/ticket-categories', (_req, res) => {
    res.json({ items: tickets.categories() });
  });

  r.post('/api/tickets', (req, res) => {
    const ticket = registerTicket(deps, currentUser(req), parse(createBody, req.body));
    res.status(201).json({ ticket });
  });

  r.get('/api/tickets', (req, res) => {
    const user = currentUser(req);
    const q = parse(listQuery, req.query, 'query');
    let accountId: number | undefined;
    if (q.accountNumber) {
      const acc = lookup.accountByNumber(q.accountNumber, user.tenantIds);
      if (!acc) return void res.json({ items: [] });
      accountId = acc.id;
    }
    res.json({ items: tickets.list({ tenantIds: user.tenantIds, accountId, status: q.status, limit: q.limit }) });
  });

  r.get('/api/tickets/:id', (req, res) => {
    const user = currentUser(req);
    const id = parse(z.coerce.number().int().positive(), req.params.id, 'id');
    const t = tickets.get(id);
    if (!t || (user.tenantIds && !user.tenantIds.includes(t.tenantId))) throw notFound('ticket');
    res.json({ ticket: t });
  });

  r.post('/api/tickets/:id/close', (req, res) => {
    const user = currentUser(req);
    const id = parse(z.coerce.number().int().positive(), req.params.id, 'id');
    const t = tickets.get(id);
    if (!t || (user.tenantIds && !user.tenantIds.includes(t.tenantId))) throw notFound('ticket');
    if (lifecycle) lifecycle.close(id, user.id);
    else tickets.close(id, user.id);
    res.json({ ticket: tickets.get(id) });
  });

  return r;
}
