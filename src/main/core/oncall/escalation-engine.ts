import type { EscalationView } from '../../../shared/contract/oncall'
import type { AuditLog } from '../audit/audit-log'
import { numberField, objectField, stringField } from '../channels/adapters/http-errors'
import type { Db } from '../db/open'
import { CoreError, notFound } from '../errors'
import type { Log } from '../health/log'
import type {
  CallbackOutcome,
  EscalationRow,
  EscalationsRepository,
} from './escalations-repository'
import { onCallAt } from './on-call-now'
import {
  BUTTONS,
  callbackData,
  closedText,
  lateText,
  pageCallText,
  pageSms,
  pageText,
  parseCallbackData,
  type Trigger,
} from './page-texts'
import type { PagingChannels } from './paging-channels'
import type { RosterRepository } from './roster-repository'
import type { InlineButton } from './telegram-bot'

/**
 * The escalation: a trigger pages the first of the chain on call now (Telegram with
 * buttons, and SMS); with no answer within the configured minutes the next is paged, then
 * the next, round after round, until someone takes charge or the rounds are over
 * (unanswered: Stato says so until the room takes it). A press of «Prendo io» or «Non è
 * per noi» from a person who was paged closes it for everyone, and the others are told.
 *
 * State lives in the database and every change is decided in one transaction before any
 * network request; the clock is injected, and `tick()` moves due escalations on, so a
 * night is tested on a simulated clock. Every trigger, page, escalation and answer goes in
 * the journal (the audit log) with its time.
 */

const ACTOR = 'vedetta'
const HEALTH_SOURCE = 'oncall'
/** Calls are asked about for half an hour after they were placed, at most every 15 seconds. */
const CALL_WATCH_MS = 30 * 60_000
const CALL_POLL_MS = 15_000

export interface CallbackResult {
  outcome: CallbackOutcome | 'replay' | 'unknown_chat' | 'not_callback'
  escalationId?: number
}

export interface EngineDeps {
  db: Db
  roster: RosterRepository
  escalations: EscalationsRepository
  channels: PagingChannels
  audit: AuditLog
  emit(view: EscalationView): void
  health: { raise(source: string, message: string): void; clear(source: string): void }
  log: Log
  now(): Date
  /** Drafts to approve from the phone (phone-approvals.ts); without it «Apri bozza» shows the proposal. */
  drafts?: {
    draftFor(
      e: EscalationRow,
      person: { id: number; name: string },
    ): { messages: string[]; detail: Record<string, unknown> } | undefined
    offersDraft(e: EscalationRow): boolean
  }
}

