/** tokenVerifier: a remembered token is still refused once its own exp has passed. */
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { tokenVerifier } from '../src/plugins/auth.js';

const SECRET = 'unit-secret-that-is-long-enough';
const sign = (o: { role: string; expSeconds: number; secret?: string }) =>
  new SignJWT({ role: o.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('dashboard')
    .setExpirationTime(o.expSeconds)
    .sign(new TextEncoder().encode(o.secret ?? SECRET));

describe('tokenVerifier', () => {
  it('accepts a token again from memory, and refuses it once expired', async () => {
    const verify = tokenVerifier({ secret: SECRET });
    // Expires at the next whole second but one: valid now, invalid ≤ 2 s from now.
    const exp = Math.floor(Date.now() / 1000) + 2;
    const token = await sign({ role: 'admin', expSeconds: exp });
    expect(await verify(token)).toEqual({ sub: 'dashboard', role: 'admin' });
    expect(await verify(token)).toEqual({ sub: 'dashboard', role: 'admin' });
    await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 10));
    await expect(verify(token)).rejects.toThrow();
  });

  it('never remembers a refused token', async () => {
    const verify = tokenVerifier({ secret: SECRET });
    const exp = Math.floor(Date.now() / 1000) + 60;
    const forged = await sign({
      role: 'admin',
      expSeconds: exp,
      secret: 'another-secret-long-enough',
    });
    await expect(verify(forged)).rejects.toThrow();
    await expect(verify(forged)).rejects.toThrow();
    const noRole = await sign({ role: 'root', expSeconds: exp });
    await expect(verify(noRole)).rejects.toThrow('no known role');
    await expect(verify(noRole)).rejects.toThrow('no known role');
  });
});
