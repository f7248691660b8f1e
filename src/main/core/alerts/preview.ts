import { callAttemptsOf } from '../channels/adapters/call-policy'
import { priceOf } from './account-price'
import { estimateSpokenSeconds } from '../../../shared/text/spoken-it'
import { whatsappPreview } from './whatsapp-preview'
import { sendTimeOf } from './send-time'
import { diffVersions } from './version-diff'
/**
 * What an alert would send, before anything leaves: per target account the
 * text and its counter, the recipients left after opt-outs, duplicates and
 * landlines, SMS parts and cost, and warnings a person can act on. The same
 * plan feeds the fan-out, so what was previewed is what is written.
 */

import { CHANNEL_KIND_DESCRIPTORS, type ChannelFamily } from '../../../shared/channels/kinds'
import { countFor, smsCost, type TextCount } from '../../../shared/text'
import { parseTemplateText } from '../../../shared/templates/placeholders'
import { DRILL_MARKER, isWorkspaceVariable } from '../../../shared/templates/variables'
import type { ChannelAccountRow } from '../channels/accounts-repository'
import { channelText } from './channel-texts'
import { planRelays, type PlannedRelayRow, type RelaySource } from './relays'
import type {
  AccountPreview,
  AlertPreview,
  PreviewWarning,
  PreviewWarningCode,
  RelayPreview,
  SkippedSummary,
} from '../../../shared/alerts/views'
import type {
  Alert,
  PeopleFamily,
  Recipient,
  ResolveRecipients,
  ResolvedRecipients,
  SkipReason,
  SkippedRecipient,
} from './types'

/** One destination of one account, ready for the fan-out. */
export type PlannedDestination =
  { type: 'person'; contactId: number; address: string; name: string | null } | { type: 'page' }

export interface SendPlan {
  preview: AlertPreview
  destinations: Map<number, PlannedDestination[]>
  /** Relay requests to partner schools, written with the alert's rows. */
  relayRows: PlannedRelayRow[]
}

/** A connection check result the channels area keeps; absent when never checked. */
export interface AccountHealth {
  ok: boolean
  message: string
}

export interface PlanDeps {
  account(id: number): ChannelAccountRow | undefined
  resolveRecipients: ResolveRecipients
  accountHealth?(id: number): AccountHealth | undefined
  /** Partners, their admins and the authority's name; without it no relay request is planned. */
  relays?: RelaySource
  /** A follow-up's version in force (the latest confirmed version of its alert), for `changes`. */
  versionInForce?(alert: Alert): Alert | undefined
  /** The recording its calls play, and why it could not be published (null: it can). */
  recording?(alertId: number): { seconds: number; problem: string | null } | undefined
}

const SKIPPED_SAMPLE = 50

const error = (code: PreviewWarningCode, params?: PreviewWarning['params']): PreviewWarning => ({
  code,
  severity: 'error',
  ...(params ? { params } : {}),
})
const warning = (code: PreviewWarningCode, params?: PreviewWarning['params']): PreviewWarning => ({
  code,
  severity: 'warning',
  ...(params ? { params } : {}),
})

/** Recipients with addresses seen before dropped as duplicates (two lists, one person). */
function dedupe(resolved: ResolvedRecipients): {
  recipients: Recipient[]
  skipped: SkippedRecipient[]
} {
  const seen = new Set<string>()
  const recipients: Recipient[] = []
  const skipped = [...resolved.skipped]
  for (const r of resolved.recipients) {
    if (r.address === '') {
      skipped.push({ contactId: r.contactId, reason: 'no_address', ...nameOf(r) })
    } else if (seen.has(r.address)) {
      skipped.push({
        contactId: r.contactId,
        reason: 'duplicate',
        address: r.address,
        ...nameOf(r),
      })
    } else {
      seen.add(r.address)
      recipients.push(r)
    }
  }
  return { recipients, skipped }
}

const nameOf = (r: Recipient) => (r.name === undefined ? {} : { name: r.name })

const PEOPLE_FAMILIES: readonly ChannelFamily[] = ['sms', 'email', 'telegram', 'voice', 'whatsapp']
const isPeopleFamily = (f: ChannelFamily): f is PeopleFamily => PEOPLE_FAMILIES.includes(f)

