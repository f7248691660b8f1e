import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  HOST_FILE_NAME,
  loadHostIdentity,
  saveHostIdentity,
} from '../../../src/main/host/host-identity'

let dir: string
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vedetta-identity-'))))
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe("the host's address across restarts", () => {
  it('keeps the token and the port of the last run, in a file only this user can read', () => {
    const first = loadHostIdentity(dir)
    expect(first.port).toBeUndefined()
    expect(first.token).toMatch(/^[\w-]{32,}$/)
    saveHostIdentity(dir, { token: first.token, port: 41234 })
    if (process.platform !== 'win32')
      expect(statSync(join(dir, HOST_FILE_NAME)).mode & 0o777).toBe(0o600)

    const next = loadHostIdentity(dir)
    expect(next).toEqual({ token: first.token, port: 41234 })
  })

  it('makes a new, unguessable token on demand or when the file is damaged, and says so', () => {
    const first = loadHostIdentity(dir)
    saveHostIdentity(dir, { token: first.token, port: 41234 })
    const renewed = loadHostIdentity(dir, { renew: true })
    expect(renewed.token).not.toBe(first.token)
    expect(renewed.port).toBe(41234) // the pages then say they are refused, on the same origin

    const tokens = new Set(
      Array.from({ length: 50 }, () => loadHostIdentity(dir, { renew: true }).token),
    )
    expect(tokens.size).toBe(50)

    for (const damaged of ['{"token":"short"}', 'not json', '{"port":41234}']) {
      writeFileSync(join(dir, HOST_FILE_NAME), damaged)
      const fresh = loadHostIdentity(dir)
      expect(fresh.token).toMatch(/^[\w-]{32,}$/)
      expect(fresh.port).toBeUndefined()
      expect(fresh.notice).toMatch(/host\.json .* unreadable/)
      expect(fresh.notice).not.toContain(fresh.token)
    }
  })

  it('a half-written file left by a crash does not loosen the permissions', () => {
    const identity = loadHostIdentity(dir)
    const leftover = join(dir, `${HOST_FILE_NAME}.${process.pid}.tmp`)
    writeFileSync(leftover, 'half', { mode: 0o644 })
    saveHostIdentity(dir, { token: identity.token, port: 5000 })
    expect(JSON.parse(readFileSync(join(dir, HOST_FILE_NAME), 'utf8'))).toEqual({
      token: identity.token,
      port: 5000,
    })
    if (process.platform !== 'win32')
      expect(statSync(join(dir, HOST_FILE_NAME)).mode & 0o777).toBe(0o600)
  })
})
