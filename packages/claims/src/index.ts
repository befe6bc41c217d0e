export { ACR, ACR_VALUES, type Acr } from './acr';
export {
  type ClaimPath,
  ClaimPathError,
  claimPathProblem,
  DEFAULT_ROLES_CLAIM,
  MAX_CLAIM_PATH_DEPTH,
  MAX_CLAIM_PATH_LENGTH,
  parseClaimPath,
  readClaim,
} from './claim-path';
export { readRoles } from './roles';
