import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'

/**
 * A real IMAP server for tests: Debian's Dovecot (`apt-get install dovecot-imapd`), started on
 * 127.0.0.1 on a free port with its own configuration in a temp directory — passwd-file
 * authentication, a maildir in the same directory, a self-signed certificate made for the
 * test (its `ca` is what the client trusts), implicit TLS and STARTTLS. It runs as the current user;
 * under root (CI) Dovecot refuses to serve mail or logins as root, so the mail and internal
 * processes run as the package's `dovecot` user and logins as `dovenull`.
 *
 * Messages are delivered with `doveadm save`, Dovecot's own delivery, so UIDs and UIDVALIDITY
 * are the server's. `stop()` takes the server away (the maildir stays) and `start()` brings it
 * back on the same port; `close()` ends it and removes everything.
 */

export interface FakeImapServerOptions {
  user?: string
  password?: string
}

export interface FakeImapServer {
  host: string
  /** Implicit TLS (IMAPS). */
  port: number
  /** Plain IMAP that must be upgraded with STARTTLS before logging in. */
  starttlsPort: number
  user: string
  password: string
  /** The self-signed certificate (PEM): pass it as `tls.ca`. */
  ca: Buffer
  /** Delivers one message (RFC 5322 text) into a folder of the user's mailbox. */
  deliver(raw: string | Buffer, folder?: string): Promise<void>
  /** The server goes away (the process ends); its mail stays. */
  stop(): Promise<void>
  /** The server comes back, on the same port, with the same mail. */
  start(): Promise<void>
  /** What Dovecot logged. */
  log(): string
  close(): Promise<void>
}

const DOVECOT = ['/usr/sbin/dovecot', '/usr/local/sbin/dovecot'].find(existsSync)
const DOVEADM = ['/usr/bin/doveadm', '/usr/local/bin/doveadm'].find(existsSync)

/** True when Dovecot is installed here. */
export const hasDovecot = (): boolean => DOVECOT !== undefined && DOVEADM !== undefined

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

const idOf = (flag: '-u' | '-g', name: string): number =>
  Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim())

