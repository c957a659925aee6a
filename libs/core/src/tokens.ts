/** Nest injection tokens for what is not a class. */
export const JALON_CONFIG = Symbol('JALON_CONFIG');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
export const PROJECTION_STORAGE = Symbol('PROJECTION_STORAGE');
