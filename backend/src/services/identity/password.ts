import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

/** scrypt parameters of new hashes; a stored hash carries its own, so verifying follows whatever it was made with. */
export interface PasswordHashing {
  N: number;
  r: number;
  p: number;
}

// N=2^15, r=8, p=1: about 50 ms and 32 MiB per hash on this class of machine (OWASP's scrypt minimum is N=2^17 at 1 p
// with r=8, or an equivalent cost; we trade N for latency and keep it configurable per stored hash).
export const standardPasswordHashing: PasswordHashing = Object.freeze({ N: 1 << 15, r: 8, p: 1 });

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64 parts), so parameters can change later. */
export async function hashPassword(password: string, params: PasswordHashing): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, { ...params, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * 1024 * 1024,
  });
  return timingSafeEqual(key, expected);
}

// Checked against when the address is unknown, so a miss costs as long as a wrong password and does not reveal
// which addresses have accounts. A constant, not state: computed once per process and cost.
const dummyHashes = new Map<string, Promise<string>>();

/**
 * Verifies a password against a stored hash, or against a dummy one made with `params` (what new hashes cost) when
 * there is none; never throws.
 */
export async function checkPassword(password: string, stored: string | undefined, params: PasswordHashing): Promise<boolean> {
  const key = `${params.N}$${params.r}$${params.p}`;
  if (!stored && !dummyHashes.has(key)) dummyHashes.set(key, hashPassword('fixpoint-dummy-password', params));
  try {
    return await verifyPassword(password, stored ?? (await dummyHashes.get(key)!));
  } catch {
    // A stored hash with impossible parameters must not turn into a 500.
    return false;
  }
}
