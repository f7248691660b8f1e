/**
 * The grammar of an emergency post: checks the composer shows under each
 * channel's text, from the practice of the Italian SMEM (social media in
 * emergency management) community and common emergency-communication
 * guidance. Every check only warns, never blocks a send, and returns a code
 * with parameters: the renderer words it (i18n domain `postChecks`).
 *
 * These are heuristics over plain text, in Italian and English: they catch the
 * usual slips (no hashtag, no time, the what before the what-to-do, shouting)
 * and will sometimes be wrong. The operator decides; the panel only reminds.
 */

import type { ChannelFamily } from '../channels/kinds'
import { DRILL_MARKER } from '../templates/variables'

export const POST_RULES = [
  'hashtag_missing',
  'hashtag_camel_case',
  'time_missing',
  'action_first',
  'too_many_words',
  'too_many_sentences',
  'too_many_points',
  'all_caps',
  'link_missing',
  'emoji_only_line',
] as const
export type PostRule = (typeof POST_RULES)[number]

/** One thing to fix, as a code with its parameters; always a warning. */
export interface PostFinding {
  rule: PostRule
  severity: 'warn'
  params: Record<string, string | number>
}

/** What the checks need besides the text: the ente's settings and the alert's level. */
export interface PostContext {
  /** Configurazione → Ente → hashtag: one or more, space-separated; empty for none. */
  hashtag: string
  /** Configurazione → Ente → link, the ente's page; empty when not set. */
  link: string
  /** The level word as `{{livello}}` renders it (`ARANCIONE`): allowed in capitals. */
  levelWord?: string
  /** Configurazione → Ente → drill marker (`ESERCITAZIONE - `): not part of the message. */
  drillMarker?: string
}

/** Most words, sentences and points a short text (SMS, X) should hold: "3 punti, 3 frasi, 30 parole". */
export const POST_LIMITS = { words: 30, sentences: 3, points: 3 } as const

/** Every rule but those named, in the order of POST_RULES. */
const allBut = (...left: PostRule[]): readonly PostRule[] =>
  POST_RULES.filter((r) => !left.includes(r))
const LENGTH_RULES: PostRule[] = ['too_many_words', 'too_many_sentences', 'too_many_points']

/**
 * Which rules apply on which channel family: the one place that says it.
 *
 * - The hashtag is asked of the social channels, where people search by it.
 * - The time of the message ("h16") is asked where a text travels on without
 *   its date (forwarded, reshared): not of e-mail (it has its Date) nor of the
 *   website (the page is dated).
 * - The action first is asked of the short channels people read at a glance,
 *   not of e-mail or the website, which open with a headline.
 * - The word, sentence and point limits are for the SMS and the X text only.
 * - The link to the ente's page is asked wherever a link can be followed:
 *   not of the website, which is that page, nor of a call.
 * - A call's text is heard, not read: its own preview (spoken form,
 *   duration) covers it, and none of these rules applies.
 */

export const POST_RULES_BY_CHANNEL: Record<ChannelFamily, readonly PostRule[]> = {
  // The SMS asks the camel-case check last: its findings keep that order.
  sms: [...allBut('hashtag_missing', 'hashtag_camel_case'), 'hashtag_camel_case'],
  x: POST_RULES,
  telegram: allBut(...LENGTH_RULES),
  facebook: allBut(...LENGTH_RULES),
  mastodon: allBut(...LENGTH_RULES),
  bluesky: allBut(...LENGTH_RULES),
  whatsapp: allBut('hashtag_missing', ...LENGTH_RULES),
  email: allBut('hashtag_missing', 'time_missing', 'action_first', ...LENGTH_RULES),
  website: allBut(
    'hashtag_missing',
    'time_missing',
    'action_first',
    ...LENGTH_RULES,
    'link_missing',
  ),
  voice: [],
  // No post goes to YouTube (replies to comments only): nothing to check.
  youtube: [],
}

// ---------------------------------------------------------------------------
// Pieces of text

