import { mount } from '@vue/test-utils'
import type { Alert } from '../../src/shared/alerts/types'
import { TEMPLATE_VARIANTS } from '../../src/shared/templates/template-schema'
import type { VedettaBridge } from '../../src/shared/contract'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { estimateSpokenSeconds } from '../../src/shared/text/spoken-it'
import AlertVoicePreview from '../../src/renderer/src/components/alerts/AlertVoicePreview.vue'

// The browser's speech synthesis is not under test: a stand-in records what
// the component asks it to say, and in which voice.
class FakeUtterance {
  text: string
  lang = ''
  voice: { name: string; lang: string } | null = null
  onend: (() => void) | null = null
  onerror: ((e: { error: string }) => void) | null = null
  constructor(text: string) {
    this.text = text
  }
}
let voices: { name: string; lang: string }[]
let spoken: FakeUtterance[]
const synth = {
  speak: vi.fn((u: FakeUtterance) => spoken.push(u)),
  cancel: vi.fn(),
  getVoices: () => voices,
}

beforeEach(() => {
  voices = [
    { name: 'Daniel', lang: 'en-GB' },
    { name: 'Alice', lang: 'it-IT' },
  ]
  spoken = []
  synth.speak.mockClear()
  synth.cancel.mockClear()
  vi.stubGlobal('SpeechSynthesisUtterance', FakeUtterance)
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true })
})
afterEach(() => {
  vi.unstubAllGlobals()
  Reflect.deleteProperty(window, 'speechSynthesis')
})

const TEXT =
  'Messaggio della Protezione civile del Circondario Empolese Valdelsa. Allerta codice rosso per neve: resta a casa se puoi ed evita ogni spostamento non indispensabile. ' +
  "L'allerta riguarda Empoli e Vinci, dalle quattordici di giovedì tre dicembre alle otto di venerdì quattro dicembre. Ripeto: resta a casa se puoi."

function mountPreview(text = TEXT, locale: 'it' | 'en' = 'it') {
  const i18n = createI18n({ legacy: false, locale, messages })
  return mount(AlertVoicePreview, { props: { text }, global: { plugins: [i18n] } })
}
const button = (w: ReturnType<typeof mountPreview>) => w.get('button')

describe('the spoken preview of a voice call', () => {
  it('says how long the call speaks, to five seconds', () => {
    const w = mountPreview()
    const estimate = estimateSpokenSeconds(TEXT)
    expect(estimate).toBeGreaterThan(20)
    expect(w.text()).toContain(`circa ${Math.ceil(estimate / 5) * 5} secondi`)
    expect(w.text()).toContain('circa 25 secondi')
    expect(mountPreview(TEXT, 'en').text()).toContain('about 25 seconds')
    expect(mountPreview(`${TEXT} ${TEXT}`).text()).toContain('circa 45 secondi')
  })

  it('reads the text aloud in an Italian voice, and stops on a second press', async () => {
    const w = mountPreview()
    expect(button(w).text()).toBe('Ascolta anteprima')
    await button(w).trigger('click')
    expect(spoken).toHaveLength(1)
    expect(spoken[0]!.text).toBe(TEXT)
    expect(spoken[0]!.lang).toBe('it-IT')
    expect(spoken[0]!.voice?.name).toBe('Alice')
    expect(button(w).text()).toBe('Ferma anteprima')

    const cancels = synth.cancel.mock.calls.length
    await button(w).trigger('click')
    expect(synth.cancel.mock.calls.length).toBe(cancels + 1)
    expect(synth.speak).toHaveBeenCalledTimes(1)
    expect(button(w).text()).toBe('Ascolta anteprima')
  })

  it('is ready again when the voice has finished', async () => {
    const w = mountPreview()
    await button(w).trigger('click')
    spoken[0]!.onend!()
    await w.vm.$nextTick()
    expect(button(w).text()).toBe('Ascolta anteprima')
  })

  it('falls back to the default voice speaking Italian, and says so', async () => {
    voices = [{ name: 'Daniel', lang: 'en-GB' }]
    const w = mountPreview()
    await button(w).trigger('click')
    expect(spoken[0]!.voice).toBeNull()
    expect(spoken[0]!.lang).toBe('it-IT')
    expect(w.text()).toContain('Nessuna voce italiana installata')
  })

  it('takes any Italian voice when there is no it-IT one', async () => {
    voices = [
      { name: 'Daniel', lang: 'en-GB' },
      { name: 'Luca', lang: 'it_CH' },
    ]
    const w = mountPreview()
    await button(w).trigger('click')
    expect(spoken[0]!.voice?.name).toBe('Luca')
  })

  it('tells the operator when the voice fails, and logs it', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const w = mountPreview()
    await button(w).trigger('click')
    spoken[0]!.onerror!({ error: 'synthesis-failed' })
    await w.vm.$nextTick()
    expect(w.get('[role="alert"]').text()).toContain('synthesis-failed')
    expect(log).toHaveBeenCalled()
    expect(button(w).text()).toBe('Ascolta anteprima')
    log.mockRestore()
  })

  it('says the preview is not available where the browser cannot speak', () => {
    Reflect.deleteProperty(window, 'speechSynthesis')
    const w = mountPreview()
    expect(button(w).attributes('disabled')).toBeDefined()
    expect(w.text()).toContain('non sa leggere ad alta voce')
  })
})

describe('the composer’s voice text', () => {
  async function mountEditor(families: string[]) {
    ;(window as { vedetta?: VedettaBridge }).vedetta = { on: () => () => {} } as never
    const { default: Editor } =
      await import('../../src/renderer/src/components/alerts/AlertTextsEditor.vue')
    const texts = Object.fromEntries(TEMPLATE_VARIANTS.map((v) => [v, ''])) as Alert['texts']
    const alert = {
      id: 1,
      level: 'arancione',
      texts: { ...texts, sms: 'Allerta', voice: TEXT },
    } as Alert
    const i18n = createI18n({ legacy: false, locale: 'it', messages })
    return mount(Editor, { props: { alert, families }, global: { plugins: [i18n] } })
  }
  afterEach(() => {
    Reflect.deleteProperty(window, 'vedetta')
    vi.resetModules()
  })

  it('shows its duration and the listen button under the voice field only', async () => {
    const w = await mountEditor(['sms', 'voice'])
    const previews = w.findAll('[data-testid="voice-preview"]')
    expect(previews).toHaveLength(1)
    expect(previews[0]!.text()).toContain('circa 25 secondi')
    expect(w.find('#at-voice').exists()).toBe(true)

    // The estimate follows what the operator types.
    await w.get('#at-voice').setValue(`${TEXT} ${TEXT}`)
    expect(w.get('[data-testid="voice-preview"]').text()).toContain('circa 45 secondi')
    await w.get('[data-testid="voice-preview"] button').trigger('click')
    expect(spoken[0]!.text).toBe(`${TEXT} ${TEXT}`)

    const smsOnly = await mountEditor(['sms'])
    expect(smsOnly.find('[data-testid="voice-preview"]').exists()).toBe(false)
  })
})
