/** Partner institutions that relay alerts on their own pages. */
export { createPartnersRepository, type PartnersRepository } from './partners-repository'
