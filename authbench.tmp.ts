// Run from a checkout root: npx tsx /work/notes/authbench.ts  — CPU per verifier.authenticate (DPoP) with real Redis.
import { createRevocationStore } from '@bff-auth/revocation';
import { createTestRedis } from '@bff-auth/service-kit/testing';
import { createDpopReplayCache, createTokenVerifier } from '@bff-auth/token-verifier';
import { createDpopTestClient, createIssuerKeys, createTokenFactory, startJwksServer } from '@bff-auth/token-verifier/testing';

const t = await createTestRedis('authbench');
const keys = await createIssuerKeys();
const jwks = await startJwksServer([keys.rsa.publicJwk]);
const tokens = createTokenFactory({ key: keys.rsa, issuer: 'http://i', audience: 'user-api' });
const client = await createDpopTestClient();
const verifier = createTokenVerifier({ issuer: 'http://i', audience: 'user-api', jwksUrl: jwks.jwksUrl,
  revocation: createRevocationStore({ redis: t.redis }), dpop: { mode: 'required', replay: createDpopReplayCache({ redis: t.redis }) } });
const token = await tokens.sign({ claims: { cnf: { jkt: client.jkt } } });
const url = 'http://api.test/api/v1/profiles/me';
const N = Number(process.argv[2] ?? 2000);
const proofs: string[] = [];
for (let i = 0; i < N + 300; i++) proofs.push(await client.proof({ htm: 'GET', htu: url, accessToken: token }));
for (let i = 0; i < 300; i++) await verifier.authenticate({ scheme: 'dpop', token, proof: proofs[i]!, method: 'GET', url });
const c0 = process.cpuUsage(); const t0 = performance.now();
for (let i = 300; i < N + 300; i++) await verifier.authenticate({ scheme: 'dpop', token, proof: proofs[i]!, method: 'GET', url });
const c = process.cpuUsage(c0);
console.log(`${process.cwd()}: ${((c.user + c.system) / N).toFixed(0)} µs CPU, ${((performance.now() - t0) * 1000 / N).toFixed(0)} µs wall per authenticate`);
await jwks.close(); await t.cleanup(); process.exit(0);
