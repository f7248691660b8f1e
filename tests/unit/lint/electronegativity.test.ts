import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

/** The review `npm test` runs (scripts/electronegativity.js), on small windows of our own making. */
const { review } = createRequire(__filename)('../../../scripts/electronegativity.js') as {
  review(options: { input: string; allowList: string }): Promise<{ ok: boolean; lines: string[] }>
}

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function project(source: string, allow: object[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-eng-'))
  dirs.push(dir)
  const src = join(dir, 'src')
  mkdirSync(join(src, 'main'), { recursive: true })
  writeFileSync(join(src, 'main', 'window.ts'), source)
  const allowList = join(dir, 'allow.json')
  writeFileSync(allowList, JSON.stringify({ allow }))
  return { input: src, allowList }
}

const SAFE = `import { BrowserWindow } from 'electron'
export const open = (preload: string): BrowserWindow => {
  const win = new BrowserWindow({
    webPreferences: { preload, contextIsolation: true, sandbox: true, nodeIntegration: false },
  })
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  return win
}
`

describe('the Electron security review in npm test', () => {
  it('fails on a HIGH finding (a window without context isolation)', async () => {
    const r = await review(
      project(`import { BrowserWindow } from 'electron'
export const w = new BrowserWindow({ webPreferences: { contextIsolation: false, nodeIntegration: true } })
`),
    )
    expect(r.ok).toBe(false)
    expect(r.lines.some((l) => l.startsWith('FAIL HIGH'))).toBe(true)
  }, 30_000)

  it('fails on a MEDIUM finding the allow-list does not give a reason for, and passes once it does', async () => {
    const bare = await review(project(SAFE))
    expect(bare.ok).toBe(false)
    const medium = bare.lines
      .filter((l) => l.startsWith('FAIL MEDIUM'))
      .map((l) => l.split(' '))
      .map(([, , check, at]) => ({ check, file: at!.split(':')[0], reason: 'reviewed' }))
    expect(medium.map((m) => m.check)).toContain('PRELOAD_JS_CHECK')
    const allowed = await review(project(SAFE, medium))
    expect(allowed.lines.filter((l) => l.startsWith('FAIL'))).toEqual([])
    expect(allowed.ok).toBe(true)
  }, 30_000)

  it('refuses an allow-list entry without a reason', async () => {
    await expect(
      review(project(SAFE, [{ check: 'PRELOAD_JS_CHECK', file: 'main/window.ts', reason: ' ' }])),
    ).rejects.toThrow(/needs check, file and reason/)
  }, 30_000)
})
