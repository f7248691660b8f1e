import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderAlertTexts } from '../../src/main/core/alerts/template-texts'
import { formatAlertWindow } from '../../src/shared/templates/format-it'
import { levelWord } from '../../src/shared/templates/alert-kinds'
import { templateFileSchema } from '../../src/shared/templates/template-schema'
import {
  POST_LIMITS,
  POST_RULES,
  POST_RULES_BY_CHANNEL,
  checkActionFirst,
  checkAllCaps,
  checkEmojiOnlyLines,
  checkHashtagCamelCase,
  checkHashtagPresent,
  checkLimits,
  checkLink,
  checkPost,
  checkTimePresent,
  points,
  sentences,
  words,
  type PostContext,
  type PostRule,
} from '../../src/shared/text/post-checks'

const ctx: PostContext = {
  hashtag: '#allertameteoTOS',
  link: 'https://www.empolese-valdelsa.it/allerta',
  levelWord: 'ARANCIONE',
  drillMarker: 'ESERCITAZIONE - ',
}
const rules = (f: { rule: PostRule }[]) => f.map((x) => x.rule)

describe('the configured hashtag', () => {
  it('passes when present, in any case, in Italian and English', () => {
    expect(checkHashtagPresent('Evita i sottopassi. #allertameteoTOS', ctx)).toEqual([])
    expect(checkHashtagPresent('Avoid underpasses #AllertaMeteoTOS', ctx)).toEqual([])
  })
  it('warns, naming it, when absent', () => {
    expect(checkHashtagPresent('Evita i sottopassi. #neve', ctx)).toEqual([
      { rule: 'hashtag_missing', severity: 'warn', params: { hashtag: '#allertameteoTOS' } },
    ])
    expect(checkHashtagPresent('Avoid underpasses.', ctx)[0]?.params).toEqual({
      hashtag: '#allertameteoTOS',
    })
  })
  it('names only the missing ones of several, and asks nothing when none is configured', () => {
    const two = { ...ctx, hashtag: '#allertameteoTOS #ProtezioneCivile' }
    expect(checkHashtagPresent('Resta a casa #allertameteoTOS', two)[0]?.params).toEqual({
      hashtag: '#ProtezioneCivile',
    })
    expect(checkHashtagPresent('Resta a casa', { ...ctx, hashtag: '' })).toEqual([])
  })
  it('does not take an anchor in a link for a hashtag', () => {
    expect(
      rules(checkHashtagPresent('Info https://example.org/page#allertameteoTOS', ctx)),
    ).toEqual(['hashtag_missing'])
  })
})

describe('CamelCase hashtags', () => {
  it('passes CamelCase and short single words', () => {
    expect(checkHashtagCamelCase('#AllertaMeteoTOS #neve #Empoli', ctx)).toEqual([])
    expect(checkHashtagCamelCase('#FloodWarning #snow', ctx)).toEqual([])
  })
  it('warns on the ente’s tag in lowercase, suggesting the configured one', () => {
    expect(checkHashtagCamelCase('Evita i sottopassi #allertameteotos', ctx)).toEqual([
      {
        rule: 'hashtag_camel_case',
        severity: 'warn',
        params: { hashtag: '#allertameteotos', suggestion: '#allertameteoTOS' },
      },
    ])
  })
  it('warns on glued lowercase words, Italian and English', () => {
    expect(checkHashtagCamelCase('#protezionecivile', ctx)[0]?.params).toEqual({
      hashtag: '#protezionecivile',
    })
    expect(rules(checkHashtagCamelCase('#meteotos', ctx))).toEqual(['hashtag_camel_case'])
    expect(rules(checkHashtagCamelCase('#floodwarning', ctx))).toEqual(['hashtag_camel_case'])
    expect(rules(checkHashtagCamelCase('#stormwatch', ctx))).toEqual(['hashtag_camel_case'])
  })
})

