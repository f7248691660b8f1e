import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import type { Alert } from '../../src/shared/alerts/types'
import { messages } from '../../src/renderer/src/i18n'
import postChecks from '../../src/renderer/src/i18n/domains/post-checks'
import { POST_RULES } from '../../src/shared/text/post-checks'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// The composer's texts editor over the real core and dispatcher: the ente's
// hashtag and link come from the workspace settings, as in the app.
let t: TestCore
const ctx = { operator: 'test' }
beforeEach(async () => {
  t = createTestCore()
  installBridge(coreBridge(t.core, ctx))
  setActivePinia(createPinia())
  await t.core.handlers['settings:update'](
    { hashtag: '#allertameteoTOS', link: 'https://www.empolese-valdelsa.it/allerta' },
    ctx,
  )
})
afterEach(() => {
  vi.useRealTimers()
  t.dispose()
  vi.resetModules()
})

const GOOD_X = {
  it: 'h16 Evita i sottopassi: allerta ARANCIONE per pioggia su Empoli. Info: https://www.empolese-valdelsa.it/allerta',
  en: '4pm Avoid underpasses: ORANGE rain alert for Empoli. Updates: https://www.empolese-valdelsa.it/allerta',
}

async function draft(): Promise<Alert> {
  return t.core.handlers['alerts:createDraft'](
    {
      draft: {
        kind: 'pioggia',
        level: 'arancione',
        comuni: [{ name: 'Empoli' }],
        validFrom: '2026-02-07T14:00:00+01:00',
        validTo: '2026-02-07T23:59:00+01:00',
        headline: 'Pioggia',
        targets: { accountIds: [], listIds: [], partnerIds: [] },
      },
    } as never,
    ctx,
  ) as Promise<Alert>
}

async function mountEditor(locale: 'it' | 'en') {
  const { default: Editor } =
    await import('../../src/renderer/src/components/alerts/AlertTextsEditor.vue')
  const i18n = createI18n({ legacy: false, locale, messages })
  const w = mount(Editor, {
    props: { alert: await draft(), families: [] },
    global: { plugins: [i18n] },
    attachTo: document.body,
  })
  await flushPromises()
  return w
}
type Wrapper = Awaited<ReturnType<typeof mountEditor>>
const panel = (w: Wrapper, v: string) => w.find(`[data-testid="post-checks-${v}"]`)
const findingsOf = (w: Wrapper, v: string) =>
  panel(w, v)
    .findAll('li')
    .map((li) => ({ rule: li.attributes('data-rule'), text: li.text() }))

