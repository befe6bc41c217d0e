// The numbers of the password rule, without its checks: importable by browser code (form hints) at no cost.

/** Shortest password anyone may set (counted in characters, not bytes). */
export const PASSWORD_MIN_LENGTH = 8;
/** Longest password: argon2 takes any length, this only bounds the work one request can ask for. */
export const PASSWORD_MAX_LENGTH = 1024;
/** A password of fewer different characters (`aaaaaaaa`, `12121212`) is refused. */
export const PASSWORD_MIN_DISTINCT_CHARACTERS = 5;

/** The rule in one sentence, for the hint beside a new-password field. */
export const PASSWORD_RULE_HINT = `At least ${PASSWORD_MIN_LENGTH} characters, ${PASSWORD_MIN_DISTINCT_CHARACTERS} of them different; not a common password or your email.`;
