import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// The room tells the real core when someone uses it (so a cry for help waits for them),
// at most once a minute and only on a person's input; and Reperibilità sets the words.
let t: TestCore
let presents: string[]
const ctx = { operator: 'test' }
beforeEach(() => {
  t = createTestCore()
  const bridge = coreBridge(t.core, ctx)
  const forward = bridge['oncall:present'] as (i: unknown) => Promise<{ at: string }>
  presents = []
  bridge['oncall:present'] = async (input: unknown) => {
    const r = await forward(input)
    presents.push(r.at)
    return r
  }
  installBridge(bridge)
  setActivePinia(createPinia())
})
afterEach(() => {
  document.body.innerHTML = ''
  t.dispose()
  vi.resetModules()
})

describe('presence in the room', () => {
  it('reports typing and clicks, once a minute, and nothing while nobody touches it', async () => {
    const { usePresence } = await import('../../src/renderer/src/composables/presence')
    let clock = 1_000_000
    const Probe = defineComponent({
      setup() {
        usePresence(() => clock)
        return () => h('p', 'sala')
      },
    })
    const w = mount(Probe, { attachTo: document.body })
    await flushPromises()
    expect(presents).toEqual([]) // open is not present
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }))
    window.dispatchEvent(new Event('pointerdown'))
    await flushPromises()
    expect(presents).toHaveLength(1)
    clock += 61_000
    window.dispatchEvent(new Event('pointerdown'))
    await flushPromises()
    expect(presents).toHaveLength(2)
    w.unmount()
    clock += 61_000
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'b' }))
    await flushPromises()
    expect(presents).toHaveLength(2)
  })
})

describe('Reperibilità: words asking for help', () => {
  it('saves the office’s words one per line, and names a word too short to use', async () => {
    const roster = await t.core.handlers['oncall:roster']({}, ctx)
    const { default: Form } =
      await import('../../src/renderer/src/components/oncall/OncallSettingsForm.vue')
    const i18n = createI18n({ legacy: false, locale: 'it', messages })
    const w = mount(Form, {
      props: { settings: roster.settings, accounts: [] },
      global: { plugins: [i18n] },
      attachTo: document.body,
    })
    const words = w.find('#oc-t-words')
    expect((words.element as HTMLTextAreaElement).value.split('\n')).toContain('allagat')
    await words.setValue('aiuto\nfrana, smottament\n')
    await words.trigger('change')
    await w.find('#oc-t-idle').setValue(20)
    await w.find('form').trigger('submit')
    await vi.waitFor(async () => {
      await flushPromises()
      const saved = (await t.core.handlers['oncall:roster']({}, ctx)).settings.triggers
      expect(saved).toMatchObject({
        distressWords: ['aiuto', 'frana', 'smottament'],
        idleMinutes: 20,
      })
    })

    await words.setValue('aiuto\nab')
    await words.trigger('change')
    await w.find('form').trigger('submit')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(w.find('#oc-t-words-err').text()).toBe(
        '«ab» è troppo corta: almeno 3 lettere, per non chiamare per ogni messaggio.',
      )
    })
    const kept = (await t.core.handlers['oncall:roster']({}, ctx)).settings.triggers
    expect(kept.distressWords).toEqual(['aiuto', 'frana', 'smottament'])
  })
})