describe('the time of the message', () => {
  it.each([
    'h16 Evita i sottopassi.',
    'Aggiornamento ore 16:30: evita i sottopassi.',
    'Comunicato delle 16.00. Resta in casa.',
    '16:00 - Avoid underpasses.',
    'Update 4pm: stay indoors.',
    'Update at 4:30 p.m. Stay indoors.',
  ])('passes with a time of the message: %s', (text) => {
    expect(checkTimePresent(text)).toEqual([])
  })
  it.each([
    'Evita i sottopassi.',
    'Allerta dalle 14:00 alle 23:59 di sabato. Evita i sottopassi.',
    'Allerta dalle ore 14 fino alle 18.',
    'Avoid underpasses from 2pm until 6pm.',
    'Stay indoors between 14:00 and 18:00.',
    'Info https://example.org/16:00',
  ])('warns without one (validity bounds do not count): %s', (text) => {
    expect(rules(checkTimePresent(text))).toEqual(['time_missing'])
  })
})

describe('the action first', () => {
  it.each([
    'Evita i sottopassi: allerta ARANCIONE per pioggia.',
    'Non scendere in cantine e garage. Allerta ROSSA.',
    'Sali ai piani alti. Allerta ROSSA su Empoli.',
    'Presta attenzione a fango e rami.',
    'Allontanati dai corsi d’acqua.',
    'Avoid underpasses: ORANGE alert for rain.',
    'Do not go down to cellars. RED alert.',
    'Move away from rivers.',
    'Pay attention to mud on the roads.',
  ])('passes when the first sentence says what to do: %s', (text) => {
    expect(checkActionFirst(text)).toEqual([])
  })
  it('warns naming the later sentence that does, in Italian and English', () => {
    expect(
      checkActionFirst('Allerta ARANCIONE per pioggia su Empoli. Evita i sottopassi.'),
    ).toEqual([{ rule: 'action_first', severity: 'warn', params: { sentence: 2 } }])
    expect(
      checkActionFirst('ORANGE alert for rain on Empoli. Avoid underpasses.')[0]?.params,
    ).toEqual({
      sentence: 2,
    })
  })
  it('warns with 0 when no sentence does', () => {
    expect(checkActionFirst('Allerta ARANCIONE per neve su Empoli.')[0]?.params).toEqual({
      sentence: 0,
    })
    expect(checkActionFirst('ORANGE snow alert for Empoli.')[0]?.params).toEqual({ sentence: 0 })
  })
  it('does not take a word inside another for a verb, nor a statement with "non" for an order', () => {
    // "usa" in "causa", "go" in "ago", "non è" is not "non + infinitive"
    expect(rules(checkActionFirst('Strade chiuse a causa della neve.'))).toEqual(['action_first'])
    expect(rules(checkActionFirst('Flooding began two hours ago.'))).toEqual(['action_first'])
    expect(rules(checkActionFirst('La strada non è percorribile.'))).toEqual(['action_first'])
  })
  it.each([
    'La porta della scuola è aperta.',
    'Una guida agli allerta è sul sito.',
    'The weather report is out.',
    'A state of emergency for Empoli.',
    'Your call matters to us.',
    'Heavy rain near the bus stop.',
  ])('takes a noun after an article, or an English noun mid-clause, for no order: %s', (text) => {
    expect(rules(checkActionFirst(`${text} Evita i sottopassi.`))).toEqual(['action_first'])
  })
  it.each([
    'Se ti metti in viaggio usa gomme invernali.',
    'State lontani dai fiumi.',
    'Call 112 if you are in danger.',
    'If water rises, go upstairs.',
    'Rain tonight: keep away from rivers.',
    'Stay home and check on neighbours.',
  ])('finds an order mid-sentence in Italian, at a clause’s start in English: %s', (text) => {
    expect(checkActionFirst(text)).toEqual([])
  })
})

