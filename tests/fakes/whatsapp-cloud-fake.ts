import { randomBytes } from 'node:crypto'
import {
  bearer,
  startFakeHttp,
  type FakeHttpServer,
  type FakeReply,
  type RecordedRequest,
} from './http-fake'

/**
 * A loopback WhatsApp Cloud API (Meta Graph) for one business phone number:
 * `POST /{version}/{phone-number-id}/messages` with a bearer token and a JSON
 * body, `GET /{version}/{phone-number-id}` for the number's profile, Graph's
 * error object (`{error:{message,type,code,error_data:{messaging_product,
 * details},error_subcode,fbtrace_id}}`) with the HTTP statuses Meta uses.
 *
 * It checks what Meta checks: the token (190), `messaging_product`, the
 * template's name and language among the approved ones (132001), paused
 * templates (132015), the number of body parameters (132000), parameters
 * with line breaks, tabs or five spaces (132018), empty ones (131008), the
 * number format (131009), free-form text outside the 24-hour window (131047)
 * and numbers without WhatsApp (131026). Faults: the shared ones (429 with
 * `X-Business-Use-Case-Usage` as Meta sends for 80007, 5xx, slow answers,
 * dropped connections), any Graph error on the next send (`errorNext`,
 * optionally after accepting the message, as Meta's 131000 may), and an outage
 * in which Meta's edge answers 503 and accepts nothing.
 */

export interface FakeCloudTemplate {
  name: string
  language: string
  /** Variables {{1}}…{{n}} of the body. */
  parameters: number
  status: 'APPROVED' | 'PAUSED'
}

export interface FakeCloudMessage {
  id: string
  to: string
  type: string
  template?: { name: string; language: string; parameters: string[] }
  text?: string
}

export interface FakeWhatsappCloud extends FakeHttpServer {
  phoneNumberId: string
  accessToken: string
  templates: FakeCloudTemplate[]
  /** Messages Meta accepted (answered with a wamid or not). */
  messages: FakeCloudMessage[]
  /** Numbers that are not on WhatsApp: sends to them get 131026. */
  notOnWhatsapp(number: string): void
  /** A number that wrote to the business recently: free-form text to it is allowed. */
  openWindow(number: string): void
  /** The next send gets this Graph error; with `accept`, after the message was accepted. */
  errorNext(code: number, options?: { accept?: boolean }): void
  /** Meta's edge is down (503, nothing accepted) until called with false. */
  outage(down: boolean): void
  /** The token expires: calls get 190 with subcode 463. */
  expireToken(): void
}

interface GraphErrorSpec {
  status: number
  type: string
  message: string
  details?: string
}

