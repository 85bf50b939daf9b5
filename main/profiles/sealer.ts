import type { CredentialProtection } from '../../shared/contract/profiles';

/**
 * Seals credentials for the profiles file. On the desktop this is Electron `safeStorage` (the OS
 * keychain: Keychain, DPAPI, libsecret/KWallet), implemented in main/app/safe-storage.ts; the
 * profile store itself stays free of Electron so it runs, and is tested, in plain Node.
 */
export interface CredentialSealer {
  /** How well sealed values are protected here; `unavailable` means nothing may be sealed. */
  protection(): Promise<CredentialProtection>;
  /** A note for the console when protection is less than `os` (what it means, what to do). */
  readonly note: string | null;
  seal(plain: string): Promise<string>;
  /** The plain value, and whether it should be sealed again (the OS rotated its key). */
  open(sealed: string): Promise<{ plain: string; reseal: boolean }>;
}

export class SealerError extends Error {
  override readonly name = 'SealerError';
}
