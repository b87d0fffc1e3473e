// The console's side of the channels: a request's conversation («Переписка»)
// with the resident and its ratings; a dispatcher's message to the resident
// (shown on the status page). Scoped like the request itself.
import { Router } from 'express';
import { z } from 'zod';
import { forbidden, notFound, parse } from '../http/errors.js';
import { currentUser } from '../features/auth/middleware.js';
import { visible } from '../features/requests/routes.js';
import type { RequestState } from '../features/requests/repository.js';
import type { ChannelIntake } from './intake.js';
import type { FeedbackService } from './feedback.js';

const id = z.coerce.number().int().positive();
export const messageBody = z.object({ text: z.string().trim().min(1, 'пустое сообщение').max(4000) }).strict();

export function channelConsoleRoutes(d: { intake: ChannelIntake; feedback: FeedbackService; state: (id: number) => RequestState | null }): Router {
  const r = Router();
  const scoped = (req: { params: Record<string, string | undefined> }, user: ReturnType<typeof currentUser>) => {
    const ticketId = parse(id, req.params.id, 'id');
    const s = d.state(ticketId);
    if (!s || !visible(user, s)) throw notFound('request');
    return s;
  };

  r.get('/api/requests/:id/messages', (req, res) => {
    const s = scoped(req, currentUser(req));
    res.json({ items: d.intake.messages(s.id), ratings: d.feedback.ratings(s.id) });
  });

  r.post('/api/requests/:id/messages', (req, res) => {
    const user = currentUser(req);
    const s = scoped(req, user);
    const b = parse(messageBody, req.body);
    const message = d.intake.addMessage(s.id, { direction: 'out', channel: 'console', body: b.text, author: user.fullName });
    res.status(201).json({ message });
  });

  // A private status link for a request registered otherwise (a phone call): the dispatcher gives it to the
  // resident (SMS, e-mail) to follow the work and rate it. A new link replaces the previous one.
  r.post('/api/requests/:id/status-link', (req, res) => {
    const user = currentUser(req);
    if (user.role === 'executor') throw forbidden();
    const s = scoped(req, user);
    // Staff issue a link on purpose (the old one leaked, or was lost): the request's earlier links stop working.
    res.status(201).json(d.intake.newStatusLink(s.id, { revokeOthers: true }));
  });

  return r;
}
