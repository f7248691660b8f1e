export default {
  it: {
    feeds: {
      title: 'Fonti dei bollettini',
      intro:
        'I feed ufficiali letti in automatico: CAP, indici Atom di CAP (MeteoAlarm), RSS/Atom, bollettino del Dipartimento. Le zone dicono quali bollettini riguardano noi.',
      add: 'Aggiungi fonte',
      form: 'Fonte di bollettini',
      fields: {
        name: 'Nome',
        kind: 'Formato',
        url: 'Indirizzo del feed',
        interval: 'Ogni quanti secondi',
        zones: 'Zone nostre (una per riga)',
      },
      zonesHelp:
        'Esempi: EMMA_ID:IT009 · 048014 · Empoli · * (tutto). Per i bollettini DPC bastano le zone di allerta dei comuni (Configurazione → Comuni).',
      urlHelpDpc:
        'Il repository del DPC (https://github.com/pcm-dpc/DPC-Bollettini-Criticita-Idrogeologica-Idraulica), una cartella web che elenca files/, oppure una cartella locale (file:///…).',
      kinds: {
        cap: 'Messaggio CAP',
        atom_cap_index: 'Indice Atom di CAP (MeteoAlarm)',
        rss: 'Notizie RSS/Atom',
        dpc_criticita: 'Bollettino di criticità DPC (cartella dei file pubblicati)',
        dpc_vigilanza: 'Bollettino di vigilanza meteo DPC (informativo)',
      },
      status: 'Stato',
      lastOk: 'Ultima lettura riuscita',
      lastError: 'Ultimo errore',
      nextPoll: 'Prossima lettura',
      pollNow: 'Leggi ora',
      reading: 'in lettura',
      saved: 'Fonte «{name}» salvata.',
      deleted: 'Fonte «{name}» eliminata.',
      polled: 'Fonte «{name}» letta: {n} bollettini nuovi o aggiornati.',
      pollFailed: 'Fonte «{name}» non letta: {error}',
    },
  },
  en: {
    feeds: {
      title: 'Bulletin sources',
      intro:
        'Official feeds read automatically: CAP, Atom indexes of CAP (MeteoAlarm), RSS/Atom, the Department bulletin. Zones tell which bulletins concern us.',
      add: 'Add source',
      form: 'Bulletin source',
      fields: {
        name: 'Name',
        kind: 'Format',
        url: 'Feed address',
        interval: 'Every how many seconds',
        zones: 'Our zones (one per line)',
      },
      zonesHelp:
        'Examples: EMMA_ID:IT009 · 048014 · Empoli · * (everything). DPC bulletins need only the comuni’s alert zones (Settings → Comuni).',
      urlHelpDpc:
        'The DPC repository (https://github.com/pcm-dpc/DPC-Bollettini-Criticita-Idrogeologica-Idraulica), a web folder listing files/, or a local folder (file:///…).',
      kinds: {
        cap: 'CAP message',
        atom_cap_index: 'Atom index of CAP (MeteoAlarm)',
        rss: 'RSS/Atom news',
        dpc_criticita: 'DPC criticality bulletin (folder of published files)',
        dpc_vigilanza: 'DPC meteorological vigilance bulletin (informational)',
      },
      status: 'Status',
      lastOk: 'Last successful read',
      lastError: 'Last error',
      nextPoll: 'Next read',
      pollNow: 'Read now',
      reading: 'reading',
      saved: 'Source “{name}” saved.',
      deleted: 'Source “{name}” deleted.',
      polled: 'Source “{name}” read: {n} new or updated bulletins.',
      pollFailed: 'Source “{name}” not read: {error}',
    },
  },
}
