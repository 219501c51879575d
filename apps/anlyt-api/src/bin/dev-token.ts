/**
 * `node apps/anlyt-api/dist/bin/dev-token.js <admin|portal|regulator> [sub] [ttlSeconds]` —
 * prints an HS256 bearer token signed with ANLYT_AUTH_JWT_SECRET, for local runs and curl.
 * Production tokens come from the platform's identity service, never from this.
 */
import { SignJWT } from 'jose';

const [role = 'admin', sub = 'dev-cli', ttl = '3600'] = process.argv.slice(2);
const secret = process.env['ANLYT_AUTH_JWT_SECRET'];
if (!secret) {
  console.error('ANLYT_AUTH_JWT_SECRET is required');
  process.exit(2);
}
if (!['admin', 'portal', 'regulator'].includes(role)) {
  console.error('usage: dev-token <admin|portal|regulator> [sub] [ttlSeconds]');
  process.exit(2);
}
const now = Math.floor(Date.now() / 1000);
const token = await new SignJWT({ role })
  .setProtectedHeader({ alg: 'HS256' })
  .setSubject(sub)
  .setIssuedAt(now)
  .setExpirationTime(now + Number(ttl))
  .sign(new TextEncoder().encode(secret));
console.log(token);
