/**
 * The anonymous MNO labels of the tenant insights (US-ANLYT-19 AC1): pure.
 * - A label names a position, not an MNO: MNO-A, MNO-B, … MNO-Z, MNO-AA, MNO-AB, … (bijective
 *   base 26, like spreadsheet columns), so labels never run out and never repeat.
 * - Which MNO gets which position must not reveal the real ids. Positions are handed out in
 *   the order MNOs first appear for the tenant (stored, so a label never changes), and MNOs
 *   that first appear together are ordered by an HMAC of (tenant, mno) under a server secret:
 *   without the secret that order is unpredictable, and it differs from tenant to tenant, so
 *   neither the alphabetical order of the ids nor another tenant's labels give it away.
 */
import { createHmac } from 'node:crypto';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The label at `ordinal` (0 → MNO-A, 25 → MNO-Z, 26 → MNO-AA, 701 → MNO-ZZ, 702 → MNO-AAA). */
export function mnoLabel(ordinal: number): string {
  if (!Number.isSafeInteger(ordinal) || ordinal < 0)
    throw new RangeError(`a label ordinal is a non-negative integer, not ${ordinal}`);
  let letters = '';
  for (let n = ordinal + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = LETTERS[(n - 1) % 26]! + letters;
  return `MNO-${letters}`;
}

/** The order in which MNOs first seen together get their labels: by HMAC(key, tenant, mno). */
export function labelOrder(key: Buffer, tenantId: string, mnos: Iterable<string>): string[] {
  const keyed = [...new Set(mnos)].map((mno) => ({
    mno,
    // JSON keeps the pair unambiguous whatever characters the ids hold.
    k: createHmac('sha256', key)
      .update(JSON.stringify([tenantId, mno]))
      .digest('hex'),
  }));
  return keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map((x) => x.mno);
}
