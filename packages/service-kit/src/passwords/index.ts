export {
  currentPasswordSchema,
  newPasswordSchema,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_DISTINCT_CHARACTERS,
  PASSWORD_MIN_LENGTH,
  PASSWORD_RULE_HINT,
  type PasswordContext,
  passwordProblems,
} from './password-policy';