function summarise(skipped: SkippedRecipient[]): SkippedSummary[] {
  const byReason = new Map<SkipReason, number>()
  for (const s of skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1)
  return [...byReason].map(([reason, count]) => ({ reason, count }))
}

function textWarnings(
  alert: Alert,
  family: ChannelFamily,
  text: string,
  subject: string | undefined,
  count: TextCount,
) {
  const out: PreviewWarning[] = []
  if (text.trim() === '') return [error('empty')]
  if (family === 'email' && (subject ?? '').trim() === '') out.push(error('empty_subject'))
  const leftovers = new Set<string>()
  for (const t of [text, subject ?? '']) {
    for (const part of parseTemplateText(t).parts)
      if (part.kind === 'variable') leftovers.add(part.name)
  }
  for (const name of leftovers)
    out.push(error(isWorkspaceVariable(name) ? 'missing_setting' : 'missing_value', { name }))
  if (count.over && count.limit !== null)
    out.push(error('over_limit', { length: count.length, limit: count.limit }))
  if (count.sms && count.sms.offenders.length > 0) {
    out.push(
      warning('ucs2', {
        chars: count.sms.offenders.map((o) => o.char).join(' '),
        segments: count.sms.segments,
      }),
    )
  }
  if (alert.mode === 'drill' && !text.includes(DRILL_MARKER.trim())) {
    out.push(warning('drill_marker_missing', { marker: DRILL_MARKER.trim() }))
  }
  return out
}

const roundCost = (n: number) => Math.round(n * 1e6) / 1e6

