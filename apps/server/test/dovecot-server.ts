import { type ChildProcess, spawn } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './node-process.ts';

export const DOVECOT_BIN = process.env.DOVECOT_BIN ?? '/usr/sbin/dovecot';

/** Unprivileged account Dovecot runs as when the tests run as root (CI): Dovecot never serves mail as uid 0. */
const NOBODY = { uid: 65534, gid: 65534 };

export interface MailUser {
  user: string;
  password: string;
}

/**
 * A real Dovecot IMAP server for one test file: started as an unprivileged user on a free local port,
 * with a throwaway configuration, password file and maildirs in a temporary folder (no root, nothing of
 * the system's own configuration). Plain-text login over loopback, no TLS.
 */
export class DovecotServer {
  private child: ChildProcess | null = null;
  private output = '';
  readonly dir = mkdtempSync(join(tmpdir(), 'sb-dovecot-'));
  port = 0;

  constructor(private readonly users: MailUser[]) {}

  async start(): Promise<this> {
    this.port = await freePort();
    const asRoot = process.getuid?.() === 0;
    const uid = asRoot ? NOBODY.uid : process.getuid!();
    const gid = asRoot ? NOBODY.gid : process.getgid!();
    const user = asRoot ? 'nobody' : (process.env.USER ?? 'nobody');
    for (const d of ['run', 'state', 'mail']) mkdirSync(join(this.dir, d), { recursive: true });
    writeFileSync(
      join(this.dir, 'passwd'),
      this.users
        .map((u) => `${u.user}:{PLAIN}${u.password}:${uid}:${gid}::${join(this.dir, 'mail', u.user)}::\n`)
        .join(''),
    );
    writeFileSync(join(this.dir, 'dovecot.conf'), this.config(user, uid));
    if (asRoot)
      for (const p of ['', 'run', 'state', 'mail', 'passwd', 'dovecot.conf'])
        chownSync(join(this.dir, p), uid, gid);
    const child = spawn(DOVECOT_BIN, ['-F', '-c', join(this.dir, 'dovecot.conf')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asRoot ? { uid, gid } : {}),
    });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    const deadline = Date.now() + 15_000;
    while (!(await this.listening())) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`dovecot did not start:\n${this.output}\n${this.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return this;
  }

  private config(user: string, uid: number): string {
    const d = this.dir;
    return `
base_dir = ${d}/run
state_dir = ${d}/state
log_path = ${d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = ${uid}
last_valid_uid = ${uid}
default_login_user = ${user}
default_internal_user = ${user}
default_internal_group = ${user === 'nobody' ? 'nogroup' : user}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${d}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u ${d}/passwd
}
service imap-login {
  chroot =
  user = ${user}
  inet_listener imap {
    address = 127.0.0.1
    port = ${this.port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service auth {
  user = ${user}
}
service auth-worker {
  user = ${user}
}
service log {
  user = ${user}
}
namespace inbox {
  inbox = yes
  separator = /
}
`;
  }

  private listening(): Promise<boolean> {
    return new Promise((resolve) => {
      const s = connect(this.port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
  }

  log(): string {
    try {
      return readFileSync(join(this.dir, 'dovecot.log'), 'utf8');
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
