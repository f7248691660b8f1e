/** The spoken text of a voice call in the composer: its duration and a preview to listen to. */
export default {
  it: {
    voicePreview: {
      estimate: 'circa {n} secondo | circa {n} secondi',
      estimateHint: 'Stima per una voce sintetica italiana a 150 parole al minuto, pause comprese.',
      listen: 'Ascolta anteprima',
      stop: 'Ferma anteprima',
      unsupported:
        'Questo browser non sa leggere ad alta voce: l’anteprima non è disponibile. La chiamata userà la voce del fornitore.',
      failed: 'L’anteprima vocale si è interrotta ({error}).',
      defaultVoice:
        'Nessuna voce italiana installata su questo computer: l’anteprima usa la voce predefinita, in italiano.',
    },
  },
  en: {
    voicePreview: {
      estimate: 'about {n} second | about {n} seconds',
      estimateHint: 'Estimate for an Italian synthesised voice at 150 words a minute, with pauses.',
      listen: 'Play preview',
      stop: 'Stop preview',
      unsupported:
        'This browser cannot read aloud: the preview is not available. The call will use the provider’s voice.',
      failed: 'The spoken preview stopped ({error}).',
      defaultVoice:
        'No Italian voice is installed on this computer: the preview uses the default voice, in Italian.',
    },
  },
}
