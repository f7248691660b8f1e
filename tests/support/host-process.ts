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
}

/** Starts `vedetta host` on a free port with its own data dir and waits for its URL line. */
export async function startHostProcess(
  dataDir = mkdtempSync(join(tmpdir(), 'vedetta-e2e-')),
  port = 0,
): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    [CLI, 'host', '--port', String(port), '--data-dir', dataDir],
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
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}