describe('words, sentences and points', () => {
  const thirty = Array.from({ length: 30 }, (_, i) => `parola${i}`).join(' ')
  it('counts words without links and hashtags, sentences without a label before a link', () => {
    expect(words('Evita i sottopassi. Info: https://x.it/a #allertameteoTOS')).toHaveLength(4)
    expect(sentences('Evita i sottopassi. Resta in casa! Info: https://x.it/a')).toHaveLength(2)
    expect(sentences('Update 4 p.m. today: stay home. Call 112.')).toHaveLength(2)
    expect(sentences('Allerta ROSSA\nResta in casa.')).toHaveLength(2)
    expect(points('Cosa fare:\n- evita\n• resta\n1. chiama\n2) sali')).toHaveLength(4)
  })
  it('passes at the limits, Italian and English', () => {
    expect(checkLimits(`${thirty}.`)).toEqual([])
    expect(checkLimits('Evita i sottopassi. Resta in casa. Chiama il 112.')).toEqual([])
    expect(checkLimits('Avoid underpasses.\n- stay home\n- call 112\n- go upstairs')).toEqual([])
  })
  it('warns past them in English and Italian alike', () => {
    const en = 'Avoid underpasses and low roads and stay upstairs until the water goes down. '
    expect(rules(checkLimits(en.repeat(3)))).toEqual(['too_many_words'])
    expect(checkLimits('Avoid underpasses. Stay home. Go upstairs. Call 112.')[0]?.params).toEqual({
      count: 4,
      max: 3,
    })
    expect(checkLimits('Cosa fare:\n- evita\n- resta\n- sali\n- chiama')[0]).toMatchObject({
      rule: 'too_many_points',
      params: { count: 4, max: 3 },
    })
  })
  it('warns past them with the count and the limit', () => {
    expect(checkLimits(`${thirty} parola.`)).toEqual([
      { rule: 'too_many_words', severity: 'warn', params: { count: 31, max: POST_LIMITS.words } },
    ])
    expect(checkLimits('Evita i sottopassi. Resta in casa. Sali. Chiama il 112.')).toEqual([
      { rule: 'too_many_sentences', severity: 'warn', params: { count: 4, max: 3 } },
    ])
    expect(
      checkLimits('Avoid underpasses.\n- stay home\n- call 112\n- go upstairs\n- charge phones'),
    ).toEqual([{ rule: 'too_many_points', severity: 'warn', params: { count: 4, max: 3 } }])
  })
})

describe('capitals', () => {
  it('allows the level words, short acronyms and the drill marker', () => {
    expect(checkAllCaps('ESERCITAZIONE - Allerta ARANCIONE: SMS, ANAS, VVF, 112.', ctx)).toEqual([])
    expect(checkAllCaps('ALLERTA ROSSA su Empoli. ARPAT informa.', ctx)).toEqual([])
    expect(checkAllCaps('RED alert: call 112, follow ANAS updates.', ctx)).toEqual([])
  })
  it('warns on a long word in capitals and on capitalised runs, Italian and English', () => {
    expect(checkAllCaps('Allerta ARANCIONE: NON USCIRE di casa.', ctx)).toEqual([
      { rule: 'all_caps', severity: 'warn', params: { words: 'NON, USCIRE' } },
    ])
    expect(checkAllCaps('Resta a casa, è PERICOLOSO.', ctx)[0]?.params).toEqual({
      words: 'PERICOLOSO',
    })
    expect(checkAllCaps('ORANGE alert: DO NOT GO OUT.', ctx)[0]?.params).toEqual({
      words: 'DO, NOT, GO, OUT',
    })
    expect(checkAllCaps('STAY HOME.', ctx)[0]?.params).toEqual({ words: 'STAY, HOME' })
  })
  it('does not read capitals in links and hashtags', () => {
    expect(checkAllCaps('Info https://EXAMPLE.ORG/ALLERTE #AllertaMeteoTOS', ctx)).toEqual([])
  })
})

