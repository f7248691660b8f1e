import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const REPO = resolve(__dirname, '../..')
export const CLI = join(REPO, 'bin', 'vedetta.js')

export interface HostProcess {
  url: string
  dataDir: string
  child: ChildProcess
  stop(): Promise<number | null>
  /** SIGKILL, as a power cut or a crash would end it; resolves once it is gone. */
  kill(): Promise<void>
}

/**
 * Starts `vedetta host` on a free port with its own data dir and waits for its URL line.
 * `'remembered'` gives no --port: the host takes the one of its last run on that data dir.
 */
export async function startHostProcess(
  dataDir = mkdtempSync(join(tmpdir(), 'vedetta-e2e-')),
  port: number | 'remembered' = 0,
  extraArgs: string[] = [],
): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'host',
      ...(port === 'remembered' ? [] : ['--port', String(port)]),
      '--data-dir',
      dataDir,
      ...extraArgs,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, VEDETTA_DATA_DIR: '' },
    },
  )
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = ''
    const timer = setTimeout(
      () => reject(new Error(`vedetta host did not start: ${stderr}`)),
      20_000,
    )
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('http://'))
      if (line) {
        clearTimeout(timer)
        resolveUrl(line.trim())
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`vedetta host exited with ${code}: ${stderr}`))
    })
  })
  return {
    url,
    dataDir,
    child,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done(child.exitCode)
        child.once('exit', (code) => done(code))
        child.kill('SIGTERM')
      }),
    kill: () =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done()
        child.once('exit', () => done())
        child.kill('SIGKILL')
      }),
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}
