import { describe, expect, it } from 'vitest';

import { methods, methodNames, type MethodName } from '../../../shared/contract/api';
import { roleAllows } from '../../../shared/contract/roles';
import { createClient } from '../api/client';
import { createAppStore } from '../store';
import { memoryStorage } from '../testing/fake-transport';
import { session } from '../testing/fixtures';
import { renderStatic } from '../testing/render-static';

import { hiddenControlsLine, sessionCan, useCan } from './use-can';

function Probe({ method }: { method: MethodName }) {
  return <span>{useCan(method) ? 'yes' : 'no'}</span>;
}

const probe = (role: 'viewer' | 'operator' | 'admin' | null, method: MethodName): string => {
  const client = createClient();
  const store = createAppStore({ client, storage: memoryStorage() });
  store.setState({ session: role ? session(role) : null });
  return renderStatic(store, client, <Probe method={method} />);
};

describe('useCan', () => {
  it('follows the method’s declared role for the signed-in role', () => {
    expect(probe('viewer', 'jobs.list')).toBe('<span>yes</span>');
    expect(probe('viewer', 'jobs.runNow')).toBe('<span>no</span>');
    expect(probe('operator', 'jobs.runNow')).toBe('<span>yes</span>');
    expect(probe('operator', 'integrations.create')).toBe('<span>no</span>');
    expect(probe('admin', 'integrations.create')).toBe('<span>yes</span>');
  });

  it('says no to everything before session.info has answered', () => {
    expect(probe(null, 'jobs.list')).toBe('<span>no</span>');
    expect(methodNames.some((m) => sessionCan(null, m))).toBe(false);
  });

  it('agrees with the contract for every method and role', () => {
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      for (const m of methodNames) expect(sessionCan(session(role), m), `${role} ${m}`).toBe(roleAllows(role, methods[m].role));
    }
  });
});

describe('hiddenControlsLine', () => {
  const calls: MethodName[] = ['jobs.create', 'jobs.runNow'];

  it('is silent for a role that sees every control, or before the role is known', () => {
    expect(hiddenControlsLine(session('admin'), calls)).toBeNull();
    expect(hiddenControlsLine(null, calls)).toBeNull();
  });

  it('says when every change is hidden', () => {
    expect(hiddenControlsLine(session('viewer'), calls)).toBe('You are signed in as a viewer: changes are hidden.');
  });

  it('names the role the hidden part needs when only part is hidden', () => {
    expect(hiddenControlsLine(session('operator'), calls)).toBe('You are signed in as an operator: changes that need an admin are hidden.');
    expect(hiddenControlsLine(session('viewer'), ['raw.get', 'jobs.list'])).toBe('You are signed in as a viewer: changes that need an operator are hidden.');
  });
});
