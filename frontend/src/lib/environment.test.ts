import { describe, expect, it } from 'vitest';
import { environmentAndName, isProduction } from './environment';

describe('environments', () => {
  it('knows production by its first letters, whatever the case', () => {
    expect(['Production', 'prod', 'PROD-EU', ' production '].map(isProduction)).toEqual([true, true, true, true]);
    expect(['Sandbox', 'Staging', '', 'preprod', null, undefined].map(isProduction)).toEqual([false, false, false, false, false, false]);
  });

  it('names a connection with its environment first', () => {
    expect(environmentAndName({ name: 'Billing API', environment: 'Sandbox' })).toBe('Sandbox · Billing API');
    expect(environmentAndName({ name: 'Billing API', environment: '' })).toBe('Billing API');
  });
});
