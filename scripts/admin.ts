// User administration from the shell, on the server's own database (the same
// configuration as the server: PULT_STATE_DIR, PULT_DB, var/secrets.env).
// The way to make the first admin when the database has no demo data:
//
//   npm run admin -- create <login> [--role admin|supervisor|operator|overflow] [--name "Full Name"] [--password-stdin]
//   npm run admin -- reset-password <login> [--password-stdin]
//   npm run admin -- disable <login>
//   npm run admin -- enable <login>
//
// Without --password-stdin a random password is generated and printed once.
// A running server notices a disabled user or a new password at the next
// request (its sessions are deleted); its open sockets end at their next reconnect.
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/index.js';
import { openDb } from '../src/store/db.js';
import { systemClock } from '../src/clock.js';
import { AuthService, roles, type Role } from '../src/features/auth/service.js';

const usage = 'usage: npm run admin -- create <login> [--role admin] [--name "Full Name"] [--password-stdin] | reset-password <login> [--password-stdin] | disable <login> | enable <login>';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split('\n')[0]!.trim();
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Runs one command; returns the process exit code. Output goes to `out` / `err`. */
export async function runAdmin(argv: string[], env: NodeJS.ProcessEnv = process.env, out = (s: string) => console.log(s), err = (s: string) => console.error(s)): Promise<number> {
  const [command, login, ...rest] = argv;
  if (!command || !login || login.startsWith('--')) {
    err(usage);
    return 2;
  }
  // The ARI is not used here: its password need not be configured.
  const config = loadConfig({ PULT_ARI_PASSWORD: 'unused-by-the-admin-command', ...env });
  const db = openDb(config.dbPath);
  try {
    const auth = new AuthService(db, systemClock, config.PULT_SESSION_TTL_HOURS);
    const newPassword = async (): Promise<{ password: string; generated: boolean } | null> => {
      if (!rest.includes('--password-stdin')) return { password: randomBytes(12).toString('base64url'), generated: true };
      const password = await readStdin();
      if (password.length < 8) {
        err('the password must have at least 8 characters');
        return null;
      }
      return { password, generated: false };
    };
    const user = auth.findByLogin(login);
    if (user && command !== 'create' && auth.isSystemAccount(user.id)) {
      err(`${login} is a channel's system account, not a person: it stays disabled and has no password`);
      return 1;
    }
    switch (command) {
      case 'create': {
        if (!/^[A-Za-z0-9._-]{2,64}$/.test(login)) {
          err('the login must be 2 to 64 latin letters, digits, . _ -');
          return 2;
        }
        if (user) {
          err(`login ${login} is taken`);
          return 1;
        }
        const role = (option(rest, '--role') ?? 'admin') as Role;
        if (!roles.includes(role)) {
          err(`--role must be one of ${roles.join(', ')}`);
          return 2;
        }
        const pw = await newPassword();
        if (!pw) return 2;
        auth.createUser({ login, password: pw.password, role, fullName: option(rest, '--name') ?? login });
        out(`created ${role} ${login}`);
        if (pw.generated) out(`password (shown once): ${pw.password}`);
        return 0;
      }
      case 'reset-password': {
        if (!user) return notFound(err, login);
        const pw = await newPassword();
        if (!pw) return 2;
        await auth.resetPassword(user.id, pw.password);
        out(`password of ${login} reset; their sessions have ended`);
        if (pw.generated) out(`password (shown once): ${pw.password}`);
        return 0;
      }
      case 'disable':
        if (!user) return notFound(err, login);
        auth.disable(user.id);
        out(`${login} disabled; their sessions have ended`);
        return 0;
      case 'enable':
        if (!user) return notFound(err, login);
        auth.enable(user.id);
        out(`${login} enabled`);
        return 0;
      default:
        err(usage);
        return 2;
    }
  } finally {
    db.close();
  }
}

function notFound(err: (s: string) => void, login: string): number {
  err(`no user ${login}`);
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = await runAdmin(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  }
}
