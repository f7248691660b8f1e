import path from 'node:path'
import fs from 'node:fs/promises'
import type { Db } from '../db/open'
import type { AuditLog } from '../audit/audit-log'
import { conflict, CoreError, invalid, notFound } from '../errors'
import { CHANNEL_KIND_DESCRIPTORS, type ChannelKind } from '../../../shared/channels/kinds'
import { writeFileAtomic } from '../channels/adapters/website/files'
import { putFile, putTarget } from '../channels/adapters/website/publish'
import { AudioError, readAudio, type AudioFormat } from './recording-audio'

/** What the composer shows of an alert's recording. */
export interface RecordingView {
  fileName: string
  format: AudioFormat
  seconds: number
  size: number
  /** Where providers fetch it, once published at confirmation. */
  publicUrl: string | null
}

/** A recording as sent: 10 MiB is minutes of speech, far more than an alert needs. */
export const MAX_RECORDING_BYTES = 10 * 1024 * 1024

interface WebsiteAccount {
  id: number
  name: string
  kind: string
  enabled: boolean
  settings: Record<string, unknown>
}

/**
 * The recordings operators upload for an alert's calls. A provider plays a recording
 * from an address it can fetch, and a desktop has none: at confirmation the file is
 * published where the ente's website already serves Vedetta's CAP files (the first
 * enabled website account: its folder, and its upload address when it has one), under
 * `audio/`. In a drill nothing is published: the simulated calls need no file.
 */