export async function startImapServer(
  options: FakeImapServerOptions = {},
): Promise<FakeImapServer> {
  if (!DOVECOT || !DOVEADM)
    throw new Error(
      'Dovecot is not installed: run  apt-get install -y dovecot-imapd  (scripts/setup-tests.sh does)',
    )
  const user = options.user ?? 'avvisi'
  const password = options.password ?? 'Pw-imap-7q2x'
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-imap-'))
  const root = process.getuid?.() === 0
  const me = userInfo().username
  const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim()
  const internal = root
    ? { user: 'dovecot', group: 'dovecot', login: 'dovenull' }
    : { user: me, group, login: me }
  if (root) chmodSync(dir, 0o755)

  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  )
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 })
  const home = join(dir, 'mail', user)
  mkdirSync(home, { recursive: true })
  const mailUid = idOf('-u', internal.user)
  const mailGid = idOf('-g', internal.user)
  if (root) {
    chownSync(join(dir, 'mail'), mailUid, mailGid)
    chownSync(home, mailUid, mailGid)
  }
  mkdirSync(join(dir, 'run'))
  mkdirSync(join(dir, 'state'))
  const port = await freePort()
  const starttlsPort = await freePort()
  const conf = join(dir, 'dovecot.conf')
  writeFileSync(
    conf,
    `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = ${internal.user}
default_internal_group = ${internal.group}
default_login_user = ${internal.login}
ssl = required
ssl_cert = <${dir}/cert.pem
ssl_key = <${dir}/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_failure_delay = 0
stats_writer_socket_path =
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${internal.user} gid=${internal.group} home=${dir}/mail/%u allow_all_users=yes
}
mail_location = maildir:~/Maildir
first_valid_uid = ${mailUid}
first_valid_gid = ${mailGid}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${starttlsPort}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${port}
    ssl = yes
  }
}
service anvil {
  chroot =
}
`,
  )

  let child: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()
  const logText = () => {
    try {
      return readFileSync(join(dir, 'dovecot.log'), 'utf8')
    } catch {
      return ''
    }
  }

  async function start(): Promise<void> {
    if (child) return
    const proc = spawn(DOVECOT as string, ['-F', '-c', conf], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    let gone = false
    exited = new Promise((resolve) =>
      proc.once('exit', () => {
        gone = true
        resolve()
      }),
    )
    child = proc
    // Ready once the master has bound its listener and said so. No test connection: each one
    // starts a login process, and one still reading its configuration holds up a stop.
    const startedLines = logText().split('starting up').length
    const deadline = Date.now() + 15_000
    while (
      logText().split('starting up').length === startedLines ||
      !existsSync(join(dir, 'run', 'master.pid'))
    ) {
      if (gone || Date.now() > deadline) {
        child = undefined
        proc.kill('SIGKILL')
        throw new Error(`Dovecot did not start: ${stderr}\n${logText()}`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  async function stop(): Promise<void> {
    const proc = child
    if (!proc) return
    child = undefined
    proc.kill('SIGTERM')
    const killed = setTimeout(() => proc.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(killed)
    // The master is gone; wait for its listener to be released before a restart binds it.
    while ((await listening(port)) || (await listening(starttlsPort)))
      await new Promise((r) => setTimeout(r, 50))
  }

  await start()
  return {
    host: '127.0.0.1',
    port,
    starttlsPort,
    user,
    password,
    ca: readFileSync(join(dir, 'cert.pem')),
    async deliver(raw, folder = 'INBOX') {
      await new Promise<void>((resolve, reject) => {
        const save = spawn(DOVEADM as string, ['-c', conf, 'save', '-u', user, '-m', folder], {
          stdio: ['pipe', 'ignore', 'pipe'],
        })
        let err = ''
        save.stderr?.on('data', (d: Buffer) => (err += d.toString()))
        save.once('error', reject)
        save.once('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`doveadm save failed (${code}): ${err}`)),
        )
        save.stdin?.end(raw)
      })
    },
    stop,
    start,
    log: logText,
    async close() {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A small valid PDF (one page, one line of text), with a correct cross-reference table. */
export function tinyPdf(text = 'Avviso di criticità'): Buffer {
  const escaped = text.replace(/[\\()]/g, (c) => `\\${c}`)
  const stream = `BT /F1 18 Tf 72 720 Td (${escaped}) Tj ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
  ]
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'
  const offsets: number[] = []
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'))
    body += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = Buffer.byteLength(body, 'latin1')
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(body, 'latin1')
}

/** An e-mail as the region sends it: a text part and one attachment, base64 and folded. */
export function noticeEmail(options: {
  from: string
  to?: string
  subject: string
  messageId: string
  text: string
  attachment?: { name: string; type: string; content: Buffer }
  date?: Date
}): string {
  const boundary = 'vedetta-test-boundary'
  const encodeWord = (s: string) =>
    /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`
  const lines = [
    `From: ${options.from}`,
    `To: ${options.to ?? 'protezione.civile@comune.example.it'}`,
    `Subject: ${encodeWord(options.subject)}`,
    `Message-ID: ${options.messageId}`,
    `Date: ${(options.date ?? new Date('2026-02-07T13:05:00Z')).toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
  ]
  const text = Buffer.from(options.text, 'utf8').toString('base64')
  if (!options.attachment) {
    lines.push(
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      text,
    )
    return lines.join('\r\n') + '\r\n'
  }
  const a = options.attachment
  const b64 = a.content.toString('base64').replace(/.{76}/g, '$&\r\n')
  lines.push(
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    text,
    `--${boundary}`,
    `Content-Type: ${a.type}; name="${a.name}"`,
    `Content-Disposition: attachment; filename="${a.name}"`,
    'Content-Transfer-Encoding: base64',
    '',
    b64,
    `--${boundary}--`,
    '',
  )
  return lines.join('\r\n')
}
