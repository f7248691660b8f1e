/**
 * How long a text is for each channel family, counted the way the provider
 * counts it, against the provider's limit. One function for the composer's
 * live counter and for the sender's last check, so they can never disagree.
 */

// The ESM build of twitter-text only has a default export (the CJS one has both):
// a default import is the form that works in Node, in vitest and in the renderer bundle.
import twitterText from 'twitter-text'
import type { ChannelFamily } from '../channels/kinds'
import { countGraphemes } from './graphemes'
import { countSmsSegments, type SmsSegmentInfo } from './sms-segments'

/**
 * What `length` and `limit` are measured in:
 * - `segments`: SMS parts (see `sms` for septets/units);
 * - `weighted`: X's weighted length (most scripts 1, CJK and emoji 2, any URL 23);
 * - `utf16`: UTF-16 code units (Telegram);
 * - `characters`: Unicode code points;
 * - `graphemes`: user-perceived characters (Bluesky; Mastodon after URL shortening).
 */
export type CountUnit = 'segments' | 'weighted' | 'utf16' | 'characters' | 'graphemes'

export interface TextCount {
  family: ChannelFamily
  length: number
  /** The most the channel takes, or null when it sets no practical limit (e-mail, website). */
  limit: number | null
  over: boolean
  unit: CountUnit
  /** Encoding, parts and offending characters; present for the SMS family only. */
  sms?: SmsSegmentInfo
}

export interface CountOptions {
  /** Most SMS parts a message may take; defaults to {@link SMS_MAX_SEGMENTS}. */
  smsMaxSegments?: number
}

/**
 * Twilio refuses bodies over 1600 characters and advises at most 10 parts;
 * Italian gateways are similar. A channel account may lower it (cost).
 */
export const SMS_MAX_SEGMENTS = 10

/** Provider limits, in the unit each one counts in. */
export const CHANNEL_TEXT_LIMITS = {
  x: 280,
  telegram: 4096,
  mastodon: 500,
  bluesky: 300,
  facebook: 63206,
  // The body of a WhatsApp message template, variables filled in.
  whatsapp: 1024,
} as const

/** Length any http(s) link counts for on X and Mastodon, whatever its real length. */
export const SHORT_URL_LENGTH = 23

/** Mastodon counts a remote mention `@user@domain` as `@user`. */
const REMOTE_MENTION =
  /(^|[^/\p{L}\p{N}_])@([a-z0-9_]+(?:[a-z0-9_.-]*[a-z0-9_])?)@[\p{L}\p{N}_.-]*[\p{L}\p{N}_]/giu

/**
 * Mastodon's server-side rule (StatusLengthValidator): links with a scheme count
 * 23, remote mentions count only their local part, the rest in grapheme clusters.
 */
function mastodonLength(text: string): number {
  let countable = text
  const urls = twitterText.extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: false })
  for (const { indices } of [...urls].reverse()) {
    countable =
      countable.slice(0, indices[0]) + 'x'.repeat(SHORT_URL_LENGTH) + countable.slice(indices[1])
  }
  countable = countable.replace(REMOTE_MENTION, '$1@$2')
  return countGraphemes(countable)
}

const result = (
  family: ChannelFamily,
  length: number,
  limit: number | null,
  unit: CountUnit,
): TextCount => ({ family, length, limit, over: limit !== null && length > limit, unit })

/**
 * Counts `text` for a channel family.
 * - sms: parts (GSM-7 160/153, UCS-2 70/67), limit {@link SMS_MAX_SEGMENTS} unless given;
 * - x: weighted length by twitter-text's v3 rules, 280;
 * - telegram: UTF-16 units, 4096;
 * - mastodon: graphemes with links as 23, 500;
 * - bluesky: graphemes, 300;
 * - facebook: code points, 63206;
 * - whatsapp: code points, 1024 (a template's body);
 * - email, website, voice: code points, no limit.
 */
export function countFor(
  family: ChannelFamily,
  text: string,
  options: CountOptions = {},
): TextCount {
  switch (family) {
    case 'sms': {
      const sms = countSmsSegments(text)
      return {
        ...result(family, sms.segments, options.smsMaxSegments ?? SMS_MAX_SEGMENTS, 'segments'),
        sms,
      }
    }
    case 'x':
      return result(
        family,
        twitterText.parseTweet(text).weightedLength,
        CHANNEL_TEXT_LIMITS.x,
        'weighted',
      )
    case 'telegram':
      return result(family, text.length, CHANNEL_TEXT_LIMITS.telegram, 'utf16')
    case 'mastodon':
      return result(family, mastodonLength(text), CHANNEL_TEXT_LIMITS.mastodon, 'graphemes')
    case 'bluesky':
      return result(family, countGraphemes(text), CHANNEL_TEXT_LIMITS.bluesky, 'graphemes')
    case 'facebook':
      return result(family, [...text].length, CHANNEL_TEXT_LIMITS.facebook, 'characters')
    case 'whatsapp':
      return result(family, [...text].length, CHANNEL_TEXT_LIMITS.whatsapp, 'characters')
    // A spoken text is bounded by its duration (shared/text/spoken-it.ts), not by characters;
    // YouTube carries replies to comments only (10,000 characters, the adapter's limit).
    case 'voice':
    case 'email':
    case 'website':
    case 'youtube':
      return result(family, [...text].length, null, 'characters')
  }
}
