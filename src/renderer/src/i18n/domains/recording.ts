/** The recording a draft's calls play instead of the spoken text. */
export default {
  it: {
    recording: {
      title: 'Registrazione',
      help: 'Al posto del testo letto, le chiamate possono far ascoltare una registrazione (WAV o MP3, fino a 10 MiB). Viene pubblicata nella cartella del sito quando si conferma: il fornitore la scarica da lì.',
      choose: 'Carica una registrazione',
      loaded: '«{name}»: {seconds} s',
      remove: 'Togli la registrazione',
      reading: 'Lettura del file…',
      failed: 'Registrazione non caricata: {message}',
      player: 'Ascolta la registrazione',
    },
  },
  en: {
    recording: {
      title: 'Recording',
      help: 'Instead of the spoken text, calls can play a recording (WAV or MP3, up to 10 MiB). It is published in the website’s folder on confirmation: the provider fetches it from there.',
      choose: 'Upload a recording',
      loaded: '“{name}”: {seconds} s',
      remove: 'Remove the recording',
      reading: 'Reading the file…',
      failed: 'Recording not uploaded: {message}',
      player: 'Play the recording',
    },
  },
}
