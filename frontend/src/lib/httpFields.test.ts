import { describe, expect, it } from 'vitest';
import { advancedSections, authSections, isHiddenField } from './httpFields';
import type { Field } from './types';

const f = (key: string): Field => ({ key, label: key, type: 'text', secret: false, required: false });

describe('httpFields', () => {
  it('splits a token request into its steps, unknown fields first', () => {
    const fields = ['extra', 'tokenPath', 'tokenExpression', 'bearerHeader', 'tokenBaseUrl', 'tokenMethod'].map(f);
    const s = authSections('tokenRequest', fields);
    expect(s.map((x) => [x.title, x.fields.map((y) => y.key)])).toEqual([
      ['', ['extra']],
      ['Token request', ['tokenMethod', 'tokenPath']],
      ['Reading the answer', ['tokenExpression']],
      ['Sending the token', ['bearerHeader']],
      ['Use a different server for auth', ['tokenBaseUrl']],
    ]);
    expect(s[4]?.collapsible).toBe(true);
  });

  it('keeps other auth methods in one untitled section', () => {
    expect(authSections('basic', [f('username'), f('password')])).toEqual([
      { title: '', fields: [f('username'), f('password')] },
    ]);
  });

  it('groups the connection options into TLS and Requests', () => {
    const s = advancedSections(['followRedirects', 'trustedCa', 'clientKey', 'requestHeaders'].map(f));
    expect(s.map((x) => [x.title, x.fields.map((y) => y.key)])).toEqual([
      ['TLS', ['trustedCa', 'clientKey']],
      ['Requests', ['requestHeaders', 'followRedirects']],
    ]);
  });

  it('hides the token body only while the body type is none', () => {
    expect(isHiddenField('tokenBody', { tokenBodyType: 'none' })).toBe(true);
    expect(isHiddenField('tokenBody', { tokenBodyType: 'json' })).toBe(false);
    expect(isHiddenField('tokenPath', { tokenBodyType: 'none' })).toBe(false);
  });
});
