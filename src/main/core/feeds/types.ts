/** The feed shapes are shared with the renderer (src/shared/feeds). */
export * from '../../../shared/feeds/types'