describe('the check panel under a channel’s text', () => {
  it.each([
    [
      'it',
      'Manca l’hashtag #allertameteoTOS: aggiungilo in fondo al testo.',
      'Controlli sul testo: X (Twitter)',
    ],
    [
      'en',
      'The hashtag #allertameteoTOS is missing: add it at the end of the text.',
      'Text checks: X (Twitter)',
    ],
  ] as const)(
    '%s: typing a post without the hashtag shows it, with its fix; adding it clears it',
    async (locale, sentence, heading) => {
      const w = await mountEditor(locale)
      expect(panel(w, 'x').exists()).toBe(false)

      await w.find('#at-x').setValue(GOOD_X[locale])
      expect(panel(w, 'x').find('h3').text()).toBe(heading)
      expect(findingsOf(w, 'x')).toEqual([{ rule: 'hashtag_missing', text: sentence }])

      await w.find('#at-x').setValue(`${GOOD_X[locale]} #allertameteoTOS`)
      expect(findingsOf(w, 'x')).toEqual([])
      expect(panel(w, 'x').text()).toContain(
        locale === 'it' ? 'Nessun suggerimento' : 'No suggestions',
      )
      // Advice only: the text is saved when the field is left, whatever the panel says.
      await w.find('#at-x').setValue(GOOD_X[locale])
      await w.find('#at-x').trigger('blur')
      await flushPromises()
      const stored = await t.core.handlers['alerts:get']({ id: w.props('alert').id }, ctx)
      expect(stored.texts.x).toBe(GOOD_X[locale])
    },
  )

  it('says each fix in words, in Italian and English', async () => {
    const bad = 'Allerta ARANCIONE su Empoli. NON USCIRE.\n⚠️⚠️\n#allertameteotos'
    const it_ = await mountEditor('it')
    await it_.find('#at-facebook').setValue(bad)
    expect(findingsOf(it_, 'facebook').map((f) => f.text)).toEqual([
      'Scrivi #allertameteotos con l’iniziale maiuscola di ogni parola, come #allertameteoTOS: un lettore di schermo legge le parole invece di compitarle.',
      'Manca l’orario del messaggio: scrivi per esempio «h16» all’inizio, così un post ricondiviso ore dopo non sembra una notizia nuova.',
      'Cosa fare arriva solo alla frase 2: mettilo per primo («Evita i sottopassi…»).',
      'In maiuscolo: NON, USCIRE. Scrivilo in minuscolo: in maiuscolo solo il livello (ARANCIONE).',
      'Manca il link alla pagina dell’ente: aggiungi https://www.empolese-valdelsa.it/allerta.',
      'La riga 2 ha solo emoji: aggiungi le parole, un lettore di schermo dice solo i nomi dei simboli.',
    ])
    it_.unmount()
    vi.resetModules()
    const en = await mountEditor('en')
    await en.find('#at-facebook').setValue(bad)
    expect(findingsOf(en, 'facebook').map((f) => f.rule)).toEqual([
      'hashtag_camel_case',
      'time_missing',
      'action_first',
      'all_caps',
      'link_missing',
      'emoji_only_line',
    ])
    expect(findingsOf(en, 'facebook')[2]?.text).toBe(
      'What to do comes only in sentence 2: put it first (“Avoid underpasses…”).',
    )
    await en.find('#at-facebook').setValue('ORANGE alert for Empoli.')
    expect(findingsOf(en, 'facebook')[2]?.text).toBe(
      'The text does not say what to do: start with the action (“Avoid underpasses”, “Go upstairs”).',
    )
  })

  it('follows the ente’s settings when they change', async () => {
    const w = await mountEditor('it')
    await w.find('#at-x').setValue(`${GOOD_X.it} #allertameteoTOS`)
    expect(findingsOf(w, 'x')).toEqual([])
    await t.core.handlers['settings:update']({ hashtag: '#allertameteoTOS #Empolese' }, ctx)
    await flushPromises()
    expect(findingsOf(w, 'x').map((f) => f.text)).toEqual([
      'Manca l’hashtag #Empolese: aggiungilo in fondo al testo.',
    ])
  })

  it('checks the e-mail as subject and body together, under the body', async () => {
    const w = await mountEditor('en')
    await w.find('#at-email_subject').setValue('ORANGE alert: Empoli')
    await w.find('#at-email_body').setValue('Avoid underpasses.')
    expect(panel(w, 'email_subject').exists()).toBe(false)
    expect(findingsOf(w, 'email_body').map((f) => f.rule)).toEqual(['link_missing'])
    await w.find('#at-email_subject').setValue('ORANGE alert: https://www.empolese-valdelsa.it')
    expect(findingsOf(w, 'email_body')).toEqual([])
  })

  it('lets screen readers hear a short count once the typing pauses, not every key', async () => {
    const w = await mountEditor('it')
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const status = () => panel(w, 'sms').find('[role="status"]')
    await w.find('#at-sms').setValue('Evita')
    await w.find('#at-sms').setValue('Evita i sottopassi')
    expect(status().attributes('aria-live')).toBe('polite')
    expect(status().text()).toBe('')
    vi.advanceTimersByTime(1000)
    await flushPromises()
    expect(status().text()).toBe('Controlli sul testo SMS: 2 suggerimenti')
  })

  it('has words for every rule in both languages, each with its parameters filled', () => {
    const params = {
      hashtag: '#x',
      suggestion: '#X',
      sentence: 2,
      count: 4,
      max: 3,
      words: 'NON',
      link: 'https://e.it',
      line: 2,
    }
    for (const locale of ['it', 'en'] as const) {
      const { t: say, te } = createI18n({ legacy: false, locale, messages }).global
      const keys = Object.keys(postChecks[locale].postChecks.rules)
      for (const rule of POST_RULES)
        expect(keys.some((k) => k === rule || k.startsWith(`${rule}_`))).toBe(true)
      for (const key of keys) {
        expect(te(`postChecks.rules.${key}`)).toBe(true)
        const sentence = say(`postChecks.rules.${key}`, params)
        expect(sentence).not.toMatch(/[{}]/)
        expect(sentence.length).toBeGreaterThan(20)
      }
    }
  })
})
