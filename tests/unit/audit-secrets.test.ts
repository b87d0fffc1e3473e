// The audit log never keeps a secret: keys naming a password, hash, secret,
// token or API key are dropped at any depth; everything else stays as is.
import { describe, expect, it } from 'vitest';
import { withoutSecrets } from '../../src/features/audit/repository.js';

describe('withoutSecrets', () => {
  it.each([
    [{ login: 'a', password_hash: 'x', passwordHash: 'x', password: 'x' }, { login: 'a' }],
    [{ extension: '1001', sipPassword: 'x', deviceKind: 'sip' }, { extension: '1001', deviceKind: 'sip' }],
    [{ vendor: 'mango', apiKey: 'k', api_key: 'k', signingSecret: 's', token: 't', key: 'k' }, { vendor: 'mango' }],
    [{ members: [{ number: '+7900', authToken: 't' }] }, { members: [{ number: '+7900' }] }],
    [{ nested: { deeper: { webhookSecret: 's', name: 'n' } } }, { nested: { deeper: { name: 'n' } } }],
    [{ dids: ['1', '2'], priority: 0, workingHours: null }, { dids: ['1', '2'], priority: 0, workingHours: null }],
    ['plain', 'plain'],
    [null, null],
  ])('%j → %j', (input, expected) => {
    expect(withoutSecrets(input)).toEqual(expected);
  });
});
