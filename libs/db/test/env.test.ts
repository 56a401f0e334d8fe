import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { dataDir, parseDbEnv } from '../src/env';

describe('parseDbEnv', () => {
  it('names the variable that is wrong and says what it should be', () => {
    expect(() => parseDbEnv({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a PostgreSQL URL/);
    expect(() => parseDbEnv({ OVUS_DATA_DIR: 'relative/dir' })).toThrow(/OVUS_DATA_DIR: must be an absolute path/);
    expect(() => parseDbEnv({ OVUS_EMBEDDED_PG_PORT: '80' })).toThrow(/OVUS_EMBEDDED_PG_PORT/);
  });

  it('treats empty values as unset and fills defaults', () => {
    const env = parseDbEnv({ DATABASE_URL: '' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.TEST_DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(env.OVUS_EMBEDDED_PG_PORT).toBe(54329);
  });
});

describe('dataDir', () => {
  it('prefers OVUS_DATA_DIR, then XDG_DATA_HOME/ovus, then ~/.local/share/ovus', () => {
    expect(dataDir(parseDbEnv({ OVUS_DATA_DIR: '/a', XDG_DATA_HOME: '/b' }))).toBe('/a');
    expect(dataDir(parseDbEnv({ XDG_DATA_HOME: '/b' }))).toBe('/b/ovus');
    expect(dataDir(parseDbEnv({}))).toBe(`${homedir()}/.local/share/ovus`);
  });
});
