/**
 * The actor recorded when nobody has given their name in the page (the loopback host's
 * default). The room shows it in the operator's language ("an unnamed operator"), never as
 * this stored word.
 */
export const UNNAMED_OPERATOR = 'operatore'
