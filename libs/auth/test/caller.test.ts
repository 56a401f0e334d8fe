import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, removeUser, signedInMember } from '../src';
import { cookieHeader, createAuthFixture, signInRequest, type AuthFixture } from './helpers';

describe('who is asking', () => {
  let fx: AuthFixture;
  beforeAll(async () => {
    fx = await createAuthFixture();
    await addUser(fx.ovus, { email: 'admin@example.org', password: 'the admin passphrase', role: 'admin' });
    await addUser(fx.ovus, { email: 'eve@example.org', password: 'a member passphrase' });
  });
  afterAll(async () => {
    await fx.db.drop();
  });

  it('knows a signed-in member by the session cookie, nobody without one, and nobody once the account is removed', async () => {
    const response = await fx.ovus.handler(signInRequest(fx.publicUrl, { email: 'eve@example.org', password: 'a member passphrase' }));
    const cookie = cookieHeader(response);
    expect(await signedInMember(fx.ovus, new Headers({ cookie }))).toMatchObject({ email: 'eve@example.org', role: 'member' });
    expect(await signedInMember(fx.ovus, new Headers())).toBeNull();
    expect(await signedInMember(fx.ovus, new Headers({ cookie: 'ovus.session_token=forged.value' }))).toBeNull();
    // A session token without the secret's signature is refused.
    const unsigned = cookie.replace(/ovus\.session_token=([^.;]+)\.[^;]+/, 'ovus.session_token=$1');
    expect(await signedInMember(fx.ovus, new Headers({ cookie: unsigned }))).toBeNull();
    await removeUser(fx.ovus, 'eve@example.org');
    expect(await signedInMember(fx.ovus, new Headers({ cookie }))).toBeNull();
  });
});
