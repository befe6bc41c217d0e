import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('never writes credentials: headers, passwords and tokens are redacted', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: 'test', destination });
    logger.info(
      {
        req: { headers: { authorization: 'Bearer eyJhbGciOi.secret', cookie: 'session=abc' } },
        body: { password: 'hunter22', refresh_token: 'rt-123', email: 'a@example.com' },
      },
      'request',
    );
    const line = lines.join('');
    expect(line).not.toContain('eyJhbGciOi');
    expect(line).not.toContain('session=abc');
    expect(line).not.toContain('hunter22');
    expect(line).not.toContain('rt-123');
    expect(line).toContain('a@example.com');
    expect(JSON.parse(line)).toMatchObject({ service: 'test', msg: 'request' });
  });
});
