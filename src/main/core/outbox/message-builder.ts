import { CHANNEL_KIND_DESCRIPTORS, type ChannelFamily } from '../../../shared/channels/kinds'
import type { AlertsRepository } from '../alerts/alerts-repository'
import { channelText } from '../alerts/channel-texts'
import type { Alert } from '../alerts/types'
import type { AlertDocument, MapImage, OutgoingMessage } from '../channels/adapter'
import type { ChannelAccountsRepository } from '../channels/accounts-repository'
import { alertDocument } from './alert-document'
import type { OutboxRepository } from './outbox-repository'
import type { ClaimedRow } from './types'

export { alertDocument } from './alert-document'

/** Thrown when a row cannot become a message (its alert or account is gone). */
export class MessageBuildError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'MessageBuildError'
  }
}

/**
 * The families whose posts carry the alert map card (their adapters upload it
 * with its alt text, and post the text alone with a warning when they cannot);
 * the website publishes it beside the CAP file.
 */
export const MAP_CARD_FAMILIES: ReadonlySet<ChannelFamily> = new Set([
  'mastodon',
  'telegram',
  'bluesky',
  'x',
  'facebook',
  'website',
])

/** Cards kept in memory (about 150 kB each): the alerts sending now and the latest few. */
const MAX_CARDS_KEPT = 16

/** Draws an alert version's map card (off the main loop: see maps/alert-card.ts). */
export type MapImageSource = (alert: Alert, document: AlertDocument) => Promise<MapImage>

/** CAP sender when the account does not name one (only the website publishes CAP). */
const DEFAULT_CAP_SENDER = 'vedetta'

interface Prepared {
  alert: Alert
  /** The versions before this one, oldest first. */
  chain: Alert[]
  family: ChannelFamily
  text: string
  subject?: string
  document: AlertDocument
  /** A call plays the operator's recording from here instead of speaking the text. */
  audioUrl?: string
  /** The account's posts carry the map card (a post family, not switched off in its settings). */
  mapCard: boolean
}

/** The text a reply or relay row carries itself, checked again as it is read back. */
function ownText(row: ClaimedRow): { text: string; subject?: string } {
  if (typeof row.text !== 'string' || row.text.trim() === '')
    throw new MessageBuildError('text_missing', `Il messaggio ${row.id} non ha testo da inviare`)
  return {
    text: row.text,
    ...(typeof row.subject === 'string' && row.subject !== '' ? { subject: row.subject } : {}),
  }
}

function destinationOf(row: ClaimedRow): OutgoingMessage['destination'] {
  return row.destinationType === 'page'
    ? { type: 'page' }
    : {
        type: 'person',
        address: row.address,
        ...(row.recipientName ? { name: row.recipientName } : {}),
      }
}

/**
 * Turns claimed rows into adapter messages. An alert's texts are frozen once it
 * is confirmed, so what is read once per (alert, account) is kept. Replies and
 * relay requests carry their own text; a reply answers its `inReplyTo`.
 */
