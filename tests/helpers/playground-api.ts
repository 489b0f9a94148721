import { waitFor } from './wait.js';

/** The playground's JSON API as the page and black-box tests call it, at `base()` (read at each call). */
export function playgroundApi(base: () => string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return {
    call,
    command: (user: string, text: string) => call('POST', '/playground/api/command', { user, text }),
    answer: (user: string, thread: string, text: string) =>
      call('POST', '/playground/api/messages', { user, thread, text }),
    press: (user: string, id: string) => call('POST', `/playground/api/buttons/${id}`, { user }),
    submit: (user: string, id: string, values: Record<string, string>) =>
      call('POST', `/playground/api/forms/${id}`, { user, values }),
    /** Puts the emoji on the message (`on`), or takes it off; the emoji goes percent-encoded. */
    react: (user: string, message: string, emoji: string, on = true) =>
      call(
        on ? 'PUT' : 'DELETE',
        `/playground/api/messages/${message}/reactions/${encodeURIComponent(emoji)}`,
        {
          user,
        },
      ),
    /** Every post of the channel with its thread, as the API shapes them. */
    posts: async <P>() => (await call('GET', '/playground/api/channel')).body.posts as P[],
  };
}

/** The `round`-th round post and the `questions` questions after it, once they are all in. */
export function waitForRound<P extends { kind?: string }>(
  posts: () => Promise<P[]>,
  round: number,
  questions: number,
): Promise<{ round: P; questions: P[] }> {
  return waitFor(`round ${round}`, async () => {
    const all = await posts();
    const at = all.indexOf(all.filter((p) => p.kind === 'round')[round - 1] as P);
    if (at < 0) return undefined;
    const after = all.slice(at + 1).filter((p) => p.kind === 'question');
    if (after.length < questions) return undefined;
    return { round: all[at] as P, questions: after.slice(0, questions) };
  });
}
