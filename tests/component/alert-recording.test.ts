import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// The composer's recording over a real core: a WAV uploaded from the file picker is read
// by the core, its length shown, playable, and taken away again.
let t: TestCore
const ctx = { operator: 'test' }
beforeEach(() => {
  t = createTestCore()
  installBridge(coreBridge(t.core, ctx))
  setActivePinia(createPinia())
})
afterEach(() => {
  document.body.innerHTML = ''
  t.dispose()
  vi.resetModules()
})

/** A PCM WAV of `seconds` at 8 kHz, mono, as a phone recorder writes it. */
function wav(seconds: number): Uint8Array<ArrayBuffer> {
  const data = Buffer.alloc(seconds * 8000 * 2)
  const header = Buffer.alloc(44)
  header.write('RIFF', 0, 'ascii')
  header.writeUInt32LE(36 + data.length, 4)
  header.write('WAVEfmt ', 8, 'ascii')
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20)
  header.writeUInt16LE(1, 22)
  header.writeUInt32LE(8000, 24)
  header.writeUInt32LE(16000, 28)
  header.writeUInt16LE(2, 32)
  header.writeUInt16LE(16, 34)
  header.write('data', 36, 'ascii')
  header.writeUInt32LE(data.length, 40)
  return new Uint8Array(Buffer.concat([header, data]))
}

describe('AlertRecording', () => {
  it('uploads a recording, shows its length and a player, and removes it', async () => {
    const draft = await t.core.handlers['alerts:createDraft'](
      {
        draft: {
          kind: 'idraulico',
          level: 'rosso',
          comuni: [{ name: 'Empoli' }],
          validFrom: '2026-12-04T14:00:00+01:00',
          validTo: '2026-12-05T08:00:00+01:00',
          headline: 'Allerta rossa',
        },
      },
      ctx,
    )
    const { default: Recording } =
      await import('../../src/renderer/src/components/alerts/AlertRecording.vue')
    const i18n = createI18n({ legacy: false, locale: 'it', messages })
    const changed: unknown[] = []
    const w = mount(Recording, {
      props: { alertId: draft.id },
      attrs: { onChanged: () => changed.push(1) },
      global: { plugins: [i18n] },
      attachTo: document.body,
    })
    await flushPromises()
    const input = w.find('[data-testid="recording-file"]')
    const file = new File([wav(7)], 'messaggio sindaco.wav', { type: 'audio/wav' })
    Object.defineProperty(input.element, 'files', { value: [file] })
    await input.trigger('change')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(w.find('[data-testid="recording-loaded"]').text()).toBe('«messaggio sindaco.wav»: 7 s')
    })
    expect(w.find('audio').attributes('src')).toMatch(/^data:audio\/wav;base64,UklGR/)
    expect(changed).toHaveLength(1)

    await w.find('button').trigger('click')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(w.find('audio').exists()).toBe(false)
    })
    expect(await t.core.handlers['alerts:recording']({ id: draft.id }, ctx)).toBeNull()
  })
})
