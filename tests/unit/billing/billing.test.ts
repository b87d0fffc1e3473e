// The billing link template, the push signature and the retry schedule (issue 14 item 9).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backoffSec, billingTemplateProblems, companyPushKey, fillBillingTemplate, pushSignature } from '../../../src/domain/billing.js';

describe('billing URL template', () => {
  it('accepts https with {account}; refuses http, unknown placeholders, no {account}, credentials, stray braces', () => {
    expect(billingTemplateProblems('https://billing.example/acc/{account}')).toEqual([]);
    expect(billingTemplateProblems('https://billing.example/acc?id={account}&org={tenant}')).toEqual([]);
    expect(billingTemplateProblems('http://billing.example/acc/{account}').join()).toContain('https');
    expect(billingTemplateProblems('javascript:alert({account})').join()).toContain('https');
    expect(billingTemplateProblems('https://billing.example/acc/{accaunt}').join()).toContain('{accaunt}');
    expect(billingTemplateProblems('https://billing.example/acc/').join()).toContain('{account}');
    expect(billingTemplateProblems('https://u:p@billing.example/{account}').join()).toContain('логин');
    expect(billingTemplateProblems('https://billing.example/{account}}').join()).toContain('скобка');
  });

  it('fills placeholders URL-encoded, so an account number cannot change the path or the host', () => {
    expect(fillBillingTemplate('https://b.example/acc/{account}?t={tenant}', { account: '12/../../x?y=1#z', tenant: '1' })).toBe('https://b.example/acc/12%2F..%2F..%2Fx%3Fy%3D1%23z?t=1');
  });
});

describe('push signature and retries', () => {
  it('signs the raw body with the company’s key; companies get different keys', () => {
    const key = companyPushKey('master-secret-0123456789', 1);
    expect(key).not.toBe(companyPushKey('master-secret-0123456789', 2));
    expect(pushSignature(key, '{"a":1}')).toBe(`sha256=${createHmac('sha256', key).update('{"a":1}').digest('hex')}`);
  });

  it('backs off 1, 2, 4, 8… times the base, capped', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffSec(n, 60, 3600))).toEqual([60, 120, 240, 480, 960, 1920, 3600]);
  });
});
