import { describe, expect, it } from 'vitest';
import { AllowList, isPublicAddress } from './address-policy.ts';

describe('isPublicAddress', () => {
  it.each([
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.32.0.1', true],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['192.0.2.1', false],
    ['198.18.0.1', false],
    ['240.0.0.1', false],
    ['::1', false],
    ['::', false],
    ['fd00::1', false],
    ['fe80::1', false],
    ['ff02::1', false],
    ['2001:db8::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['8.8.8.8', true],
    ['149.154.167.220', true],
    ['2a03:2880:f10c:83:face:b00c:0:25de', true],
    ['not-an-ip', false],
    ['', false],
  ])('%s → %s', (ip, expected) => {
    expect(isPublicAddress(ip)).toBe(expected);
  });

  // The forms the first guard missed: each spells a private IPv4 address inside an IPv6 one.
  it.each([
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['::7f00:1', 'IPv4-compatible loopback, hex'],
    ['::a00:1', 'IPv4-compatible 10.0.0.1'],
    ['::ffff:0:a9fe:a9fe', 'IPv4-translated 169.254.169.254'],
    ['64:ff9b::7f00:1', 'NAT64 of 127.0.0.1'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 of 169.254.169.254'],
    ['64:ff9b::c0a8:101', 'NAT64 of 192.168.1.1'],
    ['64:ff9b:1::a00:1', 'local-use NAT64 prefix'],
    ['2002:7f00:1::', '6to4 of 127.0.0.1'],
    ['2002:a00:1::1', '6to4 of 10.0.0.1'],
    ['2002:c0a8:101::', '6to4 of 192.168.1.1'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
  ])('refuses %s (%s)', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });

  it('judges translation forms by their IPv4 address: public ones pass', () => {
    expect(isPublicAddress('64:ff9b::808:808')).toBe(true);
    expect(isPublicAddress('2002:808:808::1')).toBe(true);
  });
});

describe('AllowList', () => {
  it('matches host names, addresses and CIDR ranges', () => {
    const allow = AllowList.parse('127.0.0.1, localhost,::1,10.0.0.0/8,fd00::/8,[fe80::1]');
    expect(allow.permits('localhost', '127.0.0.1')).toBe(true);
    expect(allow.permits('LOCALHOST', '::1')).toBe(true);
    expect(allow.permits('example.test', '127.0.0.1')).toBe(true);
    expect(allow.permits('example.test', '::ffff:127.0.0.1')).toBe(true);
    expect(allow.permits('127.0.0.2', '127.0.0.2')).toBe(false);
    expect(allow.permits('x', '10.200.1.1')).toBe(true);
    expect(allow.permits('x', 'fd12::1')).toBe(true);
    expect(allow.permits('x', 'fe80::1')).toBe(true);
    expect(allow.permits('x', '192.168.0.1')).toBe(false);
    expect(allow.permits('x', '8.8.8.8')).toBe(true);
  });

  it('is empty by default: nothing private passes', () => {
    expect(AllowList.parse('').permits('localhost', '127.0.0.1')).toBe(false);
    expect(AllowList.empty.permits('x', '::1')).toBe(false);
  });

  it.each(['10.0.0.0/33', 'http://localhost', 'local host', '1.2.3.4/x', '-bad-'])(
    'rejects the entry %s with its name in the message',
    (entry) => {
      expect(() => AllowList.parse(`127.0.0.1,${entry}`)).toThrow(entry);
    },
  );
});
