import { describe, expect, it } from 'vitest';
import { DocCache } from '../../src/store/doc-cache.js';

const json = (name: string) =>
  JSON.stringify({ id: 'c1', name, questions: [{ blockId: 'b1', status: 'open' }] });

describe('the documents kept per campaign', () => {
  it('keeps a document frozen through and through, so no transition can change it in place', () => {
    const kept = new DocCache().keep('c1', '3', 120, json('One'));
    expect(Object.isFrozen(kept.doc)).toBe(true);
    const question = kept.doc.questions[0] as { status: string };
    expect(() => {
      question.status = 'closed';
    }).toThrow(TypeError);
    expect(kept.doc.questions[0]?.status).toBe('open');
  });

  it('parses a new version of the same document only once', () => {
    const docs = new DocCache();
    const first = docs.keep('c1', '3', 120, json('One'));
    const same = docs.keep('c1', '4', 120, json('One'));
    expect(same.doc).toBe(first.doc);
    expect(same.version).toBe('4');
    const changed = docs.keep('c1', '5', 121, json('Two'));
    expect(changed.doc.name).toBe('Two');
    expect(docs.peek('c1')).toBe(changed);
  });

  it('lets go of the campaign used longest ago past its limit', () => {
    const docs = new DocCache(2);
    docs.keep('c1', '1', 1, json('One'));
    docs.keep('c2', '1', 1, json('Two'));
    docs.keep('c1', '2', 1, json('One'));
    docs.keep('c3', '1', 1, json('Three'));
    expect(docs.peek('c2')).toBeUndefined();
    expect(docs.peek('c1')?.version).toBe('2');
    expect(docs.peek('c3')).toBeDefined();
  });
});
