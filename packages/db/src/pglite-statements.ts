import { type PGlite, parse, protocol } from '@electric-sql/pglite';
import type { QueryResult } from './database';

type BackendMessage = Parameters<typeof parse.parseResults>[0][number];

/** What preparing a statement once tells every later run of it. */
interface Prepared {
  sql: string;
  /** Parameter type oids, from the statement's description (for PGlite's serializers). */
  paramTypes: number[];
  /** The statement's row description; undefined when it returns no rows. */
  rowDescription: BackendMessage | undefined;
}

const { serialize } = protocol;
/** PostgreSQL truncates identifiers beyond 63 bytes; two long names could then collide. */
const STATEMENT_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((size, part) => size + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/**
 * Named prepared statements on PGlite, which its `query()` does not offer: that one sends Parse,
 * Describe, Bind, Describe, Execute and Sync as six round trips into the WebAssembly backend on every
 * call. Here the statement is parsed and described once per name; each run is one round trip of Bind,
 * Execute and Sync, decoded with the row description kept from the first time — for the profile
 * lookup about a fifth of the CPU. Runs take PGlite's own locks (no other query or transaction
 * interleaves) and end with its `syncToFs()`, like `query()`.
 */
export function createPgliteStatements(lite: PGlite) {
  const prepared = new Map<string, Prepared>();
  const exec = async (parts: Uint8Array[]) =>
    (await lite.execProtocol(concat(parts), { syncToFs: false })).messages;

  async function prepare(name: string, sql: string): Promise<Prepared> {
    const messages = await exec([
      serialize.parse({ name, text: sql }),
      serialize.describe({ type: 'S', name }),
      serialize.sync(),
    ]);
    return {
      sql,
      paramTypes: parse.parseDescribeStatementResults(messages),
      rowDescription: messages.find((m) => m.name === 'rowDescription'),
    };
  }

  return async function namedQuery<R>(name: string, sql: string, params: unknown[] = []) {
    if (!STATEMENT_NAME.test(name)) throw new Error(`@bff-auth/db: invalid statement name "${name}"`);
    return lite._runExclusiveTransaction(() =>
      lite.runExclusive(async (): Promise<QueryResult<R>> => {
        let statement = prepared.get(name);
        if (statement && statement.sql !== sql)
          throw new Error(`@bff-auth/db: statement "${name}" was prepared with other SQL`);
        if (!statement) {
          statement = await prepare(name, sql);
          prepared.set(name, statement);
        }
        const { paramTypes, rowDescription } = statement;
        const values = params.map((value, i) => {
          if (value === null || value === undefined) return null;
          const serializer = lite.serializers[paramTypes[i]!];
          return serializer ? serializer(value) : String(value);
        });
        const messages = await exec([
          serialize.bind({ statement: name, values }),
          serialize.execute({}),
          serialize.sync(),
        ]);
        await lite.syncToFs();
        const [result] = parse.parseResults(
          rowDescription ? [rowDescription, ...messages] : messages,
          lite.parsers,
        );
        return { rows: (result?.rows ?? []) as R[] };
      }),
    );
  };
}
