export {
  harnessCredentials,
  harnessDpopKey,
  pushAuthorizationRequest,
  type SignInOptions,
  signInOverHttp,
  type TokenSet,
  tokenRequest,
} from './browser-flow';
export { CookieJar } from './cookie-jar';
export { type RawResponse, rawRequest } from './raw-request';
export {
  type StartAuthServiceOptions,
  startAuthService,
  TEST_SECRETS,
  type TestAuthService,
} from './start-auth-service';
