import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { createCore } from '../../../src/main/core/app'
import { createKeyFileCipher } from '../../../src/main/core/secrets/key-file-cipher'
import { createDispatch } from '../../../src/main/transport/dispatch'
import type { Envelope, TemplateView } from '../../../src/shared/contract'
import { createTestCore, type TestCore } from '../../support/test-core'

let t: TestCore
let call: (name: string, payload: unknown) => Promise<Envelope>
beforeEach(() => {
  t = createTestCore()
  const dispatch = createDispatch(t.core.handlers)
  call = (name, payload) => dispatch(name, payload, { operator: 'ict' })
})
afterEach(() => t.dispose())

const list = async () =>
  ((await call('templates:list', {})) as { ok: true; value: TemplateView[] }).value

describe('templates in the workspace', () => {
  it('start with the shipped Italian defaults, once', async () => {
    const all = await list()
    expect(all.length).toBeGreaterThanOrEqual(15)
    expect(all.find((x) => x.id === 'neve-arancione')).toMatchObject({
      kind: 'neve',
      level: 'arancione',
      builtin: true,
    })
    // Deleting a default does not bring it back on the next start.
    await call('templates:delete', { id: 'neve-arancione' })
    t.core.close()
    const reopened = createCore({
      dataDir: t.dataDir,
      cipher: createKeyFileCipher(t.dataDir),
      shell: 'host',
      version: 'test',
      resourcesDir: join(__dirname, '../../../resources'),
    })
    const again = await reopened.handlers['templates:list']({}, { operator: 'x' })
    reopened.close()
    expect(again.length).toBe(all.length - 1)
    expect(again.some((x) => x.id === 'neve-arancione')).toBe(false)
  })

  it('are saved only when every variable is known and well formed', async () => {
    const bad = await call('templates:save', {
      name: 'Prova',
      kind: 'neve',
      level: 'giallo',
      variants: { sms: 'Allerta su {{comuni}} dalle {{ora_inizio}}', x: 'Neve {{comuni' },
    })
    expect(bad.ok).toBe(false)
    if (bad.ok) return
    expect(bad.error.issues!.map((i) => i.path)).toEqual(
      expect.arrayContaining(['variants.sms', 'variants.x']),
    )
    expect(bad.error.issues!.find((i) => i.path === 'variants.sms')!.code).toBe('unknown_variable')
    expect((await list()).some((x) => x.name === 'Prova')).toBe(false)
  })

  it('are created, edited and deleted, with a clear error for a duplicate name or an unknown kind', async () => {
    const created = await call('templates:save', {
      name: 'Neve — comunicato breve',
      kind: 'neve',
      level: 'giallo',
      variants: { sms: 'Allerta {{livello}} per neve su {{comuni}}. Info: {{link}}' },
    })
    expect(created.ok).toBe(true)
    if (!created.ok) return
    const id = (created.value as TemplateView).id
    const edited = await call('templates:save', {
      ...(created.value as TemplateView),
      name: 'Neve breve',
    })
    expect(edited.ok && (edited.value as TemplateView).name).toBe('Neve breve')
    const dup = await call('templates:save', {
      name: 'neve breve',
      kind: 'neve',
      level: 'giallo',
      variants: {},
    })
    expect(!dup.ok && dup.error.issues).toContainEqual({ path: 'name', code: 'duplicate' })
    const kind = await call('templates:save', {
      name: 'X',
      kind: 'grandine',
      level: 'giallo',
      variants: {},
    })
    expect(!kind.ok && kind.error.issues).toContainEqual({ path: 'kind', code: 'choice' })
    expect((await call('templates:delete', { id })).ok).toBe(true)
    const gone = await call('templates:get', { id })
    expect(!gone.ok && gone.error.code).toBe('not_found')
  })
})
