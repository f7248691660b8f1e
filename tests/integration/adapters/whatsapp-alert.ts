import type { AlertDocument } from '../../../src/main/core/channels/adapter'

/** An orange river alert for three comuni, as the outbox hands it to WhatsApp adapters. */
export const RIVER_ALERT: AlertDocument = {
  identifier: 'vedetta-2026-0042',
  sent: '2026-02-07T12:30:00+01:00',
  status: 'Actual',
  msgType: 'Alert',
  references: [],
  event: 'Rischio idraulico',
  level: 'arancione',
  headline: 'Allerta arancione per rischio idraulico',
  description: 'Piena dell’Arno attesa nella notte.',
  instruction: 'Non sostate sui ponti e nei sottopassi.',
  onset: '2026-02-07T14:00:00+01:00',
  expires: '2026-02-08T23:59:00+01:00',
  areas: [{ name: 'Vinci' }, { name: 'Empoli' }, { name: 'Cerreto Guidi' }],
  web: 'https://www.example.org/allerte/vedetta-2026-0042',
}
