/**
 * How long a send takes: the preview's estimate per channel, its warning
 * past the ente's limit, the board's time left, and what an account's rate
 * means for the largest list (Configurazione → Canali).
 */
export default {
  it: {
    sendTime: {
      family: {
        sms: 'SMS',
        email: 'e-mail',
        telegram: 'Telegram',
        voice: 'chiamate',
        whatsapp: 'WhatsApp',
        facebook: 'Facebook',
        x: 'X',
        mastodon: 'Mastodon',
        bluesky: 'Bluesky',
        website: 'sito web',
      },
      duration: {
        under_minute: 'meno di 1 min',
        minutes: '≈ {minutes} min',
        hours: '≈ {hours} h {minutes} min',
      },
      estimate: '{channel}: {n} a {rate}/s {duration}',
      estimateCalls: '{channel}: {n}, {slots} alla volta {duration}',
      tooLong:
        'Invio lungo: {channel} impiegherebbe {duration}, oltre il limite di {limit} minuti. Alza il ritmo dell’account se il fornitore lo consente, o cambia il limite in Configurazione → Ente → Durata massima di un invio.',
      left: 'mancano {duration}',
      leftDone: 'finito',
      leftStalled: 'fermo da un minuto',
      leftSource: { observed: 'al ritmo osservato', configured: 'al ritmo dell’account' },
      rateHint: '{rate}/s: {n} {channel} in {duration} (la lista più grande).',
      rateHintExample: '{rate}/s: {n} {channel} in {duration} (per esempio).',
    },
  },
  en: {
    sendTime: {
      family: {
        sms: 'SMS',
        email: 'e-mail',
        telegram: 'Telegram',
        voice: 'calls',
        whatsapp: 'WhatsApp',
        facebook: 'Facebook',
        x: 'X',
        mastodon: 'Mastodon',
        bluesky: 'Bluesky',
        website: 'website',
      },
      duration: {
        under_minute: 'under 1 min',
        minutes: '≈ {minutes} min',
        hours: '≈ {hours} h {minutes} min',
      },
      estimate: '{channel}: {n} at {rate}/s {duration}',
      estimateCalls: '{channel}: {n}, {slots} at a time {duration}',
      tooLong:
        'Long send: {channel} would take {duration}, beyond the limit of {limit} minutes. Raise the account’s rate if the provider allows it, or change the limit in Configuration → Authority → Longest acceptable send.',
      left: '{duration} left',
      leftDone: 'done',
      leftStalled: 'stalled for a minute',
      leftSource: { observed: 'at the pace seen', configured: 'at the account’s rate' },
      rateHint: '{rate}/s: {n} {channel} in {duration} (the largest list).',
      rateHintExample: '{rate}/s: {n} {channel} in {duration} (for example).',
    },
  },
}
