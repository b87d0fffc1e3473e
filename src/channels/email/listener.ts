// Pult's own SMTP listener (smtp-server): accepts mail only for a company's
// inbound address (550 otherwise), refuses oversized mail (552) and malformed
// mail (554, logged), and hands each accepted message, parsed by mailparser,
// to the inbound side. A failure inside is a temporary refusal (451): the
// sending server retries; the process never falls over.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { Logger } from '../../log.js';
import { fromParsed, type MailIn } from './message.js';

export interface MailListenerOptions {
  port: number;
  host: string;
  maxBytes: number;
  /** Recipient domains accepted at all (empty: any); then the address must be a company's. */
  domains: string[];
  tls?: { certFile: string; keyFile: string } | null;
}

export interface MailListenerDeps {
  /** The company whose inbound address this is, or null. */
  tenantFor(address: string): number | null;
  /** Handles one message for one company; throws to refuse it temporarily. */
  deliver(tenantId: number, mail: MailIn): Promise<void>;
  logger: Logger;
}

/** An SMTP reply with its code (smtp-server sends `responseCode` and the message). */
export function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export class MailListener {
  private readonly server: SMTPServer;
  private boundPort = 0;

  constructor(private readonly o: MailListenerOptions, private readonly d: MailListenerDeps) {
    const tls = o.tls ? { key: readFileSync(o.tls.keyFile), cert: readFileSync(o.tls.certFile) } : null;
    this.server = new SMTPServer({
      name: 'pult',
      banner: 'Pult mail intake',
      authOptional: true,
      disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
      ...(tls ?? {}),
      size: o.maxBytes,
      maxClients: 100,
      logger: false,
      onRcptTo: (address, _session, cb) => {
        const to = address.address.toLowerCase();
        const domain = to.slice(to.lastIndexOf('@') + 1);
        if ((o.domains.length > 0 && !o.domains.includes(domain)) || d.tenantFor(to) === null) {
          d.logger.info('mail refused: unknown recipient', { to });
          return cb(smtpError(550, '5.1.1 No such mailbox here'));
        }
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', (err) => cb(err));
        stream.on('end', () => {
          if (stream.sizeExceeded) {
            d.logger.info('mail refused: too large', { bytes: stream.byteLength, limit: o.maxBytes });
            return cb(smtpError(552, `5.3.4 Message exceeds the limit of ${o.maxBytes} bytes`));
          }
          const tenants = [...new Set(session.envelope.rcptTo.map((r) => d.tenantFor(r.address.toLowerCase())).filter((t): t is number => t !== null))];
          this.accept(Buffer.concat(chunks), tenants).then(() => cb(null, 'Accepted'), (err: Error) => cb(err));
        });
      },
    });
    this.server.on('error', (err) => d.logger.warn('mail listener error', { err: err.message }));
  }

  private async accept(raw: Buffer, tenants: number[]): Promise<void> {
    let mail: MailIn;
    try {
      mail = fromParsed(await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true }));
    } catch (err) {
      this.d.logger.warn('mail refused: cannot be parsed', { err: (err as Error).message, bytes: raw.length });
      throw smtpError(554, '5.6.0 Message cannot be parsed');
    }
    if (!mail.from) {
      this.d.logger.warn('mail refused: no sender address', { messageId: mail.messageId });
      throw smtpError(554, '5.1.7 No sender address in From');
    }
    for (const tenantId of tenants) {
      try {
        await this.d.deliver(tenantId, mail);
      } catch (err) {
        this.d.logger.error('mail not taken in', { tenantId, messageId: mail.messageId, err: (err as Error).message, stack: (err as Error).stack });
        throw smtpError(451, '4.3.0 Temporary failure, try again later');
      }
    }
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.server.once('error', reject);
      this.server.listen(this.o.port, this.o.host, () => resolve());
    });
    this.boundPort = (this.server.server.address() as AddressInfo).port;
    this.d.logger.info('mail listener up', { host: this.o.host, port: this.boundPort, tls: Boolean(this.o.tls) });
    return this.boundPort;
  }

  get port(): number {
    return this.boundPort;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
