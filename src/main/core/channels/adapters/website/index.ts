import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type {
  AdapterConfig,
  AlertDocument,
  ChannelAdapter,
  ChannelLimits,
  ConnectionCheck,
  OutgoingMessage,
  SendOutcome,
} from '../../adapter'
import { optionalSetting, requireSetting } from '../config'
import { buildFeedXml, mergeEntries, parseFeedEntries, type FeedEntry } from './atom'
import { buildCapXml, CapInputError, type CapResource } from './cap'
import { toCapDateTime } from './cap-time'
import { capFileName, FEED_FILE, isPermanentFsError, readIfExists, writeFileAtomic } from './files'
import { putFile, putTarget } from './publish'
import { mapWarning } from '../media'
import { checkPassed, checkRefused } from '../check-results'

/**
 * Publishes alerts on the authority's website: a CAP 1.2 file per alert and an
 * Atom feed listing them, written into a local folder the web server serves,
 * and optionally uploaded with HTTP PUT. Idempotent: the same alert identifier
 * always rewrites the same file and the same feed entry.
 *
 * With the alert map card, the PNG is published beside the CAP file
 * (`<identifier>.png`, written and uploaded first, so nothing links a file the
 * server does not have), named by the CAP `<resource>` (its alt text as
 * `resourceDesc`, `mimeType`, `size`, `uri`, SHA-1 `digest`) and by the feed
 * entry's `<link rel="enclosure">`. A card that cannot be written or uploaded
 * is left out of both, and the outcome carries a warning.
 */

type Failure = Extract<SendOutcome, { status: 'failed' }>

interface WebsiteSettings {
  outputDir: string
  publicBaseUrl: string
  putUrl?: string
  senderId: string
}

function readSettings(config: AdapterConfig): WebsiteSettings {
  const putUrl = optionalSetting(config, 'putUrl', '')
  return {
    outputDir: requireSetting(config, 'outputDir'),
    publicBaseUrl: requireSetting(config, 'publicBaseUrl').replace(/\/+$/, ''),
    senderId: requireSetting(config, 'senderId'),
    ...(putUrl ? { putUrl } : {}),
  }
}

function failure(retry: Failure['retry'], code: string, reason: string, detail?: string): Failure {
  return { status: 'failed', retry, code, reason, ...(detail ? { detail } : {}) }
}

function fsFailure(error: unknown, dir: string): Failure {
  const detail = (error as NodeJS.ErrnoException | undefined)?.code ?? String(error)
  return failure(
    isPermanentFsError(error) ? 'permanent' : 'transient',
    'storage',
    `Impossibile scrivere i file del sito nella cartella ${dir}`,
    detail,
  )
}

/**
 * The title of a version's feed entry: its own headline, marked as an update
 * or as the end of the alert unless its words already say so.
 */
function entryTitle(alert: AlertDocument): string {
  const headline = alert.headline.trim() || alert.event
  if (alert.msgType === 'Update' && !/^aggiornament/i.test(headline))
    return `Aggiornamento: ${headline}`
  if (alert.msgType === 'Cancel' && !/cessat/i.test(headline)) return `Cessata allerta: ${headline}`
  return headline
}

/**
 * The feed entry of one version: stable id (its CAP URL), its own title and
 * summary, and the operator's website text as the content.
 */
function entryFor(alert: AlertDocument, capUrl: string, pageText: string): FeedEntry {
  const content = pageText.trim()
  return {
    id: capUrl,
    title: entryTitle(alert),
    updated: toCapDateTime(alert.sent) ?? alert.sent,
    link: capUrl,
    summary: alert.description.trim() || alert.headline.trim(),
    ...(content ? { content } : {}),
    level: alert.level,
  }
}

/**
 * Builds the website adapter for one account.
 * @param config validated settings (outputDir, publicBaseUrl, optional putUrl, senderId) and the optional `putToken` secret
 * @throws AdapterConfigError when a required setting is missing
 */