export function createRecordings(deps: {
  db: Db
  audit: AuditLog
  mode: 'real' | 'drill'
  accounts: () => WebsiteAccount[]
  secretsFor: (id: number) => Record<string, string>
  now: () => Date
  fetch?: typeof fetch
}) {
  const s = {
    get: deps.db.prepare<
      [number],
      {
        file_name: string
        format: AudioFormat
        seconds: number
        size: number
        public_url: string | null
      }
    >(
      `SELECT file_name, format, seconds, length(bytes) AS size, public_url
       FROM alert_recordings WHERE alert_id = ?`,
    ),
    bytes: deps.db
      .prepare<[number], Buffer>('SELECT bytes FROM alert_recordings WHERE alert_id = ?')
      .pluck(),
    put: deps.db.prepare(`
      INSERT INTO alert_recordings (alert_id, file_name, format, seconds, bytes, uploaded_by, uploaded_at)
      VALUES (@alertId, @fileName, @format, @seconds, @bytes, @actor, @at)
      ON CONFLICT (alert_id) DO UPDATE SET file_name = excluded.file_name, format = excluded.format,
        seconds = excluded.seconds, bytes = excluded.bytes, uploaded_by = excluded.uploaded_by,
        uploaded_at = excluded.uploaded_at, public_url = NULL`),
    remove: deps.db.prepare('DELETE FROM alert_recordings WHERE alert_id = ?'),
    published: deps.db.prepare('UPDATE alert_recordings SET public_url = ? WHERE alert_id = ?'),
    status: deps.db.prepare<[number], string>('SELECT status FROM alerts WHERE id = ?').pluck(),
    identifier: deps.db
      .prepare<[number], string>('SELECT identifier FROM alerts WHERE id = ?')
      .pluck(),
  }

  const draftOnly = (alertId: number) => {
    const status = s.status.get(alertId)
    if (status === undefined) throw notFound(`alert ${alertId}`)
    if (status !== 'draft')
      throw conflict(`alert ${alertId} was already confirmed: its recording can no longer change`)
  }

  const view = (alertId: number): RecordingView | null => {
    const r = s.get.get(alertId)
    return r
      ? {
          fileName: r.file_name,
          format: r.format,
          seconds: r.seconds,
          size: r.size,
          publicUrl: r.public_url,
        }
      : null
  }

  /** The website account recordings are published through, or why there is none. */
  function publisher(): { account: WebsiteAccount; dir: string; base: string } | { error: string } {
    const site = deps
      .accounts()
      .filter((a) => CHANNEL_KIND_DESCRIPTORS[a.kind as ChannelKind]?.family === 'website')
      .filter((a) => a.enabled)
      .sort((a, b) => a.id - b.id)[0]
    const dir = typeof site?.settings.outputDir === 'string' ? site.settings.outputDir.trim() : ''
    const base =
      typeof site?.settings.publicBaseUrl === 'string'
        ? site.settings.publicBaseUrl.trim().replace(/\/+$/, '')
        : ''
    if (!site || !dir || !base)
      return {
        error:
          'Per far ascoltare una registrazione serve un account Sito web attivo, con cartella e indirizzo pubblico: Twilio e Vonage la scaricano da lì.',
      }
    return { account: site, dir, base }
  }

  return {
    get: view,

    /** Its bytes, for the composer's player. */
    content(alertId: number): { fileName: string; mimeType: string; base64: string } | null {
      const r = view(alertId)
      const bytes = s.bytes.get(alertId)
      if (!r || !bytes) return null
      return {
        fileName: r.fileName,
        mimeType: r.format === 'wav' ? 'audio/wav' : 'audio/mpeg',
        base64: bytes.toString('base64'),
      }
    },

    set(alertId: number, fileName: string, base64: string, actor: string): RecordingView {
      draftOnly(alertId)
      const bytes = Buffer.from(base64, 'base64')
      if (bytes.length > MAX_RECORDING_BYTES)
        throw invalid(
          [{ path: 'content', code: 'too_long', params: { max: MAX_RECORDING_BYTES } }],
          'La registrazione supera 10 MiB: accorciala o salvala in MP3.',
        )
      let facts
      try {
        facts = readAudio(bytes)
      } catch (err) {
        if (err instanceof AudioError)
          throw new CoreError('invalid_input', err.message, [{ path: 'content', code: 'invalid' }])
        throw err
      }
      const name = path.basename(fileName).slice(0, 200) || `registrazione.${facts.format}`
      deps.db.transaction(() => {
        s.put.run({
          alertId,
          fileName: name,
          format: facts.format,
          seconds: facts.seconds,
          bytes,
          actor,
          at: deps.now().toISOString(),
        })
        deps.audit.record(actor, 'alerts.setRecording', `alert:${alertId}`, {
          fileName: name,
          seconds: Math.round(facts.seconds),
        })
      })()
      return view(alertId)!
    },

    remove(alertId: number, actor: string): void {
      draftOnly(alertId)
      if (s.remove.run(alertId).changes > 0)
        deps.audit.record(actor, 'alerts.removeRecording', `alert:${alertId}`, {})
    },

    /** Why a recording could not be published now (null: it can, or there is none). */
    publishProblem(alertId: number): string | null {
      if (deps.mode === 'drill' || !view(alertId)) return null
      const p = publisher()
      return 'error' in p ? p.error : null
    },

    /**
     * Publishes the recording before the alert is confirmed (nothing is confirmed if this
     * fails): written in the website's folder, and uploaded when it has an upload address.
     */
    async publish(alertId: number): Promise<string | null> {
      const r = view(alertId)
      const bytes = s.bytes.get(alertId)
      if (!r || !bytes) return null
      const identifier = s.identifier.get(alertId) ?? String(alertId)
      const name = `${identifier.replace(/[^\w.-]+/g, '-')}.${r.format}`
      if (deps.mode === 'drill') return `https://esercitazione.invalid/audio/${name}`
      const p = publisher()
      if ('error' in p) throw conflict(p.error)
      const url = `${p.base}/audio/${encodeURIComponent(name)}`
      try {
        await fs.mkdir(path.join(p.dir, 'audio'), { recursive: true })
        await writeFileAtomic(path.join(p.dir, 'audio', name), bytes)
      } catch (err) {
        throw conflict(
          `La registrazione non si può scrivere nella cartella del sito ${p.dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
        )
      }
      const putUrl = typeof p.account.settings.putUrl === 'string' ? p.account.settings.putUrl : ''
      if (putUrl) {
        const token = deps.secretsFor(p.account.id).putToken
        const failed = await putFile({
          url: putTarget(`${putUrl.replace(/\/+$/, '')}/audio`, name),
          body: bytes,
          contentType: r.format === 'wav' ? 'audio/wav' : 'audio/mpeg',
          fetch: deps.fetch ?? fetch,
          now: () => deps.now().getTime(),
          ...(token ? { token } : {}),
        })
        if (failed)
          throw conflict(`La registrazione non è stata pubblicata sul sito: ${failed.reason}`)
      }
      s.published.run(url, alertId)
      return url
    },
  }
}

export type Recordings = ReturnType<typeof createRecordings>
