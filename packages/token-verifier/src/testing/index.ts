export { type AttackContext, createAttackContext, TOKEN_ATTACKS, type TokenAttack } from './attacks';
export {
  b64url,
  hmacToken,
  psychicSignatureToken,
  rawRs256Token,
  signingInput,
  unsignedToken,
} from './forge';
export { type JwksServer, startJwksServer } from './jwks-server';
export {
  createEcKeyPair,
  createIssuerKeys,
  createRsaKeyPair,
  type IssuerKeys,
  type TestKeyPair,
} from './keys';
export {
  type AccessTokenClaims,
  createTokenFactory,
  nowSec,
  type SignOptions,
  type TokenFactory,
} from './token-factory';
