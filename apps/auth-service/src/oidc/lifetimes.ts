/** Artifact lifetimes of the provider, in seconds (access and refresh tokens: see env and clients.ts). */
export const ID_TOKEN_TTL_SECONDS = 3600;
export const SESSION_TTL_SECONDS = 7 * 24 * 3600;
export const AUTHORIZATION_CODE_TTL_SECONDS = 60;
export const INTERACTION_TTL_SECONDS = 15 * 60;
/** Seconds a just-rotated refresh token may be presented again for the same answer (see refresh-reuse-grace.ts). */
export const REFRESH_REUSE_GRACE_SECONDS = 30;
