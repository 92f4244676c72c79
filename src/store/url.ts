import { LookoutError } from '../errors';

/** Where the store lives, parsed from DATABASE_URL. */
export type DatabaseTarget =
  | { dialect: 'sqlite'; path: string } // ':memory:' for an in-memory database
  | { dialect: 'postgres'; connectionString: string; schema?: string; options?: string };

const ACCEPTED = '`sqlite:<path>`, `sqlite::memory:`, `postgres://…` or `postgresql://…` (optional `?schema=name`)';
// Lower-case identifiers only: they mean the same quoted and unquoted, so search_path and CREATE SCHEMA agree.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Parses DATABASE_URL; an unknown scheme or a bad schema name is a configuration error. */
export function parseDatabaseUrl(databaseUrl: string): DatabaseTarget {
  const url = databaseUrl.trim();
  if (url.startsWith('sqlite:')) {
    // `sqlite:///abs/path` (the common URL spelling) is accepted as well as `sqlite:/abs/path`.
    const rest = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (rest === '') throw new LookoutError('config', `DATABASE_URL \`sqlite:\` needs a path. Use ${ACCEPTED}.`);
    return { dialect: 'sqlite', path: rest };
  }
  if (/^postgres(ql)?:\/\//i.test(url)) return parsePostgres(url);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  const what = scheme ? `scheme \`${scheme}:\`` : 'value';
  throw new LookoutError('config', `Unsupported DATABASE_URL ${what}. Use ${ACCEPTED}.`);
}

function parsePostgres(url: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new LookoutError('config', `DATABASE_URL is not a valid URL. Use ${ACCEPTED}.`, { cause });
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema === undefined) return { dialect: 'postgres', connectionString: url };
  if (!SCHEMA_NAME.test(schema)) {
    throw new LookoutError('config', 'DATABASE_URL `schema` must be lower-case letters, digits and `_` (at most 63).');
  }
  // pg lets connection-string parameters override the config object, so an `options` parameter would
  // replace our search_path: take it out here and merge it with ours instead.
  const options = parsed.searchParams.get('options') ?? undefined;
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('options');
  return { dialect: 'postgres', connectionString: parsed.toString(), schema, options };
}

/**
 * The URL without its password, for messages and logs: the userinfo's password runs to the last `@` (a password
 * may contain an unencoded `@`), and `password`/`sslpassword` query parameters lose their values.
 */
export function redactDatabaseUrl(databaseUrl: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^:@/?#]*):(.*)@/is.exec(databaseUrl);
  const hidden = m ? `${m[1]}${m[2]}:***@${databaseUrl.slice(m[0].length)}` : databaseUrl;
  return hidden.replace(/([?&](?:ssl)?password=)[^&#]*/gi, '$1***');
}

/**
 * Why opening the database failed, in the driver's words ("no PostgreSQL user name specified in startup
 * packet", "connect ECONNREFUSED …"), with any password from the URL taken out and the length bounded.
 */
export function describeOpenFailure(err: unknown, databaseUrl: string): string {
  const e = err as { message?: unknown; code?: unknown; errors?: unknown[] } | undefined;
  const own = typeof e?.message === 'string' && e.message.trim() ? e.message.trim() : '';
  // Node reports a refused connection to every address of a host as an AggregateError with an empty message.
  const inner = Array.isArray(e?.errors) ? e.errors.map((x) => (x as { message?: string })?.message).filter(Boolean).join('; ') : '';
  let text = own || inner || (typeof e?.code === 'string' ? e.code : '') || 'unknown error';
  for (const secret of secretsOf(databaseUrl)) text = text.split(secret).join('***');
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

function secretsOf(databaseUrl: string): string[] {
  const out: string[] = [];
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^:@/?#]*:(.*)@/is.exec(databaseUrl);
  if (m?.[1]) out.push(m[1], safeDecode(m[1]));
  for (const q of databaseUrl.matchAll(/[?&](?:ssl)?password=([^&#]*)/gi)) if (q[1]) out.push(q[1], safeDecode(q[1]));
  return [...new Set(out)].filter((x) => x.length > 0);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
