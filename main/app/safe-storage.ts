import { safeStorage } from 'electron';

import type { CredentialProtection } from '../../shared/contract/profiles';
import { SealerError, type CredentialSealer } from '../profiles/sealer';

/**
 * Profile credentials sealed by Electron `safeStorage`: the macOS Keychain, Windows DPAPI, or on
 * Linux the Secret Service (GNOME keyring, KWallet). On Linux without any of those, Chromium falls
 * back to a hard-coded key ("basic_text"): that is obfuscation, not protection, so it is reported
 * as `weak` and the console says so next to the credentials.
 */
const PREFIX = 'ss1:';

const WEAK_NOTE =
  'This computer has no keyring Sluice can use (no GNOME keyring or KWallet running), so stored credentials are only obfuscated. Start a keyring, or keep credentials out of profiles and give them in the environment.';
const UNAVAILABLE_NOTE = 'The OS keychain is not available, so Sluice cannot store credentials on this computer.';

export const protectionOf = (platform: NodeJS.Platform = process.platform): CredentialProtection => {
  if (!safeStorage.isEncryptionAvailable()) return 'unavailable';
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return 'weak';
  return 'os';
};

export const safeStorageSealer = (platform: NodeJS.Platform = process.platform): CredentialSealer => {
  const note = (): string | null => ({ os: null, weak: WEAK_NOTE, unavailable: UNAVAILABLE_NOTE, not_stored: null })[protectionOf(platform)];
  return {
    protection: () => Promise.resolve(protectionOf(platform)),
    get note() {
      return note();
    },
    seal: (plain) => {
      if (protectionOf(platform) === 'unavailable') return Promise.reject(new SealerError(UNAVAILABLE_NOTE));
      return Promise.resolve(PREFIX + safeStorage.encryptString(plain).toString('base64'));
    },
    open: (sealed) => {
      if (!sealed.startsWith(PREFIX)) return Promise.reject(new SealerError('not a value sealed by safeStorage'));
      // decryptString throws when another user, machine or keychain sealed it; the store explains that.
      const plain = safeStorage.decryptString(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
      return Promise.resolve({ plain, reseal: false });
    },
  };
};
