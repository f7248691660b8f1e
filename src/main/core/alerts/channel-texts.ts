import type { ChannelFamily } from '../../../shared/channels/kinds'
import type { AlertTexts } from './alert-schema'

/** The text (and e-mail subject) an alert sends on one channel family. */
export interface ChannelText {
  text: string
  subject?: string
}

/** Picks the approved text of a family from the alert's per-variant texts. */
export function channelText(texts: AlertTexts, family: ChannelFamily): ChannelText {
  switch (family) {
    case 'email':
      return { text: texts.email_body, subject: texts.email_subject }
    case 'sms':
    case 'telegram':
    case 'facebook':
    case 'x':
    case 'mastodon':
    case 'bluesky':
    case 'website':
    case 'voice':
      return { text: texts[family] }
    // WhatsApp sends the approved template, filled from the alert's fields by the adapter;
    // YouTube takes no post: an alert reaches it only as a link in other channels' texts.
    case 'whatsapp':
    case 'youtube':
      return { text: '' }
  }
}
