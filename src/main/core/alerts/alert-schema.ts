/** Moved to src/shared/alerts so the contract and the renderer share them. */
export * from '../../../shared/alerts/alert-schema'
