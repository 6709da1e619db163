import { describe, expect, it } from 'vitest';
import { isRemotePlainHttp, sendsInsecurely } from './insecure';

describe('plain http:// credentials', () => {
  it('are remote only off this computer', () => {
    expect(isRemotePlainHttp('http://api.internal.example:8080')).toBe(true);
    expect(isRemotePlainHttp('https://api.example.com')).toBe(false);
    expect(isRemotePlainHttp('http://localhost:3000')).toBe(false);
    expect(isRemotePlainHttp('http://127.0.0.1:3000')).toBe(false);
    expect(isRemotePlainHttp('http://[::1]:3000')).toBe(false);
    expect(isRemotePlainHttp('not a url')).toBe(false);
  });

  it('are insecure only when allowed and remote', () => {
    expect(sendsInsecurely({ allowInsecureHttp: 'true' }, 'http://10.0.0.5')).toBe(true);
    expect(sendsInsecurely({ allowInsecureHttp: 'false' }, 'http://10.0.0.5')).toBe(false);
    expect(sendsInsecurely({ allowInsecureHttp: 'true' }, 'https://10.0.0.5')).toBe(false);
    expect(sendsInsecurely(null, 'http://10.0.0.5')).toBe(false);
  });
});
