import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_CHANNEL } from '../../adapters/playground/routes.js';
import { type LocalCluster, startLocalCluster } from '../../adapters/redis-cluster-launcher.js';
import type { Runtime } from '../../adapters/runtime.js';
import { connectRedis, type RedisClient } from '../../src/redis-connections.js';
import { keys } from '../../src/store/keys.js';
import { playgroundApi } from '../helpers/playground-api.js';
import { startTestRuntime } from '../helpers/runtime.js';
import { waitFor } from '../helpers/wait.js';

/**
 * A whole campaign on a local Redis Cluster of three masters, through the real engine, store, queues
 * and workers, with the campaign's slot moved to another master half-way, answers arriving while it
 * moves, then the queues' slot. (No test database: a cluster has database 0 only, and this one is the test's own.)
 */

interface Post {
  id: string;
  kind?: string;
  text: string;
  file?: { name: string; url?: string };
  replies: { id: string; kind?: string; text: string }[];
}

let cluster: LocalCluster;
let runtime: Runtime;
let client: RedisClient;
let base = '';

const api = playgroundApi(() => base);
const posts = () => api.posts<Post>();
const questions = async () => (await posts()).filter((p) => p.kind === 'question');
const campaignId = async () => {
  const id = await runtime.store.activeId(PLAYGROUND_CHANNEL);
  if (!id) throw new Error('no active campaign');
  return id;
};

/** Every answer sent, by its text: each must be in the store at the end, word for word. */
const sent: string[] = [];
async function answer(user: string, question: string, text: string): Promise<void> {
  const res = await api.answer(user, question, text);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  sent.push(text);
}

async function questionNumber(n: number): Promise<Post> {
  return waitFor(`question ${n}`, async () => (await questions())[n - 1]);
}

beforeAll(async () => {
  cluster = await startLocalCluster(3);
  runtime = await startTestRuntime({ clusterNodes: cluster.nodesVariable });
  base = `http://127.0.0.1:${runtime.port}`;
  client = connectRedis({ redisUrl: '', redisCluster: { nodes: cluster.nodes, tls: false } }, 'fast-fail');
}, 30_000);

afterAll(async () => {
  client?.disconnect();
  await runtime?.close();
  await cluster?.stop();
});

describe('a campaign on a Redis Cluster', () => {
  it("runs from start to export, its slot and the queues' moved to other masters half-way, losing nothing", async () => {
    expect((await api.command('ada', '/canevas start lang:en format:drip')).body.ok).toBe(true);
    const first = await questionNumber(1);
    await answer('ben', first.id, 'Our open map of bike-repair points.');
    await answer('chloe', first.id, 'The map, its data and the people who keep it.');
    expect((await api.command('ada', '/canevas next')).body.ok).toBe(true);
    const second = await questionNumber(2);
    await answer('ben', second.id, 'Before the move: repairers and riders.');

    const id = await campaignId();
    const slot = Number(await client.cluster('KEYSLOT', keys.campaign(id)));
    const before = await cluster.ownerOf(slot);
    const saved = async () => (await client.llen(keys.inbox(id))) + (await client.hlen(keys.answers(id)));
    const savedBefore = await saved();
    // Answers sent while the inbox has moved and the campaign not: their writes get ASK, their
    // transitions (which touch both) TRYAGAIN until the rest follows.
    let during: Promise<unknown> = Promise.resolve();
    const after = await cluster.moveSlot(slot, {
      firstKeys: [keys.inbox(id)],
      afterFirstBatch: async () => {
        during = Promise.all([
          answer('chloe', second.id, 'During the move: the city council, as a funder.'),
          answer('ada', second.id, 'During the move: the bike shops that check the points.'),
        ]);
        await waitFor('the answers sent during the move to be saved', async () =>
          (await saved()) >= savedBefore + 2 ? true : undefined,
        );
      },
    });
    await during;
    expect(after).not.toEqual(before);
    const replies = await cluster.errorCounts(before);
    expect(replies.ASK, JSON.stringify(replies)).toBeGreaterThan(0);
    expect(replies.TRYAGAIN, JSON.stringify(replies)).toBeGreaterThan(0);
    expect(await cluster.ownerOf(slot)).toEqual(after);
    // The campaign's keys now live on the new master, read there without any redirection.
    const owner = new Redis({ ...after, maxRetriesPerRequest: 1 });
    try {
      expect(await owner.exists(keys.campaign(id), keys.answers(id))).toBe(2);
    } finally {
      owner.disconnect();
    }

    // The queues' slot too (BullMQ's keys, under the tag {canevas}), under the live workers.
    const queueSlot = Number(await client.cluster('KEYSLOT', '{canevas}'));
    const queuesBefore = await cluster.ownerOf(queueSlot);
    expect(await cluster.moveSlot(queueSlot)).not.toEqual(queuesBefore);

    await answer('chloe', second.id, 'After the move: a school that maps its street.');
    expect((await api.command('ada', '/canevas next')).body.ok).toBe(true);
    const third = await questionNumber(3);
    await answer('ben', third.id, 'Anyone may add a point; two people check it.');
    expect((await api.command('ada', '/canevas summary')).body.ok).toBe(true);
    expect((await api.command('ada', '/canevas export md')).body.ok).toBe(true);
    const exported = await waitFor('the export', async () =>
      (await posts()).find((p) => p.kind === 'export'),
    );
    const markdown = await (await fetch(`${base}${exported.file?.url}`)).text();
    for (const text of sent) expect(markdown).toContain(text);
    expect((await api.command('ada', '/canevas stop')).body.ok).toBe(true);
    await waitFor('the final canvas', async () =>
      (await posts()).filter((p) => p.kind === 'summary').length === 2 ? true : undefined,
    );
    await waitFor('every post made', async () => (await runtime.lists.postsLength(id)) === 0);

    // Every answer stored, word for word, and none twice.
    const campaign = await runtime.store.get(id);
    const stored = Object.values(campaign?.answers ?? {}).map((a) => a.text);
    expect(stored.sort()).toEqual([...sent].sort());
    // Every post made once: one intro, three questions, the summary and the final canvas, one export.
    const all = await posts();
    const count = (kind: string) => all.filter((p) => p.kind === kind).length;
    expect({
      intro: count('intro'),
      question: count('question'),
      summary: count('summary'),
      export: count('export'),
    }).toEqual({ intro: 1, question: 3, summary: 2, export: 1 });
    expect((await questions()).map((q) => q.replies.length)).toEqual([2, 4, 1]);
    expect((await runtime.store.loadCounted(id))?.failedPosts).toEqual({ count: 0 });
    expect(await client.llen(keys.dead(id))).toBe(0);
    const health = await fetch(`${base}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', checks: { redis: 'ok' } });
  }, 30_000);

  it('says unavailable while a slot has no master, and ok again once it has', async () => {
    const slot = Number(await client.cluster('KEYSLOT', 'canevas:health-probe'));
    const owner = await cluster.ownerOf(slot);
    const admins = cluster.nodes.map((n) => new Redis({ ...n, maxRetriesPerRequest: 1 }));
    const health = async () => (await fetch(`${base}/healthz`)).json();
    try {
      for (const admin of admins) await admin.cluster('DELSLOTS', slot);
      expect(await health()).toMatchObject({
        status: 'unavailable',
        checks: { redis: /cluster state fail/ },
      });
      await admins[cluster.nodes.indexOf(owner)]?.cluster('ADDSLOTS', slot);
      await waitFor('the cluster to serve every slot again', async () =>
        (await health()).status === 'ok' ? true : undefined,
      );
    } finally {
      for (const admin of admins) admin.disconnect();
    }
  });
});