export function createWebsiteAdapter(config: AdapterConfig): ChannelAdapter {
  const settings = readSettings(config)
  const fetchImpl = config.fetch ?? globalThis.fetch
  const now = config.now ?? Date.now
  const token = config.secrets.putToken
  const feedUrl = `${settings.publicBaseUrl}/${FEED_FILE}`
  // Sends are chained: the feed is read, changed and written back, which must not interleave.
  let queue: Promise<unknown> = Promise.resolve()

  async function publish(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
    const alert = message.alert
    if (!alert)
      return failure(
        'permanent',
        'invalid_alert',
        "Manca il documento dell'allerta da pubblicare sul sito",
      )
    const fileName = capFileName(alert.identifier)
    if (!fileName) {
      return failure(
        'permanent',
        'invalid_alert',
        `Identificativo dell'allerta non utilizzabile come nome di file: "${alert.identifier}"`,
      )
    }
    /** The CAP file, naming the card when it was published; a refused alert fails for good. */
    const capFor = (resource?: CapResource): string | Failure => {
      try {
        return buildCapXml(alert, {
          sender: settings.senderId,
          senderName: config.name,
          ...(resource ? { resource } : {}),
        })
      } catch (error) {
        if (error instanceof CapInputError)
          return failure('permanent', 'invalid_alert', error.message)
        throw error
      }
    }
    // Built before the card is published, so a refused alert leaves no picture behind.
    let capXml = capFor()
    if (typeof capXml !== 'string') return capXml
    const capUrl = `${settings.publicBaseUrl}/${encodeURIComponent(fileName)}`
    const card = message.image ? await publishCard(fileName, message.image.png, signal) : undefined
    const resource = card && 'resource' in card ? card.resource : undefined
    const warning = card && 'warning' in card ? card.warning : undefined
    if (resource && message.image) {
      capXml = capFor({ ...resource, resourceDesc: message.image.alt })
      if (typeof capXml !== 'string') return capXml
    }
    const enclosure =
      resource && message.image
        ? {
            href: resource.uri,
            type: resource.mimeType,
            length: resource.size,
            title: message.image.alt,
          }
        : undefined

    let feedXml: string
    try {
      await fs.mkdir(settings.outputDir, { recursive: true })
      await writeFileAtomic(path.join(settings.outputDir, fileName), capXml)
      const feedFile = path.join(settings.outputDir, FEED_FILE)
      const existing = parseFeedEntries((await readIfExists(feedFile)) ?? '')
      feedXml = buildFeedXml(
        {
          id: feedUrl,
          title: `${config.name}: allerte`,
          selfUrl: feedUrl,
          siteUrl: `${settings.publicBaseUrl}/`,
          author: settings.senderId,
        },
        mergeEntries(existing, {
          ...entryFor(alert, capUrl, message.text),
          ...(enclosure ? { enclosure } : {}),
        }),
      )
      await writeFileAtomic(feedFile, feedXml)
    } catch (error) {
      return fsFailure(error, settings.outputDir)
    }

    if (settings.putUrl) {
      // CAP first: the feed must never link a file the server does not have yet.
      for (const [name, body, contentType] of [
        [fileName, capXml, 'application/xml; charset=utf-8'],
        [FEED_FILE, feedXml, 'application/atom+xml; charset=utf-8'],
      ] as const) {
        const failed = await putFile({
          url: putTarget(settings.putUrl, name),
          body,
          contentType,
          fetch: fetchImpl,
          now,
          ...(token ? { token } : {}),
          ...(signal ? { signal } : {}),
        })
        if (failed) return failed
      }
    }
    return { status: 'sent', providerId: capUrl, ...(warning ? { warning } : {}) }
  }

  /**
   * Writes the card beside the CAP file (and uploads it first when the site takes
   * PUT); what the CAP resource and the feed enclosure say of it, or why not.
   */
  async function publishCard(
    capName: string,
    png: Uint8Array,
    signal?: AbortSignal,
  ): Promise<{ resource: Omit<CapResource, 'resourceDesc'> } | { warning: string }> {
    const name = capName.replace(/\.xml$/, '.png')
    try {
      await fs.mkdir(settings.outputDir, { recursive: true })
      await writeFileAtomic(path.join(settings.outputDir, name), png)
    } catch (error) {
      return { warning: mapWarning(fsFailure(error, settings.outputDir).reason) }
    }
    if (settings.putUrl) {
      const failed = await putFile({
        url: putTarget(settings.putUrl, name),
        body: Buffer.from(png.buffer, png.byteOffset, png.length),
        contentType: 'image/png',
        fetch: fetchImpl,
        now,
        ...(token ? { token } : {}),
        ...(signal ? { signal } : {}),
      })
      if (failed) return { warning: mapWarning(failed.reason) }
    }
    return {
      resource: {
        mimeType: 'image/png',
        size: png.length,
        uri: `${settings.publicBaseUrl}/${encodeURIComponent(name)}`,
        digest: createHash('sha1').update(png).digest('hex'),
      },
    }
  }

  function send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
    const result = queue.then(() =>
      publish(message, signal).catch((error: unknown): SendOutcome =>
        failure(
          'transient',
          'internal',
          'Errore imprevisto nella pubblicazione sul sito',
          String(error),
        ),
      ),
    )
    queue = result.catch(() => undefined)
    return result
  }

  async function testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
    const probe = path.join(settings.outputDir, `.vedetta-probe-${randomBytes(4).toString('hex')}`)
    try {
      await fs.mkdir(settings.outputDir, { recursive: true })
      await fs.writeFile(probe, 'ok')
      await fs.rm(probe, { force: true })
    } catch (error) {
      return checkRefused(fsFailure(error, settings.outputDir), 'website', {
        folder: settings.outputDir,
      })
    }
    if (!settings.putUrl)
      return checkPassed(
        'website_folder',
        { folder: settings.outputDir },
        `Cartella ${settings.outputDir} scrivibile`,
      )
    try {
      const response = await fetchImpl(settings.putUrl, {
        method: 'HEAD',
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(signal ? { signal } : {}),
      })
      if (response.status === 401 || response.status === 403) {
        return {
          ok: false,
          message: `Il sito web rifiuta il token di pubblicazione (HTTP ${response.status})`,
          code: 'auth',
          params: { provider: 'website', status: response.status },
        }
      }
      return checkPassed(
        'website_site',
        { folder: settings.outputDir, status: response.status },
        `Cartella ${settings.outputDir} scrivibile; sito web raggiungibile (HTTP ${response.status})`,
      )
    } catch {
      // The site did not answer at all: the check says so, with the address to look at.
      return {
        ok: false,
        message: `Sito web non raggiungibile: ${settings.putUrl}`,
        code: 'transport_network',
        params: { provider: 'website', address: settings.putUrl },
      }
    }
  }

  const limits = (): ChannelLimits => ({ ratePerSecond: 5, burst: 5, concurrency: 1 })

  return {
    kind: 'website',
    idempotent: true,
    simulated: false,
    limits,
    send,
    testConnection,
  }
}
