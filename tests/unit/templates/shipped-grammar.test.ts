import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderAlertTexts } from '../../../src/main/core/alerts/template-texts'
import { levelWord } from '../../../src/shared/templates/alert-kinds'
import { templateRole } from '../../../src/shared/templates/follow-up'
import {
  VARIANT_FAMILY,
  templateFileSchema,
  type Template,
  type TemplateVariant,
} from '../../../src/shared/templates/template-schema'
import { checkPost, type PostContext, type PostRule } from '../../../src/shared/text/post-checks'

/**
 * The grammar of an emergency post (shared/text/post-checks.ts), held by every
 * shipped template as the composer fills it, in real operations and in a drill:
 * the rules the templates can keep whatever the alert says. The word limits
 * are proved in tests/unit/post-checks.test.ts; the time of the message is not
 * asked of the templates (no variable can say it honestly: see the templates'
 * description).
 */

const file = resolve(__dirname, '../../../resources/templates/default-templates.json')
const templates = templateFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).templates

const ctx: PostContext = {
  hashtag: '#allertameteoTOS',
  link: 'https://www.empolese-valdelsa.it/allerta',
  drillMarker: 'ESERCITAZIONE - ',
}
const extra = {
  ente: 'Protezione civile Empolese Valdelsa',
  link: ctx.link,
  numero_emergenza: '112',
  hashtag: ctx.hashtag,
}
const alertFor = (mode: 'real' | 'drill') => ({
  comuni: [{ name: 'Empoli' }, { name: 'Vinci' }, { name: 'Capraia e Limite' }],
  validFrom: '2026-12-03T14:00:00+01:00',
  validTo: '2026-12-04T08:30:00+01:00',
  headline: 'Strada chiusa a Vinci',
  description: 'La SP 13 è chiusa per un albero caduto.',
  instruction: 'Segui le deviazioni indicate sul posto.',
  mode,
})

const SOCIAL = ['x', 'telegram', 'facebook', 'mastodon', 'bluesky'] as const
/** Every variant a link can be followed from: not the website (it is the page), not a call. */
const WITH_LINKS = ['sms', ...SOCIAL, 'email_body'] as const
/** The texts read at a glance, where the instruction comes first. */
const AT_A_GLANCE = ['sms', ...SOCIAL] as const

/**
 * Templates whose first words are rightly not an instruction: an all-clear
 * says first that the alert is over; a school closure is itself the news; a
 * generic notice opens with the operator's own title (its instructions follow
 * at once, and the composer's panel reminds the operator when the title is
 * not one).
 */
const notActionFirst = (t: Template) =>
  templateRole(t) === 'cancel' || t.kind === 'scuole_chiuse' || t.kind === 'generico'

/** The findings of `rule` on the given variants of every shipped template, as "id variant". */
function findings(
  rule: PostRule,
  variants: readonly TemplateVariant[],
  which: (t: Template) => boolean = () => true,
): string[] {
  const out: string[] = []
  for (const mode of ['real', 'drill'] as const)
    for (const t of templates.filter(which)) {
      const { texts, preview } = renderAlertTexts(t, alertFor(mode), extra)
      expect(preview.issues, t.id).toEqual([])
      for (const v of variants) {
        expect(texts[v], `${t.id} ${v}`).not.toBe('')
        const found = checkPost(texts[v], VARIANT_FAMILY[v], {
          ...ctx,
          levelWord: levelWord(t.level),
        })
        if (found.some((f) => f.rule === rule)) out.push(`${mode} ${t.id} ${v}`)
      }
    }
  return out
}

describe('the shipped templates’ grammar', () => {
  it('cover every kind of template the checks speak of', () => {
    expect(templates.length).toBeGreaterThanOrEqual(37)
    const roles = new Set(templates.map((t) => templateRole(t)))
    expect(roles).toEqual(new Set(['alert', 'update', 'cancel']))
    // The ones held to the instruction first are most of them, of every weather kind.
    expect(templates.filter((t) => !notActionFirst(t)).length).toBeGreaterThanOrEqual(23)
  })

  it('put the ente’s hashtag in every social text but a generic notice’s', () => {
    // A notice may be about anything (a road closed), and the ente's tag is a
    // weather alert's (#allertameteoTOS): the operator adds it when it fits.
    expect(findings('hashtag_missing', SOCIAL, (t) => t.kind !== 'generico')).toEqual([])
    expect(findings('hashtag_missing', SOCIAL, (t) => t.kind === 'generico')).toHaveLength(
      2 * 3 * SOCIAL.length,
    )
  })

  it('give the ente’s page in every text a link can be followed from, the all-clears’ too', () => {
    expect(findings('link_missing', WITH_LINKS)).toEqual([])
  })

  it('open every SMS and social text of an alert or an update with what to do', () => {
    expect(findings('action_first', AT_A_GLANCE, (t) => !notActionFirst(t))).toEqual([])
  })

  it('keep the level, the comuni and (but on X and Bluesky) the validity in the texts that now open with the instruction', () => {
    for (const t of templates.filter((x) => !notActionFirst(x))) {
      const { texts } = renderAlertTexts(t, alertFor('real'), extra)
      for (const v of AT_A_GLANCE) {
        const text = texts[v]
        expect(text, `${t.id} ${v}`).toContain(levelWord(t.level))
        expect(text, `${t.id} ${v}`).toContain('Empoli, Vinci e Capraia e Limite')
        if (v !== 'x' && v !== 'bluesky')
          expect(text, `${t.id} ${v}`).toMatch(/dalle 14:00 di giovedì 3 dicembre/i)
      }
    }
  })

  it('write no emoji-only line and no shouting beyond the level word', () => {
    expect(findings('emoji_only_line', [...WITH_LINKS, 'website'])).toEqual([])
    expect(findings('all_caps', [...WITH_LINKS, 'website'])).toEqual([])
  })
})
