/**
 * What a channel account's connection check found, as a code with parameters that the
 * room words in the operator's language. The adapter's own Italian sentence travels beside
 * it (`message`) for the journal and for codes the room has no words for.
 *
 * Passed checks have one code per provider, naming what answered. A failed check carries
 * the failure's code (the same codes as a failed send: `auth`, `permission`, `rate_limited`…)
 * or a `transport_*` code when the provider could not be heard at all, plus the provider's
 * own words (`providerText`) where it gave any: evidence for ICT, never translated.
 */
export const CHECK_PASSED_CODES = [
  'smtp_reachable',
  'sms_gateway_login',
  'smpp_bound',
  'twilio_account',
  'vonage_application',
  'whatsapp_cloud_number',
  'telegram_bot',
  'facebook_page',
  'x_account',
  'mastodon_account',
  'bluesky_login',
  'website_folder',
  'website_site',
  'youtube_channel',
  'simulated',
] as const
export type CheckPassedCode = (typeof CHECK_PASSED_CODES)[number]

/** The provider could not be heard: no answer in time, the check was stopped, the answer was too big, or no connection. */
export const CHECK_TRANSPORT_CODES = [
  'transport_timeout',
  'transport_aborted',
  'transport_too_large',
  'transport_network',
] as const

export type CheckParams = Record<string, string | number>