/** Computes the preview and the destinations of every target account. */
export function planSend(alert: Alert, deps: PlanDeps): SendPlan {
  const accounts: AccountPreview[] = []
  const destinations = new Map<number, PlannedDestination[]>()
  const alertWarnings: PreviewWarning[] = []
  // Lists are resolved once per family, however many accounts share it.
  const byFamily = new Map<ChannelFamily, ReturnType<typeof dedupe>>()
  const peopleFamilies = new Map<ChannelFamily, number>()

  if (alert.targets.accountIds.length === 0) alertWarnings.push(error('no_targets'))
  // An alert that also calls: whoever prefers a call gets it instead of the SMS.
  const voiceToo = alert.targets.accountIds.some((id) => {
    const account = deps.account(id)
    return account?.enabled === true && CHANNEL_KIND_DESCRIPTORS[account.kind].family === 'voice'
  })

  for (const accountId of alert.targets.accountIds) {
    const account = deps.account(accountId)
    if (!account) {
      accounts.push({
        accountId,
        accountName: `#${accountId}`,
        kind: null,
        family: null,
        audience: null,
        enabled: false,
        text: '',
        count: null,
        messages: 0,
        skipped: [],
        skippedSample: [],
        warnings: [error('account_missing')],
      })
      destinations.set(accountId, [])
      continue
    }
    const { family, audience } = CHANNEL_KIND_DESCRIPTORS[account.kind]
    const written = channelText(alert.texts, family)
    const whatsapp = family === 'whatsapp' ? whatsappPreview(alert, account) : undefined
    const { subject } = written
    const text = whatsapp ? (whatsapp.ok ? whatsapp.text : '') : written.text
    const count = countFor(family, text)
    const warnings = whatsapp
      ? whatsapp.ok
        ? []
        : [error('whatsapp_template', { message: whatsapp.message })]
      : textWarnings(alert, family, text, subject, count)
    // YouTube's Data API publishes no post: an alert reaches it as a link in the other texts.
    if (family === 'youtube') warnings.splice(0, warnings.length, error('not_a_post_channel'))
    if (!account.enabled) warnings.push(error('account_disabled'))
    const health = deps.accountHealth?.(accountId)
    if (health && !health.ok) warnings.push(warning('account_failing', { message: health.message }))

    let planned: PlannedDestination[]
    let skipped: SkippedRecipient[] = []
    if (audience === 'page' || !isPeopleFamily(family)) {
      planned = [{ type: 'page' }]
    } else {
      peopleFamilies.set(family, (peopleFamilies.get(family) ?? 0) + 1)
      let resolved = byFamily.get(family)
      if (!resolved) {
        resolved =
          alert.targets.listIds.length === 0
            ? { recipients: [], skipped: [] }
            : dedupe(deps.resolveRecipients([...alert.targets.listIds], family, { voiceToo }))
        byFamily.set(family, resolved)
      }
      planned = resolved.recipients.map((r) => ({
        type: 'person',
        contactId: r.contactId,
        address: r.address,
        name: r.name ?? null,
      }))
      skipped = resolved.skipped
      if (planned.length === 0) warnings.push(warning('no_recipients'))
    }
    destinations.set(accountId, planned)

    const preview: AccountPreview = {
      accountId,
      accountName: account.name,
      kind: account.kind,
      family,
      audience,
      enabled: account.enabled,
      text,
      ...(subject === undefined ? {} : { subject }),
      count,
      messages: planned.length,
      skipped: summarise(skipped),
      skippedSample: skipped.slice(0, SKIPPED_SAMPLE),
      warnings,
    }
    if (family === 'sms' && count.sms) {
      const price = priceOf(account)
      preview.segments = count.sms.segments
      preview.pricePerSegment = price
      preview.estimatedCost = smsCost(count.sms.segments, planned.length, price)
    }
    if (family === 'voice') {
      // Providers bill each call by the minute started: the range runs from everyone
      // answering the first call to every call tried as many times as the account allows.
      const recording = deps.recording?.(alert.id)
      const seconds = recording ? Math.round(recording.seconds) : estimateSpokenSeconds(text)
      if (recording) {
        // The recording is what people hear: the spoken text may stay empty.
        const empty = warnings.findIndex((w) => w.code === 'empty')
        if (empty >= 0) warnings.splice(empty, 1)
        preview.recording = true
      }
      if (recording?.problem)
        warnings.push(error('recording_unpublished', { message: recording.problem }))
      const attempts = callAttemptsOf(account.settings)
      const perCall = Math.max(1, Math.ceil(seconds / 60)) * priceOf(account, 'pricePerMinute')
      preview.spokenSeconds = seconds
      preview.callAttempts = attempts
      preview.estimatedCost = roundCost(perCall * planned.length)
      preview.estimatedCostMax = roundCost(perCall * planned.length * attempts)
    }
    if (family === 'whatsapp') {
      preview.estimatedCost = roundCost(priceOf(account, 'pricePerMessage') * planned.length)
    }
    if (audience === 'people' && planned.length > 0) {
      preview.sendTime = sendTimeOf(account, planned.length, preview.spokenSeconds)
    }
    accounts.push(preview)
  }

  for (const a of accounts) {
    if (a.family && a.audience === 'people' && (peopleFamilies.get(a.family) ?? 0) > 1) {
      a.warnings.push(warning('same_family_twice', { family: a.family }))
    }
  }
  if (
    alert.targets.listIds.length > 0 &&
    peopleFamilies.size === 0 &&
    alert.targets.accountIds.length > 0
  ) {
    alertWarnings.push(warning('lists_without_people_channel'))
  }

  const relays = planRelays(alert, deps.account, deps.relays)
  const totals = { ...relays.totals }
  for (const a of accounts) {
    totals.messages += a.messages
    totals.smsSegments += (a.segments ?? 0) * a.messages
    totals.estimatedCost += a.estimatedCost ?? 0
  }
  totals.estimatedCost = Math.round(totals.estimatedCost * 1e6) / 1e6
  const ok = [
    ...alertWarnings,
    ...accounts.flatMap((a) => a.warnings),
    ...relays.previews.flatMap((r) => r.warnings),
  ].every((w) => w.severity !== 'error')
  const inForce = alert.referencesAlertId === null ? undefined : deps.versionInForce?.(alert)
  return {
    preview: {
      alertId: alert.id,
      accounts,
      relays: relays.previews,
      warnings: alertWarnings,
      totals,
      ok,
      ...(inForce ? { changes: diffVersions(inForce, alert) } : {}),
    },
    destinations,
    relayRows: relays.rows,
  }
}

export type {
  AccountPreview,
  AlertPreview,
  PreviewWarning,
  PreviewWarningCode,
  RelayPreview,
  SkippedSummary,
}
