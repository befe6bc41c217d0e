export {
  currentPasswordSchema,
  newPasswordSchema,
  type PasswordContext,
  passwordProblems,
} from './password-policy';
export {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_DISTINCT_CHARACTERS,
  PASSWORD_MIN_LENGTH,
  PASSWORD_RULE_HINT,
} from './password-rule';
