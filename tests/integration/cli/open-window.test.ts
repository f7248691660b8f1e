import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startHostProcess, type HostProcess } from '../../support/host-process'

const dirs: string[] = []
let host: HostProcess | undefined

afterEach(async () => {
  await host?.stop()
  host = undefined
  vi.unstubAllEnvs()
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }))
})

const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vedetta-open-'))
  dirs.push(d)
  return d
}

/** A browser that writes down the command line it was started with, as `ps` would show it. */
function recordingBrowser(): { browser: string; argsFile: string } {
  const dir = tempDir()
  const argsFile = join(dir, 'args')
  const browser = join(dir, 'browser')
  writeFileSync(
    browser,
    `#!/bin/sh\nprintf '%s\\n' "$@" > ${JSON.stringify(argsFile)}.tmp\nmv ${JSON.stringify(argsFile)}.tmp ${JSON.stringify(argsFile)}\n`,
  )
  chmodSync(browser, 0o755)
  return { browser, argsFile }
}

async function commandLine(argsFile: string): Promise<string[]> {
  await vi.waitFor(() => expect(existsSync(argsFile)).toBe(true), { timeout: 10_000 })
  return readFileSync(argsFile, 'utf8').trim().split('\n')
}

describe('vedetta host --open', () => {
  it('opens the window with a one-time launch code: the token is never on its command line', async () => {
    const { browser, argsFile } = recordingBrowser()
    vi.stubEnv('VEDETTA_BROWSER', browser)
    host = await startHostProcess(tempDir(), 0, ['--open'])
    const token = new URL(host.url).searchParams.get('token')!
    expect(token).toMatch(/^[\w-]{32,}$/)

    const args = await commandLine(argsFile)
    expect(args.join(' ')).not.toContain(token)
    const app = args.find((a) => a.startsWith('--app='))!.slice('--app='.length)
    const port = new URL(host.url).port
    expect(app).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?launch=[\\w-]{20,}$`))

    // The window's first load: the cookie for this port, and an address with nothing in it.
    const first = await fetch(app, { redirect: 'manual' })
    expect(first.status).toBe(303)
    expect(first.headers.get('location')).toBe('/')
    const [cookie] = first.headers.getSetCookie()
    expect(cookie).toBe(`vedetta_${port}=${token}; HttpOnly; SameSite=Strict; Path=/`)
    const page = await fetch(`http://127.0.0.1:${port}/`, {
      headers: { cookie: cookie!.split(';')[0]! },
    })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<div id="app">')

    // Someone who read the command line afterwards gets nothing.
    const again = await fetch(app, { redirect: 'manual' })
    expect(again.status).toBe(401)
    expect(again.headers.getSetCookie()).toEqual([])
    expect(await again.text()).toContain(
      'Questo link di avvio è già stato usato: riapri Vedetta dal terminale',
    )
  })
})
