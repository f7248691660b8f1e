import type { RelayView } from '../../../shared/contract/alerts'
import type { Template } from '../../../shared/templates'
import type { HandlersFor } from '../handlers'
import type { SettingsRepository } from '../settings/settings-repository'
import type { StoredTemplate } from '../templates/templates-repository'
import type { AlertsService } from './alerts-service'
import type { RelayRequest } from './alerts-repository'
import type { Recordings } from './recordings'

export interface AlertsHandlerDeps {
  alerts: AlertsService
  recordings: Recordings
  settings: SettingsRepository
  template: (id: string) => StoredTemplate
  partnerName: (id: number) => string
  /** `{{youtube}}`: the channel's live stream or latest video, asked only for a template that uses it. */
  youtubeLink?: () => Promise<string | undefined>
}

const USES_YOUTUBE = /\{\{\s*youtube\s*\}\}/

export function alertsHandlers(deps: AlertsHandlerDeps): HandlersFor<'alerts'> {
  const { alerts } = deps
  const relays = (list: RelayRequest[]): RelayView[] =>
    list.map((r) => ({ ...r, partnerName: deps.partnerName(r.partnerId) }))
  return {
    'alerts:list': ({ limit }) => alerts.list(limit),
    'alerts:get': ({ id }) => alerts.get(id),
    'alerts:createDraft': ({ draft }, ctx) => alerts.createDraft(draft as never, ctx.operator),
    'alerts:updateDraft': ({ id, patch }, ctx) =>
      alerts.updateDraft(id, patch as never, ctx.operator),
    'alerts:followUp': ({ id, msgType, changes }, ctx) =>
      alerts.createFollowUp(id, { msgType, changes: changes as never }, ctx.operator),
    'alerts:applyTemplate': async ({ id, templateId }, ctx) => {
      const s = deps.settings.get()
      const t = deps.template(templateId)
      const youtube =
        deps.youtubeLink && Object.values(t.variants).some((v) => USES_YOUTUBE.test(String(v)))
          ? await deps.youtubeLink()
          : undefined
      const template: Template = {
        id: t.id,
        name: t.name,
        kind: t.kind,
        level: t.level,
        variants: t.variants,
      }
      return alerts.applyTemplate(
        id,
        template,
        {
          ente: s.ente,
          link: s.link,
          numero_emergenza: s.numeroEmergenza,
          hashtag: s.hashtag,
          ...(youtube ? { youtube } : {}),
        },
        ctx.operator,
      )
    },
    'alerts:preview': ({ id }) => alerts.preview(id),
    'alerts:setRecording': ({ id, fileName, content }, ctx) => ({
      ...deps.recordings.set(id, fileName, content, ctx.operator),
    }),
    'alerts:removeRecording': ({ id }, ctx) => {
      deps.recordings.remove(id, ctx.operator)
      return { id }
    },
    'alerts:recording': ({ id }) => {
      const r = deps.recordings.get(id)
      const c = deps.recordings.content(id)
      return r && c
        ? {
            fileName: r.fileName,
            format: r.format,
            seconds: r.seconds,
            mimeType: c.mimeType,
            content: c.base64,
          }
        : null
    },
    'alerts:confirm': async (
      { id, cancelWindowSeconds, replacePrevious, callsAtNight, operator },
      ctx,
    ) => {
      // The calls' recording is published first: if it cannot be, nothing is confirmed.
      if (alerts.get(id).status === 'draft') await deps.recordings.publish(id)
      const r = alerts.confirm(id, operator ?? ctx.operator, {
        cancelWindowSeconds: cancelWindowSeconds ?? deps.settings.get().cancelWindowSeconds,
        ...(replacePrevious === undefined ? {} : { replacePrevious }),
        ...(callsAtNight === undefined ? {} : { callsAtNight }),
      })
      return { alert: r.alert, rows: r.rows, replacedRows: r.replacedRows }
    },
    'alerts:cancel': ({ id }, ctx) => alerts.cancel(id, ctx.operator),
    'alerts:stop': ({ id }, ctx) => alerts.stop(id, ctx.operator),
    'alerts:retryFailed': ({ id, reason }, ctx) => alerts.retryFailed(id, ctx.operator, reason),
    'alerts:resolveUncertain': ({ rowId, action }, ctx) =>
      alerts.resolveUncertain(rowId, action, ctx.operator),
    'alerts:progress': ({ id }) => alerts.progress(id),
    'alerts:rows': ({ id, ...query }) => alerts.rows(id, query),
    'alerts:relays': ({ id }) => relays(alerts.relays(id)),
    'alerts:updateRelay': ({ id, partnerId, status, note }, ctx) =>
      relays(alerts.updateRelay(id, partnerId, status, ctx.operator, note)),
  }
}
