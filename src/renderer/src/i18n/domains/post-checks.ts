/**
 * The composer's check panel under each channel's text (shared/text/post-checks.ts):
 * each finding said as the fix. Warnings only: sending is never blocked.
 */
export default {
  it: {
    postChecks: {
      heading: 'Controlli sul testo: {channel}',
      email: 'E-mail (oggetto e testo)',
      none: 'Nessun suggerimento: il testo segue le regole dei messaggi di emergenza.',
      note: 'Sono consigli: non bloccano l’invio.',
      summary:
        'Controlli sul testo {channel}: nessun suggerimento | Controlli sul testo {channel}: 1 suggerimento | Controlli sul testo {channel}: {n} suggerimenti',
      rules: {
        hashtag_missing: 'Manca l’hashtag {hashtag}: aggiungilo in fondo al testo.',
        hashtag_camel_case:
          'Scrivi {hashtag} con l’iniziale maiuscola di ogni parola, come {suggestion}: un lettore di schermo legge le parole invece di compitarle.',
        hashtag_camel_case_plain:
          'Scrivi {hashtag} con l’iniziale maiuscola di ogni parola (per esempio #AllertaMeteoTOS): un lettore di schermo legge le parole invece di compitarle.',
        time_missing:
          'Manca l’orario del messaggio: scrivi per esempio «h16» all’inizio, così un post ricondiviso ore dopo non sembra una notizia nuova.',
        action_first_later:
          'Cosa fare arriva solo alla frase {sentence}: mettilo per primo («Evita i sottopassi…»).',
        action_first_none:
          'Il testo non dice cosa fare: comincia con l’azione («Evita i sottopassi», «Resta ai piani alti»).',
        too_many_words: '{count} parole: resta entro {max}, togli quello che non serve per agire.',
        too_many_sentences: '{count} frasi: resta entro {max}, una cosa per frase.',
        too_many_points:
          '{count} punti elenco: resta entro {max}, gli altri sulla pagina dell’ente.',
        all_caps:
          'In maiuscolo: {words}. Scrivilo in minuscolo: in maiuscolo solo il livello (ARANCIONE).',
        link_missing: 'Manca il link alla pagina dell’ente: aggiungi {link}.',
        link_missing_unset:
          'Manca un link alla pagina dell’ente: aggiungilo (e impostalo in Configurazione → Ente).',
        emoji_only_line:
          'La riga {line} ha solo emoji: aggiungi le parole, un lettore di schermo dice solo i nomi dei simboli.',
      },
    },
  },
  en: {
    postChecks: {
      heading: 'Text checks: {channel}',
      email: 'E-mail (subject and body)',
      none: 'No suggestions: the text follows the rules of emergency messages.',
      note: 'These are suggestions: they never block sending.',
      summary:
        'Text checks {channel}: no suggestions | Text checks {channel}: 1 suggestion | Text checks {channel}: {n} suggestions',
      rules: {
        hashtag_missing: 'The hashtag {hashtag} is missing: add it at the end of the text.',
        hashtag_camel_case:
          'Write {hashtag} with a capital for each word, as {suggestion}: a screen reader then reads its words instead of spelling it out.',
        hashtag_camel_case_plain:
          'Write {hashtag} with a capital for each word (for instance #AllertaMeteoTOS): a screen reader then reads its words instead of spelling it out.',
        time_missing:
          'The time of the message is missing: write for instance “h16” (or “4pm”) at the start, so a post reshared hours later is not taken for news.',
        action_first_later:
          'What to do comes only in sentence {sentence}: put it first (“Avoid underpasses…”).',
        action_first_none:
          'The text does not say what to do: start with the action (“Avoid underpasses”, “Go upstairs”).',
        too_many_words: '{count} words: keep within {max}, cut what is not needed to act.',
        too_many_sentences: '{count} sentences: keep within {max}, one thing per sentence.',
        too_many_points:
          '{count} bullet points: keep within {max}, the others on the authority’s page.',
        all_caps:
          'In capitals: {words}. Write it in lower case: only the level (ORANGE) goes in capitals.',
        link_missing: 'The link to the authority’s page is missing: add {link}.',
        link_missing_unset:
          'A link to the authority’s page is missing: add one (and set it in Configuration → Authority).',
        emoji_only_line:
          'Line {line} holds only emoji: add words, a screen reader only says the symbols’ names.',
      },
    },
  },
}
