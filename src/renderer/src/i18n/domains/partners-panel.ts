export default {
  it: {
    partnersPanel: {
      none: 'Nessun rilancio richiesto di recente.',
      minutes: '{n} min',
      hours: '{h} h {m} min',
      waiting: 'in attesa da {time}',
      after: 'dopo {time}',
    },
  },
  en: {
    partnersPanel: {
      none: 'No relay asked recently.',
      minutes: '{n} min',
      hours: '{h} h {m} min',
      waiting: 'waiting for {time}',
      after: 'after {time}',
    },
  },
}
