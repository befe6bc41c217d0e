export { type AttackContext, createAttackContext, TOKEN_ATTACKS, type TokenAttack } from './attacks';
export { DPOP_ATTACKS, type DpopAttack, type DpopAttackContext } from './dpop-attacks';
export { createDpopTestClient, type DpopTestClient, type ProofOptions } from './dpop-client';
export {
  b64url,
  hmacToken,
  psychicSignatureToken,
  rawRs256Token,
  signingInput,
  unsignedToken,
} from './forge';
export {
  anyMethod,
  FUZZ_RUNS,
  HOSTILE_FRAGMENTS,
  HUNDRED_KB,
  hostileHeaderValue,
  hostileQueryValue,
  hostileText,
} from './hostile-input';
export { type JwksServer, startJwksServer } from './jwks-server';
export {
  createEcKeyPair,
  createIssuerKeys,
  createRsaKeyPair,
  type IssuerKeys,
  type TestKeyPair,
} from './keys';
export { type OutageFixture, startOutageFixture } from './outage-fixture';
export { createTestResourceApp } from './resource-app';
export {
  type ResourceServerFixture,
  startResourceServerFixture,
  TEST_ISSUER,
} from './resource-server-fixture';
export {
  type AccessTokenClaims,
  createTokenFactory,
  nowSec,
  type SignOptions,
  type TokenFactory,
} from './token-factory';