describe('the link to the ente’s page', () => {
  it('passes with the configured link or a deeper page of its site', () => {
    expect(checkLink('Info: https://www.empolese-valdelsa.it/allerta', ctx)).toEqual([])
    expect(checkLink('Updates: https://empolese-valdelsa.it/news/42.', ctx)).toEqual([])
    expect(checkLink('Aggiornamenti su www.empolese-valdelsa.it', ctx)).toEqual([])
  })
  it('warns, naming the configured link, without it or with another site', () => {
    expect(checkLink('Evita i sottopassi.', ctx)).toEqual([
      { rule: 'link_missing', severity: 'warn', params: { link: ctx.link } },
    ])
    expect(rules(checkLink('Updates: https://example.org/alert', ctx))).toEqual(['link_missing'])
  })
  it('with no page configured, any link does, and the finding names none', () => {
    const none = { ...ctx, link: '' }
    expect(checkLink('Info https://example.org', none)).toEqual([])
    expect(checkLink('Stay home.', none)[0]?.params).toEqual({ link: '' })
  })
})

describe('emoji-only lines', () => {
  it('passes emoji beside words', () => {
    expect(checkEmojiOnlyLines('⚠️ Allerta ARANCIONE\n🏫 Schools closed')).toEqual([])
  })
  it('warns on a line of emoji only, naming the line', () => {
    expect(checkEmojiOnlyLines('Evita i sottopassi.\n⚠️⚠️⚠️')).toEqual([
      { rule: 'emoji_only_line', severity: 'warn', params: { line: 2 } },
    ])
    expect(checkEmojiOnlyLines('🌧️ 🌊 👉\nAvoid underpasses.')[0]?.params).toEqual({ line: 1 })
    expect(checkEmojiOnlyLines('🇮🇹👍🏽')[0]?.params).toEqual({ line: 1 })
  })
})

describe('checkPost', () => {
  const good =
    'h16 Evita i sottopassi e resta ai piani alti: allerta ARANCIONE per pioggia su Empoli. Info: https://www.empolese-valdelsa.it/allerta #allertameteoTOS'
  const goodEn =
    '4pm Avoid underpasses and stay upstairs: ORANGE rain alert for Empoli. Updates: https://www.empolese-valdelsa.it/allerta #allertameteoTOS'

  it('finds nothing in a text that follows every rule, Italian and English, on every channel', () => {
    for (const channel of Object.keys(
      POST_RULES_BY_CHANNEL,
    ) as (keyof typeof POST_RULES_BY_CHANNEL)[]) {
      expect(checkPost(good, channel, ctx)).toEqual([])
      expect(checkPost(goodEn, channel, ctx)).toEqual([])
    }
  })

  it('applies each channel’s rules only', () => {
    const bad = 'Allerta ARANCIONE. NON USCIRE.\n⚠️⚠️'
    expect(rules(checkPost(bad, 'x', ctx))).toEqual([
      'hashtag_missing',
      'time_missing',
      'action_first',
      'all_caps',
      'link_missing',
      'emoji_only_line',
    ])
    expect(rules(checkPost(bad, 'sms', ctx))).not.toContain('hashtag_missing')
    expect(rules(checkPost(bad, 'email', ctx))).toEqual([
      'all_caps',
      'link_missing',
      'emoji_only_line',
    ])
    expect(rules(checkPost(bad, 'website', ctx))).toEqual(['all_caps', 'emoji_only_line'])
    expect(checkPost(bad, 'voice', ctx)).toEqual([])
    // The limits are for the SMS and the X text only.
    const long = `${good} ${'parola '.repeat(30)}`
    expect(rules(checkPost(long, 'sms', ctx))).toEqual(['too_many_words'])
    expect(rules(checkPost(long, 'x', ctx))).toEqual(['too_many_words'])
    expect(checkPost(long, 'facebook', ctx)).toEqual([])
  })

  it('every rule is in the table, and every finding a code with parameters, never a sentence', () => {
    const used = new Set(Object.values(POST_RULES_BY_CHANNEL).flat())
    expect([...used].sort()).toEqual([...POST_RULES].sort())
    for (const f of checkPost('Allerta.\n⚠️', 'x', ctx)) {
      expect(f.severity).toBe('warn')
      expect(POST_RULES).toContain(f.rule)
    }
  })

  it('reads the message after the drill marker, and an empty text has nothing to check', () => {
    expect(checkPost(`ESERCITAZIONE - ${good}`, 'x', ctx)).toEqual([])
    // The templates' marker is read as such whatever the ente's own is.
    expect(checkPost(`ESERCITAZIONE - ${good}`, 'x', { ...ctx, drillMarker: 'PROVA: ' })).toEqual(
      [],
    )
    expect(checkPost(`PROVA: ${good}`, 'x', { ...ctx, drillMarker: 'PROVA: ' })).toEqual([])
    expect(checkPost('  ', 'x', ctx)).toEqual([])
  })
})