export function createEscalationEngine(deps: EngineDeps) {
  const { roster, escalations, audit } = deps
  const iso = () => deps.now().toISOString()
  const pending = new Set<Promise<unknown>>()
  let ticking: Promise<void> | undefined

  /** Network work after a decision: kept until settled, its failures logged (the decision stands). */
  function track(work: Promise<unknown>): void {
    const p = work
      .catch((err: unknown) => deps.log.error('oncall', err))
      .finally(() => pending.delete(p))
    pending.add(p)
  }

  const publish = (id: number) => {
    const e = escalations.get(id)
    if (e) deps.emit(escalations.view(e))
  }

  /** Stato shows the escalations nobody took until the room takes them. */
  function refreshHealth(): void {
    const untaken = escalations.untaken()
    const latest = untaken[0]
    if (!latest) {
      deps.health.clear(HEALTH_SOURCE)
      return
    }
    const more = untaken.length > 1 ? ` (e altre ${untaken.length - 1})` : ''
    deps.health.raise(
      HEALTH_SOURCE,
      latest.state === 'unstaffed'
        ? `Nessun reperibile in turno da chiamare per: ${latest.title}${more}`
        : `Nessun reperibile ha preso in carico: ${latest.title}${more}`,
    )
  }

  const keyboard = (id: number): InlineButton[][] => [
    [{ text: BUTTONS.take, callbackData: callbackData(id, 'take') }],
    [
      { text: BUTTONS.draft, callbackData: callbackData(id, 'draft') },
      { text: BUTTONS.notus, callbackData: callbackData(id, 'notus') },
    ],
  ]

  function recordPage(
    e: EscalationRow,
    person: { id: number; name: string },
    channel: 'telegram' | 'sms' | 'voice',
    result: {
      outcome: 'sent' | 'failed' | 'simulated' | 'uncertain'
      error?: string
      chatId?: string
      messageId?: number
      providerId?: string | null
    },
  ): void {
    const at = iso()
    escalations.addPage({
      escalationId: e.id,
      round: e.round,
      step: e.step,
      personId: person.id,
      name: person.name,
      channel,
      at,
      outcome: result.outcome,
      chatId: result.chatId ?? null,
      messageId: result.messageId ?? null,
      error: result.error ?? null,
      providerId: result.providerId ?? null,
    })
    if (channel === 'voice') {
      // A call reads as a call in the journal («Chiamata a Mario al telefono»), never «via chiamata».
      audit.record(
        ACTOR,
        result.outcome === 'failed'
          ? 'oncall.pageCallFailed'
          : result.outcome === 'uncertain'
            ? 'oncall.pageCallUncertain'
            : 'oncall.pageCall',
        `oncall:${e.id}`,
        {
          person: person.name,
          channel,
          outcome: result.outcome,
          round: e.round,
          position: e.step + 1,
          ...(result.error ? { error: result.error } : {}),
        },
      )
      return
    }
    audit.record(
      ACTOR,
      result.outcome === 'failed' ? 'oncall.pageFailed' : 'oncall.page',
      `oncall:${e.id}`,
      {
        person: person.name,
        channel,
        via: channel === 'telegram' ? 'Telegram' : 'SMS',
        outcome: result.outcome,
        round: e.round,
        position: e.step + 1,
        ...(result.error ? { error: result.error } : {}),
      },
    )
  }

  /**
   * Rings the person through the voice account chosen in Reperibilità, once per page: a call
   * is not idempotent, so one whose request left without an answer back is recorded as
   * uncertain and never placed again. True when the call was surely placed. Answering it
   * takes nothing in charge (the call says so); the escalation goes on as for an SMS.
   */
  async function ring(
    e: EscalationRow,
    person: { id: number; name: string },
    phone: string,
  ): Promise<boolean> {
    const channel = deps.channels.voice()
    // No voice account is the office's choice: nothing to record.
    if (channel === null) return false
    if ('error' in channel) {
      recordPage(e, person, 'voice', { outcome: 'failed', error: channel.error })
      return false
    }
    // The page's voice row is the guard: this page rang (or may have) once, whatever came of it.
    if (escalations.voicePaged(e, person.id)) return false
    const text = pageCallText(e, { drill: channel.simulated, now: deps.now() })
    const r = await channel.call(
      phone,
      person.name,
      text,
      `oncall:${e.id}:${e.round}:${e.step}:voice`,
    )
    switch (r.status) {
      case 'placed':
        recordPage(e, person, 'voice', {
          outcome: channel.simulated ? 'simulated' : 'sent',
          providerId: r.providerId,
        })
        return true
      case 'uncertain':
        recordPage(e, person, 'voice', { outcome: 'uncertain', error: r.reason })
        return false
      case 'failed':
        recordPage(e, person, 'voice', { outcome: 'failed', error: r.reason })
        return false
    }
  }

  /**
   * Asks the provider what became of the calls placed in the last half hour, at most every
   * `CALL_POLL_MS` each: answered or not goes on the page and in the journal. An answered
   * call takes nothing in charge (nobody pressed anything).
   */
  const polled = new Map<number, number>()
  async function watchCalls(): Promise<void> {
    const now = deps.now().getTime()
    const pending = escalations.callsPending(new Date(now - CALL_WATCH_MS).toISOString())
    if (pending.length === 0) {
      polled.clear()
      return
    }
    const channel = deps.channels.voice()
    if (channel === null || 'error' in channel) return
    for (const page of pending) {
      if (now - (polled.get(page.id) ?? -Infinity) < CALL_POLL_MS) continue
      polled.set(page.id, now)
      const ended = await channel.ended(page.providerId!)
      if (!ended || !escalations.setCallOutcome(page.id, ended)) continue
      polled.delete(page.id)
      audit.record(
        ACTOR,
        ended === 'answered' ? 'oncall.callAnswered' : 'oncall.callUnanswered',
        `oncall:${page.escalationId}`,
        { person: page.name, outcome: ended },
      )
      publish(page.escalationId)
    }
  }

  /** Pages the person at the escalation's current step. */
  async function pageCurrent(id: number): Promise<void> {
    const e = escalations.get(id)
    if (!e || e.state !== 'open') return
    const step = e.chain[e.step]
    if (!step) return
    const settings = roster.settings()
    const person = roster.person(step.personId)
    if (!person) {
      recordPage(e, { id: step.personId, name: step.name }, 'telegram', {
        outcome: 'failed',
        error: 'la persona non è più in Reperibilità',
      })
      escalations.postpone(e.id, iso())
      publish(e.id)
      return
    }
    const shiftLabel =
      e.shiftId === null ? null : (roster.shifts().find((s) => s.id === e.shiftId)?.label ?? null)
    const next = e.chain[e.step + 1]?.name ?? null
    let delivered = false
    let telegramError: string | undefined

    if (person.telegramChatId) {
      const channel = deps.channels.bot()
      if ('error' in channel) telegramError = channel.error
      else {
        const text = pageText(
          { title: e.title, body: e.body, shiftLabel: shiftLabel || null },
          e.step + 1,
          e.chain.length,
          next,
          settings.escalateAfterMinutes,
        )
        const r = await channel.bot.sendMessage(person.telegramChatId, text, keyboard(e.id))
        if (r.ok) {
          delivered = true
          recordPage(e, person, 'telegram', {
            outcome: channel.simulated ? 'simulated' : 'sent',
            chatId: person.telegramChatId,
            messageId: r.result.messageId,
          })
        } else telegramError = r.reason
      }
      if (telegramError)
        recordPage(e, person, 'telegram', { outcome: 'failed', error: telegramError })
    }
    if (person.phone) {
      const channel = deps.channels.sms()
      // No SMS account is a choice of the office, not a failure, once Telegram got through.
      if ('error' in channel) {
        if (!delivered) recordPage(e, person, 'sms', { outcome: 'failed', error: channel.error })
      } else {
        const r = await channel.send(
          person.phone,
          person.name,
          pageSms(e.title),
          `oncall:${e.id}:${e.round}:${e.step}`,
        )
        if (r.ok) delivered = true
        recordPage(
          e,
          person,
          'sms',
          r.ok
            ? { outcome: channel.simulated ? 'simulated' : 'sent' }
            : { outcome: 'failed', error: r.reason },
        )
      }
    }
    if (person.phone && (await ring(e, person, person.phone))) delivered = true
    if (!delivered) {
      // Nobody reached: the next one is paged at the next tick instead of after the wait.
      audit.record(ACTOR, 'oncall.unreachable', `oncall:${e.id}`, { person: person.name })
      escalations.postpone(e.id, iso())
    }
    // Taken while this page was on its way: this person hears it too, and loses the buttons.
    const after = escalations.get(e.id)
    if (after && after.state !== 'open' && after.state !== 'unanswered') {
      await tell(after, person.id, true)
    }
    publish(e.id)
  }

  /** Tells the people paged (all, or this one only) who took it, and removes their buttons. */
  async function tell(e: EscalationRow, only?: number, onlyThis = false): Promise<void> {
    const pages = escalations.pages(e.id).filter((p) => p.outcome !== 'failed')
    const how = e.state === 'dismissed' ? 'dismissed' : 'taken'
    const by =
      e.closedVia === 'room' ? `${e.closedBy ?? 'la sala'} (in sala)` : (e.closedBy ?? 'un collega')
    const text = closedText(e.title, by, e.closedAt ?? iso(), how)
    const bot = deps.channels.bot()
    const told: string[] = []
    const people = [...new Set(pages.map((p) => p.personId))].filter((id) =>
      onlyThis ? id === only : id !== e.closedByPerson,
    )
    for (const personId of people) {
      const person = roster.person(personId)
      if (!person) continue
      const viaTelegram = pages.some((p) => p.personId === personId && p.channel === 'telegram')
      if (viaTelegram && person.telegramChatId && !('error' in bot)) {
        const r = await bot.bot.sendMessage(person.telegramChatId, text)
        if (r.ok) told.push(person.name)
        else deps.log.warn('oncall', `avviso a ${person.name} non inviato: ${r.reason}`)
        continue
      }
      const sms = deps.channels.sms()
      if (person.phone && !('error' in sms)) {
        const r = await sms.send(
          person.phone,
          person.name,
          `Vedetta: ${text}`,
          `oncall:${e.id}:told:${personId}`,
        )
        if (r.ok) told.push(person.name)
        else deps.log.warn('oncall', `avviso a ${person.name} non inviato: ${r.reason}`)
      }
    }
    if (!('error' in bot)) {
      // Whoever took a bulletin's page keeps «Apri bozza»: the draft is theirs to approve.
      const keepsDraft =
        e.state === 'acknowledged' &&
        e.closedVia === 'telegram' &&
        deps.drafts?.offersDraft(e) === true
      for (const p of pages) {
        if (p.chatId === null || p.messageId === null) continue
        if (onlyThis && p.personId !== only) continue
        const r =
          keepsDraft && p.personId === e.closedByPerson
            ? await bot.bot.setKeyboard(p.chatId, p.messageId, [
                [{ text: BUTTONS.draft, callbackData: callbackData(e.id, 'draft') }],
              ])
            : await bot.bot.removeKeyboard(p.chatId, p.messageId)
        if (!r.ok) deps.log.warn('oncall', `pulsanti non rimossi (${p.name}): ${r.reason}`)
      }
    }
    if (told.length) audit.record(ACTOR, 'oncall.told', `oncall:${e.id}`, { people: told })
  }

  /** An answer to a button press: the toast, or a message when the press is too old to answer. */
  async function answer(queryId: string, chatId: string, text: string): Promise<void> {
    const bot = deps.channels.bot()
    if ('error' in bot) {
      deps.log.warn('oncall', `risposta al pulsante non inviata: ${bot.error}`)
      return
    }
    const r = await bot.bot.answerCallbackQuery(queryId, text)
    if (!r.ok) {
      deps.log.warn('oncall', `answerCallbackQuery: ${r.reason}`)
      await bot.bot.sendMessage(chatId, text)
    }
  }

  async function message(chatId: string, text: string): Promise<void> {
    const bot = deps.channels.bot()
    if ('error' in bot) return
    const r = await bot.bot.sendMessage(chatId, text)
    if (!r.ok) deps.log.warn('oncall', `messaggio non inviato: ${r.reason}`)
  }

  const secondsSince = (from: string, to: string) =>
    Math.round((Date.parse(to) - Date.parse(from)) / 1000)

  async function raise(trigger: Trigger): Promise<number | undefined> {
    // No shifts at all: the office does not use on call (yet), and Stato stays quiet.
    const shifts = roster.shifts()
    if (shifts.length === 0) return undefined
    const settings = roster.settings()
    const at = deps.now()
    const who = onCallAt(
      {
        shifts,
        people: roster.people(),
        exceptionsOn: (day) => roster.exceptionsOn(day),
      },
      at.getTime(),
    )
    const chain = who.chain.map((s) => ({ personId: s.personId, name: s.name }))
    const staffed = chain.length > 0
    const id = escalations.insert({
      kind: trigger.kind,
      key: trigger.key,
      params: trigger.params,
      title: trigger.title,
      body: trigger.body,
      draft: trigger.draft,
      shiftId: who.shift?.id ?? null,
      chain,
      state: staffed ? 'open' : 'unstaffed',
      startedAt: at.toISOString(),
      nextAt: staffed
        ? new Date(at.getTime() + settings.escalateAfterMinutes * 60_000).toISOString()
        : null,
    })
    if (id === undefined) return undefined
    audit.record(ACTOR, staffed ? 'oncall.triggered' : 'oncall.unstaffed', `oncall:${id}`, {
      kind: trigger.kind,
      title: trigger.title,
      shift: who.shift?.label ?? null,
      chain: chain.map((c) => c.name),
    })
    if (!staffed) {
      refreshHealth()
      publish(id)
      return id
    }
    publish(id)
    await pageCurrent(id)
    return id
  }

  /** The room takes charge (an operator, or the bulletin's banner acknowledged in the room). */
  function acknowledge(id: number, operator: string): EscalationView {
    const e = escalations.get(id)
    if (!e) throw notFound(`escalation ${id}`)
    const at = iso()
    if (
      !escalations.close(id, {
        state: 'acknowledged',
        at,
        by: operator,
        byPerson: null,
        via: 'room',
      })
    )
      throw new CoreError('conflict', `escalation ${id} is already closed (${e.state})`)
    audit.record(operator, 'oncall.acknowledged', `oncall:${id}`, {
      via: 'room',
      afterSeconds: secondsSince(e.startedAt, at),
    })
    const closed = escalations.get(id)!
    refreshHealth()
    publish(id)
    track(tell(closed))
    return escalations.view(closed)
  }

  return {
    /**
     * Starts an escalation for a trigger and pages the first on call; undefined when one is
     * already open for the same trigger, or when the roster has no shifts at all (on call is
     * not in use). With shifts but nobody on call now it is recorded as unstaffed and Stato
     * says so.
     */
    raise(trigger: Trigger): Promise<number | undefined> {
      const work = raise(trigger)
      track(work)
      return work
    },

    /** Moves on every escalation whose wait is over: the next in the chain, or unanswered. */
    tick(): Promise<void> {
      if (ticking) return ticking
      ticking = (async () => {
        const settings = roster.settings()
        for (const e of escalations.due(iso())) {
          let round = e.round
          let step = e.step + 1
          if (step >= e.chain.length) {
            step = 0
            round++
          }
          const at = deps.now()
          if (round > settings.rounds) {
            const closed = escalations.close(
              e.id,
              { state: 'unanswered', at: at.toISOString(), by: null, byPerson: null, via: null },
              true,
            )
            if (closed) {
              audit.record(ACTOR, 'oncall.unanswered', `oncall:${e.id}`, {
                title: e.title,
                rounds: settings.rounds,
              })
              refreshHealth()
              publish(e.id)
            }
            continue
          }
          const nextAt = new Date(
            at.getTime() + settings.escalateAfterMinutes * 60_000,
          ).toISOString()
          if (!escalations.advance(e, { round, step, nextAt })) continue
          audit.record(ACTOR, 'oncall.escalated', `oncall:${e.id}`, {
            from: e.chain[e.step]?.name ?? null,
            to: e.chain[step]?.name ?? null,
            round,
            position: step + 1,
          })
          await pageCurrent(e.id)
        }
        await watchCalls()
      })().finally(() => {
        ticking = undefined
      })
      return ticking
    },

    /**
     * Button presses on pages, as getUpdates delivers them. Decided at once, in one
     * transaction with the press's callback_query id (so the same press again is refused);
     * the answers to the phones follow in the background. A press from a chat that is not a
     * person on the roster does nothing at all.
     */
    handleUpdate(update: unknown): CallbackResult {
      const q = objectField(update, 'callback_query')
      if (!q) return { outcome: 'not_callback' }
      const queryId = stringField(q, 'id')
      const fromId = numberField(objectField(q, 'from'), 'id')
      const msg = objectField(q, 'message')
      const chatId = numberField(objectField(msg, 'chat'), 'id')
      const messageId = numberField(msg, 'message_id')
      const person = fromId === undefined ? undefined : roster.personByChat(String(fromId))
      if (
        !queryId ||
        !person?.telegramChatId ||
        (chatId !== undefined && String(chatId) !== person.telegramChatId)
      ) {
        deps.log.warn('oncall', 'pulsante da una chat che non è in Reperibilità: ignorato')
        return { outcome: 'unknown_chat' }
      }
      const personChat = person.telegramChatId
      const data = parseCallbackData(stringField(q, 'data'))
      const at = iso()
      const decision = deps.db.transaction(() => {
        const e = data ? escalations.get(data.escalationId) : undefined
        const page =
          messageId === undefined ? undefined : escalations.pageByMessage(personChat, messageId)
        const genuine =
          data !== undefined &&
          e !== undefined &&
          page?.escalationId === e.id &&
          page.personId === person.id
        let outcome: CallbackOutcome
        if (!genuine || !e || !data) outcome = 'refused_foreign'
        else if (data.action === 'draft') outcome = 'draft'
        else if (e.state !== 'open' && e.state !== 'unanswered') outcome = 'refused_closed'
        else outcome = data.action === 'take' ? 'taken' : 'dismissed'
        const fresh = escalations.recordCallback({
          id: queryId,
          at,
          chatId: personChat,
          escalationId: e?.id ?? null,
          action: data?.action ?? 'unknown',
          outcome,
        })
        if (!fresh) return undefined
        if (e && (outcome === 'taken' || outcome === 'dismissed')) {
          escalations.close(e.id, {
            state: outcome === 'taken' ? 'acknowledged' : 'dismissed',
            at,
            by: person.name,
            byPerson: person.id,
            via: 'telegram',
          })
        }
        return { outcome, e }
      })()
      if (!decision) {
        deps.log.warn('oncall', 'pulsante già ricevuto (stesso callback_query id): rifiutato')
        return { outcome: 'replay' }
      }
      const { outcome, e } = decision
      const subject = e ? `oncall:${e.id}` : null
      switch (outcome) {
        case 'refused_foreign':
          audit.record(person.name, 'oncall.refused', subject, { reason: 'not_this_page' })
          track(answer(queryId, personChat, 'Questo pulsante non è valido.'))
          break
        case 'refused_closed':
          audit.record(person.name, 'oncall.refused', subject, {
            reason: 'closed',
            closedBy: e?.closedBy ?? null,
          })
          track(answer(queryId, personChat, e ? lateText(e) : 'Chiamata chiusa.'))
          break
        case 'draft': {
          let shown: ReturnType<NonNullable<EngineDeps['drafts']>['draftFor']>
          try {
            shown = e ? deps.drafts?.draftFor(e, person) : undefined
          } catch (err) {
            // The proposal still goes to the phone; the room reads why in the log.
            deps.log.error('oncall', err)
            shown = undefined
          }
          const texts = shown?.messages ?? [
            e?.draft ?? `Nessuna bozza per questa chiamata: ${e?.title ?? ''}`,
          ]
          audit.record(person.name, 'oncall.draftShown', subject, {
            via: 'Telegram',
            ...shown?.detail,
          })
          track(
            (async () => {
              await answer(queryId, personChat, 'Ti mando la bozza qui in chat.')
              for (const text of texts) await message(personChat, text)
            })(),
          )
          // A draft to approve: the room's bot is read often while it waits (press-watch.ts).
          if (shown && e) publish(e.id)
          break
        }
        case 'taken':
        case 'dismissed': {
          const closed = e ? escalations.get(e.id) : undefined
          if (!closed) break
          audit.record(
            person.name,
            outcome === 'taken' ? 'oncall.acknowledged' : 'oncall.dismissed',
            subject,
            {
              via: 'telegram',
              afterSeconds: secondsSince(closed.startedAt, at),
              round: closed.round,
              position: closed.step + 1,
            },
          )
          refreshHealth()
          publish(closed.id)
          const confirm =
            outcome === 'taken'
              ? `Hai preso in carico: ${closed.title}. Gli altri reperibili sono avvisati.`
              : `Segnata come non per noi: ${closed.title}. Gli altri reperibili sono avvisati.`
          track(
            (async () => {
              await answer(
                queryId,
                personChat,
                outcome === 'taken' ? 'Presa in carico.' : 'Chiusa.',
              )
              await message(personChat, confirm)
              await tell(closed)
            })(),
          )
          break
        }
      }
      return { outcome, ...(e ? { escalationId: e.id } : {}) }
    },

    acknowledge,

    /** The banner of a bulletin was acknowledged in the room: its escalations stop. */
    bulletinSeen(itemId: number): void {
      for (const e of escalations.openForBulletin(itemId)) {
        try {
          acknowledge(e.id, 'sala')
        } catch (err) {
          if (!(err instanceof CoreError && err.code === 'conflict')) throw err
        }
      }
    },

    /** Resolves once the answers and notices already decided have been sent (or failed). */
    async idle(): Promise<void> {
      while (pending.size > 0 || ticking) await Promise.allSettled([...pending, ticking])
    },

    refreshHealth,

    /** Keeps network work started elsewhere in the module until settled (see `idle`). */
    track,
  }
}

export type EscalationEngine = ReturnType<typeof createEscalationEngine>
