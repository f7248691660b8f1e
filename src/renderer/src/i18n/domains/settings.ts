/** Messages of Configurazione → Ente: the office's own values the templates use. */
export default {
  it: {
    ente: {
      tab: 'Ente',
      title: 'Dati dell’ente',
      intro:
        'Valori che i modelli riempiono da soli in ogni messaggio: chi parla, dove leggere gli aggiornamenti, il numero di emergenza e l’hashtag dei post.',
      fixErrors: 'Correggi i campi segnalati.',
      save: 'Salva',
      saved: 'Dati dell’ente salvati.',
      failed: 'Non è stato possibile salvare: {message}',
      fields: {
        ente: {
          label: 'Nome dell’ente',
          hint: 'Firma di e-mail e messaggi. Per esempio «Protezione civile Empolese Valdelsa».',
        },
        link: {
          label: 'Link degli aggiornamenti',
          hint: 'La pagina dove i cittadini trovano orari e consigli. Un indirizzo completo, https://…',
        },
        numeroEmergenza: {
          label: 'Numero di emergenza',
          hint: 'Il numero da chiamare, scritto come va letto. Per esempio 112.',
        },
        hashtag: {
          label: 'Hashtag dei post',
          hint: 'Chiude i post su X, Facebook, Mastodon, Bluesky e Telegram. Vuoto: nessun hashtag.',
        },
      },
      sending: {
        legend: 'Invii',
        limit: {
          label: 'Durata massima di un invio (minuti)',
          hint: 'L’anteprima avvisa quando un canale impiegherebbe più di questi minuti a raggiungere tutti, al ritmo del suo account. Predefinito: 10.',
        },
      },
    },
    sendingSetting: {
      ente: 'Imposta il nome dell’ente in Configurazione → Ente.',
      link: 'Imposta il link dell’ente in Configurazione → Ente.',
      numero_emergenza: 'Imposta il numero di emergenza in Configurazione → Ente.',
      hashtag: 'Imposta l’hashtag dell’ente in Configurazione → Ente.',
    },
  },
  en: {
    ente: {
      tab: 'Authority',
      title: 'The authority’s details',
      intro:
        'Values the templates fill in by themselves in every message: who speaks, where to read updates, the emergency number and the posts’ hashtag.',
      fixErrors: 'Fix the fields marked.',
      save: 'Save',
      saved: 'The authority’s details were saved.',
      failed: 'Could not save: {message}',
      fields: {
        ente: {
          label: 'Name of the authority',
          hint: 'Signs e-mails and messages. For example “Protezione civile Empolese Valdelsa”.',
        },
        link: {
          label: 'Link to updates',
          hint: 'The page where citizens find times and advice. A full address, https://…',
        },
        numeroEmergenza: {
          label: 'Emergency number',
          hint: 'The number to call, written as it should be read. For example 112.',
        },
        hashtag: {
          label: 'Hashtag of posts',
          hint: 'Ends the posts on X, Facebook, Mastodon, Bluesky and Telegram. Empty: no hashtag.',
        },
      },
      sending: {
        legend: 'Sending',
        limit: {
          label: 'Longest acceptable send (minutes)',
          hint: 'The preview warns when a channel would take longer than this to reach everyone, at its account’s rate. Default: 10.',
        },
      },
    },
    sendingSetting: {
      ente: 'Set the authority’s name in Configuration → Authority.',
      link: 'Set the authority’s link in Configuration → Authority.',
      numero_emergenza: 'Set the emergency number in Configuration → Authority.',
      hashtag: 'Set the authority’s hashtag in Configuration → Authority.',
    },
  },
}