describe('the shipped templates', () => {
  const file = resolve(__dirname, '../../resources/templates/default-templates.json')
  const templates = templateFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).templates
  const alert = {
    comuni: [{ name: 'Empoli' }, { name: 'Vinci' }],
    validFrom: '2026-12-03T14:00:00+01:00',
    validTo: '2026-12-04T08:30:00+01:00',
    headline: 'Strada chiusa a Vinci',
    description: 'La SP 13 è chiusa per un albero caduto.',
    instruction: 'Segui le deviazioni indicate sul posto.',
    mode: 'real' as const,
  }
  const extra = {
    ente: 'Protezione civile Empolese Valdelsa',
    link: ctx.link,
    numero_emergenza: '112',
    hashtag: ctx.hashtag,
  }
  const window = formatAlertWindow(alert.validFrom, alert.validTo)
  /**
   * An SMS must say its validity ("dalle 14:00 di giovedì 3 dicembre alle
   * 08:30 di venerdì 4 dicembre", eleven words): the thirty words are for the
   * rest of the message.
   */
  const withoutWindow = (text: string) =>
    text
      .replace(`dalle ${window.dalle}`, '')
      .replace(`Dalle ${window.dalle}`, '')
      .replace(`alle ${window.alle}`, '')

  it('keep their SMS and X texts within three sentences, three points and thirty words (the SMS’s validity aside), with no shouting', () => {
    const over: string[] = []
    for (const t of templates) {
      const { texts } = renderAlertTexts(t, alert, extra)
      for (const v of ['sms', 'x'] as const) {
        const hard = checkPost(v === 'sms' ? withoutWindow(texts.sms) : texts[v], v, {
          ...ctx,
          levelWord: levelWord(t.level),
        }).filter((f) =>
          [
            'too_many_words',
            'too_many_sentences',
            'too_many_points',
            'all_caps',
            'emoji_only_line',
          ].includes(f.rule),
        )
        over.push(...hard.map((f) => `${t.id} ${v}: ${f.rule} ${JSON.stringify(f.params)}`))
      }
    }
    expect(templates.length).toBeGreaterThan(30)
    expect(over).toEqual([])
  })

  it('give every social text the hashtag (but a generic notice’s) and every text the ente’s link', () => {
    const missing: string[] = []
    for (const t of templates) {
      const { texts } = renderAlertTexts(t, alert, extra)
      for (const v of ['sms', 'x', 'telegram', 'facebook', 'mastodon', 'bluesky'] as const)
        for (const f of checkPost(texts[v], v, { ...ctx, levelWord: levelWord(t.level) }))
          if (f.rule === 'hashtag_missing' || f.rule === 'link_missing')
            missing.push(`${t.id} ${v} ${f.rule}`)
    }
    // The generic notices' posts leave the hashtag out: a notice may be about
    // anything, and the ente's tag is a weather alert's.
    const unexpected = missing.filter((m) => !/generico \w+ hashtag_missing$/.test(m))
    expect(unexpected).toEqual([])
  })
})
