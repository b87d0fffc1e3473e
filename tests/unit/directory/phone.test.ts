import { describe, expect, it } from 'vitest';
import { normalizePhone, phonePrefixKeys, phoneSuffixKey } from '../../../src/domain/phone.js';

describe('normalizePhone', () => {
  it.each([
    ['+7 (916) 123-45-67', '79161234567'],
    ['8 916 123 45 67', '79161234567'],
    ['8(916)1234567', '79161234567'],
    ['79161234567', '79161234567'],
    ['9161234567', '79161234567'],
    ['+79161234567', '79161234567'],
    ['7-916-123-45-67', '79161234567'],
    ['8.916.123.45.67', '79161234567'],
    [' +7 916 1234567 ', '79161234567'],
    ['8 (8172) 72-12-34', '78172721234'],
    ['(8172) 72-12-34', '78172721234'],
    ['+7 (495) 123-45-67 доб. 123', '74951234567'],
    ['8 800 555-35-35', '78005553535'],
    ['8 10 7 916 123 45 67', '79161234567'],
    ['007 916 123 45 67', '79161234567'],
    ['+375 29 123-45-67', '375291234567'],
    ['72-12-34', '721234'],
    ['', null],
    ['нет', null],
    [null, null],
  ])('%s → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });
});

describe('phone search keys', () => {
  it.each([
    ['8916123', ['7916123']],
    ['+7 (916', ['7916']],
    ['916 12', ['791612']],
    ['79161234567', ['79161234567']],
    ['7916', ['7916']],
    ['+375 29', ['37529']],
  ])('%s is a prefix of %j', (input, expected) => {
    expect(phonePrefixKeys(input)).toEqual(expected);
  });

  it('searches by the last digits through the reversed number', () => {
    expect(phoneSuffixKey('45-67')).toBe('7654');
  });
});
