import { describe, expect, it } from 'vitest';
import { refusalError } from '../../adapters/playground/refusal.js';
import type { EphemeralReply } from '../../src/inbound.js';

const refused = (error?: EphemeralReply['error']): EphemeralReply => ({
  ok: false,
  text: 'No, because…',
  ...(error ? { error } : {}),
});

describe('a refused press or form in the playground API', () => {
  it('carries the core’s error id and words, with a status that says whose doing it is', () => {
    const cases: [EphemeralReply['error'], number][] = [
      ['not-admin', 403],
      ['no-campaign', 409],
      ['campaign-ended', 409],
      ['unknown-question', 409],
      ['remind-me-full', 409],
      ['statement-revised', 409],
      ['consent-closed', 409],
      ['no-statement', 409],
      ['reason-required', 400],
      ['empty-answer', 400],
      ['invalid-cadence', 400],
      ['busy', 503],
      ['internal', 500],
    ];
    for (const [error, status] of cases) {
      const err = refusalError(refused(error));
      expect([err.status, err.code, err.message], error).toEqual([status, error, 'No, because…']);
    }
  });

  it('is a 400 `refused` when the core gave no id', () => {
    const err = refusalError(refused());
    expect([err.status, err.code, err.message]).toEqual([400, 'refused', 'No, because…']);
  });
});