const URL_RE = /(?<![\p{L}\p{N}_])(?:https?:\/\/|www\.)[^\s<>"'«»]+/giu
const HASHTAG_RE = /(?<![\p{L}\p{N}_&#])#[\p{L}\p{N}_]+/gu
const MENTION_RE = /(?<![\p{L}\p{N}_.])@[\p{L}\p{N}_.]+/gu
const PICTOGRAPH_RE = /\p{Extended_Pictographic}/u
/** A bullet at the start of a line: "- ", "• ", "1. ", "2) ". */
const BULLET_RE = /^\s*(?:[-*•–·▪►✓✔]|\d{1,2}[.)])\s+/u
/** Abbreviations whose dot does not end a sentence. */
const ABBREVIATION_RE =
  /(?<![\p{L}])(?:[ap]\.m|e\.g|i\.e|ecc|etc|es|tel|nr|n|no|ca|dott|sig|st|dr|mr|mrs|vs|fig)\./giu

/** A lone word and a colon: what is left of "Info: https://…" without its link. */
const LABEL_RE = /^\p{L}+:$/u

const isWordToken = (t: string): boolean => /[\p{L}\p{N}]/u.test(t)
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The text without the drill marker it starts with, if any: the one templates
 * write (`{{esercitazione}}`) or the ente's own, which the drill puts on sends.
 */
function withoutDrillMarker(text: string, marker: string | undefined): string {
  for (const m of [marker?.trim(), DRILL_MARKER.trim()]) {
    if (!m) continue
    const stripped = text.replace(new RegExp(`^\\s*${escapeRe(m)}\\s*`, 'iu'), '')
    if (stripped !== text) return stripped
  }
  return text
}

/** The text as prose: no links, hashtags or mentions (they are not words a person reads). */
function prose(text: string): string {
  return text.replace(URL_RE, ' ').replace(HASHTAG_RE, ' ').replace(MENTION_RE, ' ')
}

/** Words as a reader counts them: tokens with a letter or a figure, links and tags left out. */
export function words(text: string): string[] {
  return prose(text).split(/\s+/u).filter(isWordToken)
}

/** Lines that are bullet points. */
export function points(text: string): string[] {
  return text.split('\n').filter((l) => BULLET_RE.test(l))
}

/**
 * Sentences outside bullet points: split at . ! ? … followed by a space or the
 * end, and at line breaks (a headline line is a sentence of its own). A piece
 * with no word (an emoji, a lone link) is not a sentence, nor a label before a
 * link ("Info: https://…" leaves "Info:").
 */
export function sentences(text: string): string[] {
  const body = text
    .split('\n')
    .filter((l) => !BULLET_RE.test(l))
    .join('\n')
  return prose(body)
    .replace(ABBREVIATION_RE, (a) => a.slice(0, -1))
    .split(/[.!?…]+(?=\s|$)|\n+/u)
    .map((s) => s.trim())
    .filter((s) => s.split(/\s+/u).some(isWordToken) && !LABEL_RE.test(s))
}

// ---------------------------------------------------------------------------
// One function per rule: each returns its findings, empty when the text passes.

const finding = (rule: PostRule, params: PostFinding['params'] = {}): PostFinding => ({
  rule,
  severity: 'warn',
  params,
})

const hashtagsIn = (text: string): string[] => text.match(HASHTAG_RE) ?? []
const configuredHashtags = (context: PostContext): string[] =>
  context.hashtag.split(/\s+/u).filter((h) => h.startsWith('#') && h.length > 1)

/** Every configured hashtag is in the text (case aside: the CamelCase rule sees to that). */
export function checkHashtagPresent(text: string, context: PostContext): PostFinding[] {
  const present = new Set(hashtagsIn(text).map((h) => h.toLowerCase()))
  const missing = configuredHashtags(context).filter((h) => !present.has(h.toLowerCase()))
  return missing.length ? [finding('hashtag_missing', { hashtag: missing.join(' ') })] : []
}

/**
 * Pieces a hashtag is often glued from. A lowercase tag that holds one of them
 * and at least three more letters is taken for several words run together.
 */
const HASHTAG_PIECES = (
  'allerta allarme meteo protezione civile neve pioggia vento alluvione frana terremoto ' +
  'incendio emergenza toscana firenze empoli alert weather flood storm snow rain wind fire ' +
  'warning emergency'
).split(' ')

/**
 * Hashtags of several words are written CamelCase (#AllertaMeteoTOS), so a
 * screen reader says the words instead of spelling a blur. We cannot know a
 * tag's words, so a tag with no capital warns when it is the ente's own tag
 * written in lowercase, holds a known piece with more after it, or is long
 * (12 letters or more). A short single word (#neve, #Empoli) passes.
 */
export function checkHashtagCamelCase(text: string, context: PostContext): PostFinding[] {
  const configured = configuredHashtags(context)
  const seen = new Set<string>()
  const out: PostFinding[] = []
  for (const tag of hashtagsIn(text)) {
    const body = tag.slice(1)
    if (seen.has(tag) || /\p{Lu}/u.test(body) || !/\p{Ll}/u.test(body)) continue
    seen.add(tag)
    const own = configured.find((c) => c.toLowerCase() === tag.toLowerCase() && c !== tag)
    const letters = body.replace(/[^\p{L}]/gu, '').length
    const glued = HASHTAG_PIECES.some((p) => body.includes(p) && body.length >= p.length + 3)
    if (own || glued || letters >= 12)
      out.push(
        finding('hashtag_camel_case', own ? { hashtag: tag, suggestion: own } : { hashtag: tag }),
      )
  }
  return out
}

/**
 * A time of day as written in posts: SMEM's "h16", "h16:30"; "ore 16",
 * "16:00", "16.30"; English "4pm", "4:30 p.m.".
 */
const TIME_RE =
  /(?<![\p{L}\p{N}])(?:h\s?(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?|ore\s+(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?|(?:[01]?\d|2[0-3])[:.][0-5]\d|(?:0?[1-9]|1[0-2])(?:[:.][0-5]\d)?\s?(?:[ap]\.?m\.?))(?![\p{L}\p{N}])/giu
/**
 * Words that make the time after them a bound of validity ("dalle 14:00",
 * "until 4pm"), not the time of the message.
 */
const RANGE_WORDS = new Set(
  (
    'dalle dal alle al fino sino entro tra fra e ed le dopo prima oltre verso from until till ' +
    'to by between and through after before'
  ).split(' '),
)

/**
 * The text says when it was written, so a post reshared hours later is not
 * taken for news: a time of day ("h16", "ore 16:00", "4pm") that is not a
 * bound of the validity ("dalle 14:00", "until 6pm"). A heuristic: it reads
 * the one word before the time.
 */
export function checkTimePresent(text: string): PostFinding[] {
  const source = prose(text)
  for (const m of source.matchAll(TIME_RE)) {
    // The few characters before the time are enough for one word (and keep this linear).
    const before = source
      .slice(Math.max(0, m.index - 40), m.index)
      .match(/(\p{L}+)[\s'’]*$/u)?.[1]
      ?.toLowerCase()
    if (!before || !RANGE_WORDS.has(before)) return []
  }
  return [finding('time_missing')]
}

/**
 * Instruction verbs of civil protection, Italian (the imperative, "tu" and
 * "voi", and the infinitive of notices) and English. A list, not a grammar:
 * an instruction in other words is missed, and a word spelt like one of these
 * verbs may pass for it (Italian "la strada resta chiusa" says "resta" as the
 * imperative does). Two guards keep the commonest nouns out: no verb
 * right after an article or determiner ("la porta", "the report"), and the
 * English words that are nouns as often as verbs count only where a clause
 * starts ("Call 112", "if water rises, go upstairs"), not in "a weather report".
 */
const ITALIAN_ACTIONS =
  'evita evitate evitare resta restate restare rimani rimanete rimanere sali salite salire ' +
  'allontanati allontanatevi allontanarsi segui seguite seguire chiama chiamate chiamare ' +
  'limita limitate limitare stai tieniti tenetevi tieni tenete informati informatevi ' +
  'guida guidate usa usate utilizza utilizzate porta portate sposta spostate metti mettete ' +
  'mettiti mettetevi fissa fissate ritira ritirate togli togliete aiuta aiutate segnala ' +
  'segnalate chiudi chiudete spegni spegnete stacca staccate esci uscite raggiungi ' +
  'raggiungete vai andate lascia lasciate controlla controllate verifica verificate ascolta ' +
  'ascoltate prepara preparate rientra rientrate evacua evacuate abbandona abbandonate ' +
  'proteggiti proteggetevi ripararti riparati riparatevi consulta consultate mantieni ' +
  'mantenete ricarica ricaricate'
/** English verbs seldom used as nouns: an instruction wherever they stand. */
const ENGLISH_ACTIONS =
  'avoid stay remain follow evacuate listen seek bring unplug prepare climb never'
/** English verbs that are nouns as often: an instruction only where a clause starts. */
const ENGLISH_AMBIGUOUS =
  'go move call limit keep take leave check use drive get shelter turn stop charge help ' +
  'report close switch secure head'
const words_ = (list: string) => list.split(' ').join('|')
/** Articles and determiners: the word after one is a noun ("la porta", "the report"). */
const NOT_AFTER_DETERMINER =
  "(?<!(?:^|[^\\p{L}])(?:il|lo|la|i|gli|le|un|uno|una|del|dello|della|dei|degli|delle|al|allo|alla|ai|agli|alle|nel|nello|nella|nei|nelle|sul|sullo|sulla|sui|sulle|dal|dallo|dalla|dai|dalle|the|a|an|your|our|this|that|their|its)\\s+)(?<![lL]['’])"
/** Where an English clause starts: the text's start, a punctuation mark, a conjunction. */
const CLAUSE_START =
  '(?<=^\\s*|[,:;.!?–—(-]\\s*|(?:^|[^\\p{L}])(?:and|or|then|please|now|immediately|always)\\s+)'
const ACTION_RE = new RegExp(
  [
    `${NOT_AFTER_DETERMINER}(?<!\\p{L})(?:${words_(`${ITALIAN_ACTIONS} ${ENGLISH_ACTIONS}`)})(?!\\p{L})`,
    `${CLAUSE_START}(?:${words_(ENGLISH_AMBIGUOUS)})(?!\\p{L})`,
    // "state lontani", "presta attenzione", "fai attenzione", "attenzione a…", "pay attention", "watch out", "be careful"
    `(?<!\\p{L})(?:state\\s+(?:lontani|attenti|in)|(?:presta|prestate|fai|fate)\\s+attenzione|attenzione\\s+(?:a|ai|agli|al|allo|alla|alle)|pay\\s+attention|watch\\s+out|be\\s+careful)(?!\\p{L})`,
    // "non uscire", "non avvicinarti": non + an infinitive, bare or with its pronoun
    `(?<!\\p{L})non\\s+\\p{L}*(?:[aei]re|rre|[aei]r(?:ti|vi|si|ci|lo|la|li|le|ne))(?!\\p{L})`,
    // "do not", "don't"
    `(?<!\\p{L})(?:do\\s+not|don[’']t)(?!\\p{L})`,
  ].join('|'),
  'iu',
)

/** True when the sentence holds an instruction verb (heuristic: ACTION_WORDS). */
export function hasAction(sentence: string): boolean {
  return ACTION_RE.test(sentence)
}

/**
 * The first sentence says what to do ("Evita i sottopassi…"). When a later
 * sentence does, `sentence` is its number (to bring it forward); 0 when none does.
 */
export function checkActionFirst(text: string): PostFinding[] {
  const all = sentences(text)
  if (all.length === 0 || hasAction(all[0]!)) return []
  const at = all.findIndex(hasAction)
  return [finding('action_first', { sentence: at + 1 })]
}

/** The short-channel limits: words, sentences, points (SMS and X). */
export function checkLimits(text: string): PostFinding[] {
  const out: PostFinding[] = []
  const counts = {
    too_many_words: [words(text).length, POST_LIMITS.words],
    too_many_sentences: [sentences(text).length, POST_LIMITS.sentences],
    too_many_points: [points(text).length, POST_LIMITS.points],
  } as const
  for (const [rule, [count, max]] of Object.entries(counts) as [
    PostRule,
    readonly [number, number],
  ][])
    if (count > max) out.push(finding(rule, { count, max }))
  return out
}

/** Level words in capitals, Italian and English, and the word for an alert itself. */
const LEVEL_WORDS = new Set(
  'VERDE GIALLO GIALLA ARANCIONE ROSSO ROSSA GREEN YELLOW AMBER ORANGE RED ALLERTA ALERT'.split(
    ' ',
  ),
)
/** Acronyms of five letters or more that civil protection texts name. */
const LONG_ACRONYMS = new Set(['ARPAT', 'ANPAS', 'CNSAS', 'ISPRA', 'SNPA'])

/**
 * No shouting beyond the level word: a word in capitals of five letters or
 * more (USCIRE), or two or more capitalised words with only spaces between
 * (NON USCIRE, DO NOT GO). Two to four capitals alone, or in a list with
 * commas, are taken for acronyms (SMS, ANAS, VVF);
 * the level words (ARANCIONE, RED, ALLERTA…) and the drill marker's are allowed.
 */
export function checkAllCaps(text: string, context: PostContext): PostFinding[] {
  const allowed = new Set(LEVEL_WORDS)
  const own = `${context.levelWord ?? ''} ${context.drillMarker ?? ''} ${DRILL_MARKER}`
  for (const w of own.match(/\p{L}+/gu) ?? []) allowed.add(w.toUpperCase())
  const source = prose(text)
  const tokens = [...source.matchAll(/\p{L}+(?:['’]\p{L}+)*/gu)].map((m) => ({
    word: m[0],
    start: m.index,
    end: m.index + m[0].length,
    caps: m[0].length >= 2 && m[0] === m[0].toUpperCase() && m[0] !== m[0].toLowerCase(),
  }))
  const flagged = new Set<string>()
  tokens.forEach((tok, i) => {
    if (!tok.caps || allowed.has(tok.word) || LONG_ACRONYMS.has(tok.word)) return
    const next = tokens[i + 1]
    const prev = tokens[i - 1]
    const joined = (a?: typeof tok, b?: typeof tok) =>
      !!a && !!b && a.caps && b.caps && /^\s+$/u.test(source.slice(a.end, b.start))
    if (tok.word.length >= 5 || joined(prev, tok) || joined(tok, next)) flagged.add(tok.word)
  })
  return flagged.size ? [finding('all_caps', { words: [...flagged].slice(0, 5).join(', ') })] : []
}

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(/^https?:/i.test(url) ? url : `https://${url}`).hostname
      .toLowerCase()
      .replace(/^www\./, '')
  } catch {
    // Not a URL (a fragment "www." alone): it names no host, nothing else to learn.
    return undefined
  }
}

/**
 * A link to the ente's page: one on the configured page's site (a deeper page
 * of it is fine). With no page configured, any link does, and the finding says
 * there is none to suggest (`link` empty).
 */
export function checkLink(text: string, context: PostContext): PostFinding[] {
  const links = (text.match(URL_RE) ?? []).map((u) => u.replace(/[.,;:!?)»]+$/u, ''))
  const want = context.link.trim() ? hostOf(context.link.trim()) : undefined
  const ok = want ? links.some((u) => hostOf(u) === want) : links.length > 0
  return ok ? [] : [finding('link_missing', { link: context.link.trim() })]
}

/**
 * No line made of emoji only: a screen reader reads out their names
 * ("segnale di avvertimento, segnale di avvertimento") and says nothing.
 */
export function checkEmojiOnlyLines(text: string): PostFinding[] {
  const out: PostFinding[] = []
  text.split('\n').forEach((line, i) => {
    if (!PICTOGRAPH_RE.test(line)) return
    const rest = line
      .replace(
        /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u200d|\ufe0e|\ufe0f|\u20e3/gu,
        '',
      )
      .replace(/[\s\p{P}\p{S}]/gu, '')
    if (rest === '') out.push(finding('emoji_only_line', { line: i + 1 }))
  })
  return out
}

// ---------------------------------------------------------------------------

const RUN: Record<PostRule, (text: string, context: PostContext) => PostFinding[]> = {
  hashtag_missing: checkHashtagPresent,
  hashtag_camel_case: checkHashtagCamelCase,
  time_missing: (text) => checkTimePresent(text),
  action_first: (text) => checkActionFirst(text),
  too_many_words: (text) => checkLimits(text).filter((f) => f.rule === 'too_many_words'),
  too_many_sentences: (text) => checkLimits(text).filter((f) => f.rule === 'too_many_sentences'),
  too_many_points: (text) => checkLimits(text).filter((f) => f.rule === 'too_many_points'),
  all_caps: checkAllCaps,
  link_missing: checkLink,
  emoji_only_line: (text) => checkEmojiOnlyLines(text),
}

/**
 * The findings for one channel's text, in the order of POST_RULES_BY_CHANNEL.
 * An empty text (the channel is not used) has none. The drill marker at the
 * start is not part of the message and is left out first.
 */
export function checkPost(
  text: string,
  channel: ChannelFamily,
  context: PostContext,
): PostFinding[] {
  const body = withoutDrillMarker(text, context.drillMarker)
  if (body.trim() === '') return []
  return POST_RULES_BY_CHANNEL[channel].flatMap((rule) => RUN[rule](body, context))
}