export function createMessageBuilder(deps: {
  alerts: AlertsRepository
  accounts: ChannelAccountsRepository
  outbox: OutboxRepository
  /** Where map cards come from; none: posts go without (tests of other things, the CLI). */
  mapImage?: MapImageSource
}) {
  const prepared = new Map<string, Prepared>()
  /** One card per alert version, drawn once whichever account asks first (failures too). */
  const images = new Map<number, Promise<MapImage>>()

  /**
   * The post a follow-up on a page replies to, so readers see one thread: on X
   * the first version's post (the one people shared), elsewhere the latest
   * version posted on this account (Bluesky finds the thread's root from it).
   * A version that was not posted here is skipped. Not on Facebook, where a
   * reply is a comment folded under the post: the update gets its own post.
   */
  function threadParent(p: Prepared, accountId: number): string | undefined {
    if (p.family === 'facebook' || p.chain.length === 0) return undefined
    const posted = p.chain
      .map((a) => deps.outbox.pagePostId(a.id, accountId))
      .filter((id): id is string => id !== undefined && id !== '')
    return p.family === 'x' ? posted[0] : posted.at(-1)
  }

  function prepare(alertId: number, accountId: number): Prepared {
    const key = `${alertId}:${accountId}`
    const cached = prepared.get(key)
    if (cached) return cached
    const alert = deps.alerts.get(alertId)
    if (!alert) throw new MessageBuildError('alert_missing', `L'allerta ${alertId} non esiste più`)
    const account = deps.accounts.get(accountId)
    if (!account) {
      throw new MessageBuildError(
        'account_missing',
        `L'account di canale ${accountId} è stato eliminato`,
      )
    }
    const family = CHANNEL_KIND_DESCRIPTORS[account.kind].family
    const { text, subject } = channelText(alert.texts, family)
    const senderSetting = account.settings.senderId
    const sender =
      typeof senderSetting === 'string' && senderSetting.trim()
        ? senderSetting.trim()
        : DEFAULT_CAP_SENDER
    const chain = deps.alerts.referenceChain(alert)
    const document = alertDocument(alert, chain, sender)
    const audioUrl = family === 'voice' ? deps.alerts.recording(alertId)?.publicUrl : undefined
    const value: Prepared = {
      alert,
      chain,
      family,
      text,
      document,
      // On unless the account says no: people expect the map with every post.
      mapCard: MAP_CARD_FAMILIES.has(family) && account.settings.mapCard !== false,
      ...(subject === undefined ? {} : { subject }),
      ...(audioUrl ? { audioUrl } : {}),
    }
    prepared.set(key, value)
    return value
  }

  return {
    /** The message for one claimed row. @throws MessageBuildError */
    build(row: ClaimedRow): OutgoingMessage {
      if (row.kind === 'reply') {
        return {
          idempotencyKey: row.idempotencyKey,
          destination: destinationOf(row),
          ...ownText(row),
          ...(row.inReplyTo ? { inReplyTo: row.inReplyTo } : {}),
        }
      }
      if (row.alertId === null)
        throw new MessageBuildError('alert_missing', `Il messaggio ${row.id} non ha un'allerta`)
      const p = prepare(row.alertId, row.accountId)
      if (row.kind === 'relay') {
        return {
          idempotencyKey: row.idempotencyKey,
          destination: destinationOf(row),
          ...ownText(row),
          alert: p.document,
        }
      }
      const inReplyTo = row.destinationType === 'page' ? threadParent(p, row.accountId) : undefined
      return {
        idempotencyKey: row.idempotencyKey,
        destination: destinationOf(row),
        text: p.text,
        ...(p.subject === undefined ? {} : { subject: p.subject }),
        alert: p.document,
        ...(inReplyTo === undefined ? {} : { inReplyTo }),
        ...(p.audioUrl === undefined ? {} : { audioUrl: p.audioUrl }),
      }
    },

    /**
     * The map card a row's post carries, drawn once per alert version; undefined
     * when the row carries none (not an alert's post, not a post family, switched
     * off on the account, no source). Rejects when the card cannot be drawn.
     * @throws MessageBuildError like `build`
     */
    image(row: ClaimedRow): Promise<MapImage> | undefined {
      const source = deps.mapImage
      if (!source || row.kind !== 'alert' || row.destinationType !== 'page' || row.alertId === null)
        return undefined
      const p = prepare(row.alertId, row.accountId)
      if (!p.mapCard) return undefined
      let image = images.get(p.alert.id)
      if (!image) {
        image = source(p.alert, p.document)
        // The cached promise is awaited by every row that posts this alert: the dispatcher
        // turns a rejection into the row's board warning «mappa non allegata: …» and sends the
        // text alone (map-card-posts.test.ts, "posts the text alone when the card cannot be
        // drawn"). This handler only keeps Node from reporting the cached copy as unhandled
        // between its rejection and the first await; nothing is dropped here.
        image.catch(() => undefined)
        images.set(p.alert.id, image)
        if (images.size > MAX_CARDS_KEPT) images.delete(images.keys().next().value as number)
      }
      return image
    },

    /** Forgets what was read (an account was edited). Cards stay: an alert version never changes. */
    clear(): void {
      prepared.clear()
    },
  }
}

export type MessageBuilder = ReturnType<typeof createMessageBuilder>
