/** Messages of the first-run checklist shown in the Sala of a new workspace. */
export default {
  it: {
    firstRun: {
      title: 'Primi passi',
      intro: 'Questa sala non è ancora pronta per un’allerta: mancano {n} passi.',
      done: 'fatto',
      todo: 'da fare',
      hide: 'Nascondi su questo computer',
      ente: {
        title: 'Dati dell’ente',
        intro:
          'Prima di tutto: chi firma i messaggi e dove i cittadini leggono gli aggiornamenti. Tutti i modelli li usano; si cambiano poi in Configurazione → Ente.',
        save: 'Salva i dati dell’ente',
        open: 'Inseriscili qui',
        close: 'Chiudi',
      },
      steps: {
        ente: 'Dati dell’ente e link degli aggiornamenti',
        channel: 'Un canale configurato che supera la verifica',
        contacts: 'Le persone da avvisare (importa i contatti)',
        source: 'Una fonte ufficiale di bollettini attiva',
        zones: 'Le zone di allerta di ogni comune',
        drill: 'Un’esercitazione di prova',
      },
      why: {
        ente: 'i modelli ne hanno bisogno per essere inviati così come sono',
        channel: 'finché nessun canale risponde, niente può partire',
        contacts: 'SMS ed e-mail raggiungono solo chi è nelle liste',
        source: 'i bollettini arrivano da soli e preparano la bozza',
        zones: 'dicono quali bollettini riguardano i nostri comuni',
        drill: 'provare tutto senza raggiungere nessun cittadino',
      },
    },
  },
  en: {
    firstRun: {
      title: 'First steps',
      intro: 'This room is not ready for an alert yet: {n} steps are left.',
      done: 'done',
      todo: 'to do',
      hide: 'Hide on this computer',
      ente: {
        title: 'The authority’s details',
        intro:
          'First of all: who signs the messages and where citizens read the updates. Every template uses them; change them later in Settings → Authority.',
        save: 'Save the authority’s details',
        open: 'Enter them here',
        close: 'Close',
      },
      steps: {
        ente: 'The authority’s details and updates link',
        channel: 'A configured channel that passes its check',
        contacts: 'The people to reach (import contacts)',
        source: 'An active official bulletin source',
        zones: 'The alert zones of each comune',
        drill: 'A trial drill',
      },
      why: {
        ente: 'templates need them to be sent as they are',
        channel: 'until a channel answers, nothing can leave',
        contacts: 'SMS and e-mail reach only those in the lists',
        source: 'bulletins arrive by themselves and prepare the draft',
        zones: 'they tell which bulletins concern our comuni',
        drill: 'try everything without reaching any citizen',
      },
    },
  },
}
