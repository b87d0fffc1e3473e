// HTTPS for Pult: the certificate and key files named by PULT_TLS_CERT /
// PULT_TLS_KEY, read and checked once at start (a wrong path, a file that is
// not PEM, or a key that does not belong to the certificate stops the start
// with a line naming the variable), and the server that serves the app over
// them. Without them Pult serves plain HTTP as before.
import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { RequestListener } from 'node:http';

/** A start-up problem with a message fit for the operator's terminal (no stack needed). */
export class TlsSetupError extends Error {}

export interface TlsCredentials {
  cert: Buffer;
  key: Buffer;
  /** What the log says at start: who the certificate is for and until when. */
  subject: string;
  altNames: string;
  validTo: Date;
}

function readPem(variable: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new TlsSetupError(`${variable}: cannot read ${file} (${why})`);
  }
}

/** Reads and checks the certificate (the first of a chain file) and its private key. */
export function loadTlsCredentials(certFile: string, keyFile: string): TlsCredentials {
  const cert = readPem('PULT_TLS_CERT', certFile);
  const key = readPem('PULT_TLS_KEY', keyFile);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new TlsSetupError(`PULT_TLS_CERT: ${certFile} is not a PEM certificate`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new TlsSetupError(`PULT_TLS_KEY: ${keyFile} is not a PEM private key (or it is encrypted: give an unencrypted key readable only by Pult's user)`);
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new TlsSetupError(`PULT_TLS_KEY: the key in ${keyFile} does not match the certificate in ${certFile}`);
  }
  return { cert, key, subject: x509.subject.replace(/\n/g, ', '), altNames: x509.subjectAltName ?? '', validTo: new Date(x509.validTo) };
}

/** The server the app and socket.io share: HTTPS with the credentials, plain HTTP without. */
export function createAppServer(app: RequestListener, tls: TlsCredentials | null): http.Server | https.Server {
  return tls ? https.createServer({ cert: tls.cert, key: tls.key }, app) : http.createServer(app);
}

/**
 * A renewed certificate without a restart: re-reads and checks the files and
 * gives new connections the new pair (open ones keep theirs). A bad pair
 * throws TlsSetupError and leaves the old one serving.
 */
export function reloadTlsCredentials(server: https.Server, certFile: string, keyFile: string): TlsCredentials {
  const next = loadTlsCredentials(certFile, keyFile);
  server.setSecureContext({ cert: next.cert, key: next.key });
  return next;
}