/** How Meta answers each error code: HTTP status, type and title (from its error reference). */
const GRAPH_ERRORS: Record<number, GraphErrorSpec> = {
  1: { status: 500, type: 'OAuthException', message: 'An unknown error occurred' },
  2: {
    status: 503,
    type: 'OAuthException',
    message: 'Service temporarily unavailable',
  },
  4: { status: 400, type: 'OAuthException', message: '(#4) Application request limit reached' },
  10: {
    status: 403,
    type: 'OAuthException',
    message: '(#10) Application does not have permission for this action',
  },
  100: { status: 400, type: 'OAuthException', message: '(#100) Invalid parameter' },
  190: {
    status: 401,
    type: 'OAuthException',
    message: 'Invalid OAuth access token - Cannot parse access token',
  },
  80007: {
    status: 429,
    type: 'OAuthException',
    message: '(#80007) There have been too many calls to this WhatsApp Business account.',
  },
  130429: {
    status: 400,
    type: 'OAuthException',
    message: '(#130429) Rate limit hit',
    details: 'Cloud API message throughput has been reached.',
  },
  131000: {
    status: 500,
    type: 'OAuthException',
    message: '(#131000) Something went wrong',
    details: 'Message failed to send due to an unknown error.',
  },
  131008: {
    status: 400,
    type: 'OAuthException',
    message: '(#131008) Required parameter is missing',
  },
  131009: {
    status: 400,
    type: 'OAuthException',
    message: '(#131009) Parameter value is not valid',
  },
  131026: {
    status: 400,
    type: 'OAuthException',
    message: '(#131026) Message undeliverable',
    details: 'Unable to deliver message.',
  },
  131047: {
    status: 400,
    type: 'OAuthException',
    message: '(#131047) Re-engagement message',
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  131056: {
    status: 400,
    type: 'OAuthException',
    message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    details: 'Too many messages sent from the sender phone number to the same recipient.',
  },
  132000: {
    status: 400,
    type: 'OAuthException',
    message: '(#132000) Number of parameters does not match the expected number of params',
  },
  132001: {
    status: 404,
    type: 'OAuthException',
    message: '(#132001) Template name does not exist in the translation',
  },
  132015: {
    status: 400,
    type: 'OAuthException',
    message: '(#132015) Template is Paused',
  },
  132018: {
    status: 400,
    type: 'OAuthException',
    message: '(#132018) There was an issue with the parameters in your template.',
    details: 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces',
  },
}

function graphError(
  code: number,
  details?: string,
  subcode?: number,
  regainMinutes = 5,
): FakeReply {
  const spec = GRAPH_ERRORS[code] ?? { status: 400, type: 'OAuthException', message: `(#${code})` }
  const detail = details ?? spec.details
  return {
    status: spec.status,
    ...(code === 80007 || code === 4
      ? {
          headers: {
            'x-business-use-case-usage': JSON.stringify({
              '102290129340398': [
                {
                  type: 'whatsapp',
                  call_count: 100,
                  estimated_time_to_regain_access: regainMinutes,
                },
              ],
            }),
          },
        }
      : {}),
    body: {
      error: {
        message: spec.message,
        type: spec.type,
        code,
        ...(subcode === undefined ? {} : { error_subcode: subcode }),
        ...(detail === undefined
          ? {}
          : { error_data: { messaging_product: 'whatsapp', details: detail } }),
        fbtrace_id: randomBytes(6).toString('base64'),
      },
    },
  }
}

export interface FakeWhatsappCloudOptions {
  phoneNumberId?: string
  accessToken?: string
}

/** Starts the fake Cloud API on 127.0.0.1. */
export async function startFakeWhatsappCloud(
  options: FakeWhatsappCloudOptions = {},
): Promise<FakeWhatsappCloud> {
  const phoneNumberId = options.phoneNumberId ?? '106540352242922'
  const accessToken = options.accessToken ?? 'EAAGfakeWhatsappSystemUserToken0123456789'
  const templates: FakeCloudTemplate[] = [
    { name: 'allerta_protezione_civile', language: 'it', parameters: 3, status: 'APPROVED' },
    { name: 'allerta_protezione_civile', language: 'en', parameters: 3, status: 'APPROVED' },
  ]
  const messages: FakeCloudMessage[] = []
  const withoutWhatsapp = new Set<string>()
  const windows = new Set<string>()
  const scripted: { code: number; accept: boolean }[] = []
  const state = { down: false, expired: false }

  function checkToken(req: RecordedRequest): FakeReply | undefined {
    const token = bearer(req)
    if (!token || token !== accessToken) return graphError(190)
    if (state.expired) return graphError(190, undefined, 463)
    return undefined
  }

  function accept(message: Omit<FakeCloudMessage, 'id'>): FakeCloudMessage {
    const stored = { id: `wamid.${randomBytes(24).toString('base64url')}`, ...message }
    messages.push(stored)
    return stored
  }

  function send(req: RecordedRequest): FakeReply {
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
      string,
      unknown
    >
    if (body.messaging_product !== 'whatsapp')
      return graphError(100, 'The parameter messaging_product is required.')
    const to = typeof body.to === 'string' ? body.to.replace(/^\+/, '') : ''
    if (!/^[1-9]\d{7,14}$/.test(to)) return graphError(131009, 'Invalid phone number')
    const next = scripted.shift()
    if (next) {
      if (next.accept) accept({ to, type: String(body.type) })
      return graphError(next.code)
    }
    if (body.type === 'text') {
      const text = (body.text as { body?: unknown } | undefined)?.body
      if (typeof text !== 'string' || text === '')
        return graphError(131008, 'The parameter text.body is required.')
      if (!windows.has(to)) return graphError(131047)
      const m = accept({ to, type: 'text', text })
      return ok(to, m.id)
    }
    if (body.type !== 'template') return graphError(100, 'Unsupported message type.')
    const t = (body.template ?? {}) as {
      name?: unknown
      language?: { code?: unknown }
      components?: unknown
    }
    const language = t.language?.code
    if (typeof t.name !== 'string' || typeof language !== 'string')
      return graphError(131008, 'The parameters template.name and template.language are required.')
    const template = templates.find((x) => x.name === t.name && x.language === language)
    if (!template)
      return graphError(132001, `template name (${t.name}) does not exist in ${language}`)
    if (template.status === 'PAUSED') return graphError(132015)
    const components = Array.isArray(t.components) ? (t.components as unknown[]) : []
    const bodyComponent = components.find(
      (c) => (c as { type?: unknown } | null)?.type === 'body',
    ) as { parameters?: unknown } | undefined
    const params = Array.isArray(bodyComponent?.parameters)
      ? (bodyComponent.parameters as { type?: unknown; text?: unknown }[])
      : []
    if (params.length !== template.parameters)
      return graphError(
        132000,
        `body: number of localizable_params (${params.length}) does not match the expected number of params (${template.parameters})`,
      )
    const texts: string[] = []
    for (const p of params) {
      if (p.type !== 'text' || typeof p.text !== 'string' || p.text === '')
        return graphError(131008, 'Parameter of type text is missing text value')
      if (/[\n\t]| {5,}/.test(p.text)) return graphError(132018)
      texts.push(p.text)
    }
    if (withoutWhatsapp.has(to)) return graphError(131026)
    const m = accept({
      to,
      type: 'template',
      template: { name: template.name, language, parameters: texts },
    })
    return ok(to, m.id)
  }

  const ok = (to: string, id: string): FakeReply => ({
    status: 200,
    body: {
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: to }],
      messages: [{ id, message_status: 'accepted' }],
    },
  })

  function handle(req: RecordedRequest): FakeReply {
    if (state.down)
      return {
        status: 503,
        headers: { 'content-type': 'text/html' },
        body: '<html><body><h1>503 Service Unavailable</h1></body></html>',
      }
    const m = /^\/(v\d+\.\d+)\/([^/]+)(\/messages)?$/.exec(req.path)
    // Graph's answer for an id that does not exist or that the token cannot see.
    if (!m || m[2] !== phoneNumberId) return graphError(100, undefined, 33)
    const denied = checkToken(req)
    if (denied) return denied
    if (m[3] && req.method === 'POST') return send(req)
    if (!m[3] && req.method === 'GET')
      return {
        status: 200,
        body: {
          id: phoneNumberId,
          display_phone_number: '+39 0571 000000',
          verified_name: 'Protezione Civile Empolese Valdelsa',
          quality_rating: 'GREEN',
        },
      }
    return graphError(100, 'Unsupported request')
  }

  const server = await startFakeHttp(
    handle,
    {
      // Meta says when in minutes, in X-Business-Use-Case-Usage.
      rateLimited: (seconds) =>
        graphError(80007, undefined, undefined, Math.max(1, Math.ceil(seconds / 60))),
      serverError: (status) =>
        status === 503
          ? { status, headers: { 'content-type': 'text/html' }, body: 'Service Unavailable' }
          : graphError(131000),
    },
    { isSend: (req) => req.method === 'POST' },
  )

  return {
    ...server,
    phoneNumberId,
    accessToken,
    templates,
    messages,
    notOnWhatsapp: (number) => withoutWhatsapp.add(number.replace(/^\+/, '')),
    openWindow: (number) => windows.add(number.replace(/^\+/, '')),
    errorNext: (code, opts = {}) => scripted.push({ code, accept: opts.accept ?? false }),
    outage: (down) => {
      state.down = down
    },
    expireToken: () => {
      state.expired = true
    },
  }
}
