// A local SMTP server standing in for the residents' mailboxes: it accepts
// every message Pult sends and keeps it, parsed, for the test to read.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface MailSink {
  port: number;
  messages: ParsedMail[];
  /** Resolves with the first message (already caught or still to come) that matches. */
  waitFor(match: (m: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  stop(): Promise<void>;
}

export async function startMailSink(): Promise<MailSink> {
  const messages: ParsedMail[] = [];
  const waiters: { match: (m: ParsedMail) => boolean; resolve: (m: ParsedMail) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, cb) {
      simpleParser(stream).then((m) => {
        messages.push(m);
        for (const w of waiters.filter((x) => x.match(m))) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
        cb();
      }, (err: Error) => cb(err));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    waitFor(match, timeoutMs = 10_000) {
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { match, resolve: (m: ParsedMail) => { clearTimeout(timer); resolve(m); } };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no such mail caught; caught: ${messages.map((m) => m.subject).join(' | ')}`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
