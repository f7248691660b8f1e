import { describe, expect, it } from 'vitest'
import { matchesFormat, type AccountFormat } from '../../../src/shared/channels/formats'
import { settingsSchema } from '../../../src/shared/channels/settings-schema'
import { toFieldIssues } from '../../../src/shared/validation/issues'
import { validationMessages } from '../../../src/shared/validation/messages'

const HEX = '0123456789abcdef0123456789ABCDEF'

// Per format: values the provider hands out, and values people mistype.
const CASES: Record<AccountFormat, { good: string[]; bad: string[] }> = {
  twilio_account_sid: { good: [`AC${HEX}`], bad: ['AC123', `MG${HEX}`, `AC${HEX}0`, `ac${HEX}`] },
  twilio_content_sid: { good: [`HX${HEX}`], bad: ['allerta_it', `HX${HEX.slice(1)}`] },
  twilio_sender: {
    good: ['+390571123456', '+15005550006', `MG${HEX}`, 'ProtCivile'],
    bad: ['0571 123456', '+39 0571 123456', 'Protezione Civile Empolese', `MG12`],
  },
  whatsapp_sender: {
    good: ['whatsapp:+390571123456', '+390571123456', `MG${HEX}`],
    bad: ['whatsapp:0571123456', 'ProtCivile'],
  },
  phone_e164: {
    good: ['+390571123456', '+393471234567'],
    bad: ['3471234567', '+3934712', '+39 347'],
  },
  vonage_number: { good: ['390571123456', '+390571123456'], bad: ['0571123456', 'ProtCiv'] },
  sms_sender: {
    good: ['ProtCivile', 'PC', '+393471234567', '4321'],
    bad: ['Protezione civile', '12', '+3934712', ''],
  },
  uuid: {
    good: ['aaaaaaaa-bbbb-cccc-dddd-0123456789ab', '3F2504E0-4F89-11D3-9A0C-0305E82C3301'],
    bad: ['aaaaaaaa-bbbb-cccc-dddd', 'application-1'],
  },
  telegram_chat: {
    good: ['-1001234567890', '5550001', '@allerte_empolese'],
    bad: ['allerte_empolese', '@', 'https://t.me/allerte', '@1abc'],
  },
  telegram_bot_token: {
    good: ['123456789:AAFakeTokenForTestsOnly_abcdefghijk'],
    bad: [
      '123:abc',
      'AAFakeTokenForTestsOnly_abcdefghijk',
      'bot123456789:AAFakeTokenForTestsOnly_abcdefgh',
    ],
  },
  graph_id: { good: ['200000000000777'], bad: ['pc.empolese', '12a'] },
  graph_version: { good: ['v23.0', 'v9.1'], bad: ['23.0', 'v23', 'latest'] },
  x_handle: {
    good: ['PCEmpolese', '@pc_empolese'],
    bad: ['pc empolese', '@protezionecivile_empolese'],
  },
  bluesky_handle: {
    good: ['pcempolese.bsky.social', '@protezionecivile.it', 'did:plc:abc123xyz'],
    bad: ['pcempolese', 'pc empolese.bsky.social', 'https://bsky.app/profile/pc'],
  },
  whatsapp_template_name: {
    good: ['allerta_meteo', 'allerta2'],
    bad: ['Allerta Meteo', 'allerta-meteo'],
  },
  whatsapp_language: { good: ['it', 'en_US'], bad: ['italiano', 'it-IT', 'EN'] },
  youtube_channel_id: {
    good: ['UC_x5XG1OV2P6uZZ5FSM9Ttw', 'UCa-b_c0123456789ABCDEF'.padEnd(24, 'x')],
    bad: [
      'UCx5XG1OV2P6uZZ5FSM9Ttw',
      '@protezionecivile',
      'HC_x5XG1OV2P6uZZ5FSM9Ttw',
      'UC_x5XG1OV2P6uZZ5FSM9Ttw!',
    ],
  },
  https_url: {
    good: ['https://mastodon.example.it', 'http://127.0.0.1:8080', 'http://localhost/api'],
    bad: ['http://mastodon.example.it', 'ftp://example.it', 'mastodon.example.it'],
  },
}

describe('the provider’s format of each account value', () => {
  for (const [format, { good, bad }] of Object.entries(CASES) as [
    AccountFormat,
    (typeof CASES)[AccountFormat],
  ][]) {
    it(`${format}: accepts what the provider gives, refuses what is mistyped`, () => {
      for (const v of good) expect(matchesFormat(format, v), v).toBe(true)
      for (const v of bad) expect(matchesFormat(format, v), v).toBe(false)
      // Every format has its message for a person, in Italian and English.
      expect(validationMessages.it[format].length).toBeGreaterThan(20)
      expect(validationMessages.en[format].length).toBeGreaterThan(20)
    })
  }
})

describe('account settings checked by their kind’s formats', () => {
  const issuesOf = (
    kind: Parameters<typeof settingsSchema>[0],
    settings: Record<string, unknown>,
  ) => {
    const r = settingsSchema(kind).safeParse(settings)
    return r.success ? [] : toFieldIssues(r.error)
  }

  it('refuses the Account SID "AC123" on its own field, with the Twilio code', () => {
    const issues = issuesOf('sms_twilio', {
      baseUrl: 'https://api.twilio.com',
      accountSid: 'AC123',
      from: '+390571123456',
    })
    expect(issues).toEqual([{ path: 'accountSid', code: 'twilio_account_sid' }])
  })

  it('accepts a whole, well-formed account of each people kind', () => {
    expect(
      issuesOf('sms_twilio', {
        baseUrl: 'https://api.twilio.com',
        accountSid: `AC${HEX}`,
        from: `MG${HEX}`,
      }),
    ).toEqual([])
    expect(
      issuesOf('whatsapp_twilio', {
        baseUrl: 'https://api.twilio.com',
        accountSid: `AC${HEX}`,
        from: 'whatsapp:+390571123456',
        contentSid: `HX${HEX}`,
        templateVariables: 'titolo,comuni,istruzioni',
      }),
    ).toEqual([])
    expect(
      issuesOf('voice_vonage', {
        baseUrl: 'https://api.nexmo.com',
        applicationId: 'aaaaaaaa-bbbb-cccc-dddd-0123456789ab',
        from: '390571123456',
        language: 'it-IT',
      }),
    ).toEqual([])
  })

  it('names each wrong field of a Mastodon, Telegram and WhatsApp Cloud account', () => {
    expect(
      issuesOf('mastodon', { baseUrl: 'http://mastodon.example.it', visibility: 'public' }),
    ).toEqual([{ path: 'baseUrl', code: 'https_url' }])
    expect(
      issuesOf('telegram', { baseUrl: 'https://api.telegram.org', chatId: 'allerte' }),
    ).toEqual([{ path: 'chatId', code: 'telegram_chat' }])
    const cloud = issuesOf('whatsapp_cloud', {
      baseUrl: 'https://graph.facebook.com',
      apiVersion: '23',
      phoneNumberId: 'numero',
      templateName: 'Allerta Meteo',
      templateLanguage: 'italiano',
      templateVariables: 'titolo',
    })
    expect(cloud.map((i) => `${i.path}:${i.code}`).sort()).toEqual([
      'apiVersion:graph_version',
      'phoneNumberId:graph_id',
      'templateLanguage:whatsapp_language',
      'templateName:whatsapp_template_name',
    ])
  })
})
