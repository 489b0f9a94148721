import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, startRedisServer, stopChild } from './redis-launcher.js';

const run = promisify(execFile);

export interface ClusterNodeAddress {
  host: string;
  port: number;
}

/** A Redis Cluster of masters on loopback, for the tests and the benchmarks. */
export interface LocalCluster {
  nodes: ClusterNodeAddress[];
  /** `REDIS_CLUSTER_NODES` for this cluster. */
  nodesVariable: string;
  /** The master serving `slot` now. */
  ownerOf(slot: number): Promise<ClusterNodeAddress>;
  /**
   * Moves `slot` and its keys to another master, as `redis-cli --cluster reshard` does: importing
   * and migrating states, MIGRATE of its keys in batches, then the new owner announced to every
   * master. `firstKeys` move in the first batch; `afterFirstBatch` runs once it has, while the others
   * have not (a command on a moved key then gets ASK, one on keys split between the two masters
   * TRYAGAIN). Returns the new owner.
   */
  moveSlot(
    slot: number,
    options?: {
      to?: ClusterNodeAddress;
      firstKeys?: string[];
      afterFirstBatch?: () => Promise<void> | void;
    },
  ): Promise<ClusterNodeAddress>;
  /** How many error replies of each kind (ASK, MOVED, TRYAGAIN…) a node has sent since it started. */
  errorCounts(node: ClusterNodeAddress): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

const label = (n: ClusterNodeAddress) => `${n.host}:${n.port}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startNode(dataDir: string): Promise<{ child: ChildProcess; node: ClusterNodeAddress }> {
  let lastError: unknown;
  // A free port may be taken between the probe and redis-server's bind: then try others.
  for (let attempt = 0; attempt < 5; attempt++) {
    const node = { host: '127.0.0.1', port: await freePort() };
    try {
      const child = await startRedisServer({
        url: `redis://${label(node)}`,
        dataDir,
        persist: false,
        extraArgs: [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dataDir, `nodes-${node.port}.conf`),
          // The bus port is port + 10000 by default, past 65535 for a high free port.
          '--cluster-port',
          String(await freePort()),
          '--cluster-node-timeout',
          '5000',
        ],
      });
      return { child, node };
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

/** Polls until every node says the cluster is ok (each must have heard of every slot's owner). */
async function waitClusterOk(admins: Redis[]): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const infos = await Promise.all(admins.map((a) => a.cluster('INFO').catch(() => '')));
    if (infos.every((info) => String(info).includes('cluster_state:ok'))) return;
    await sleep(50);
  }
  throw new Error('the local Redis Cluster did not reach cluster_state:ok');
}

/**
 * Starts `masters` redis-servers in cluster mode on free loopback ports (nothing written to disk but
 * their node files, in a temporary folder), joins them with `redis-cli --cluster create`, and waits
 * for `cluster_state:ok`. `stop` ends them and removes the folder; so does the process's exit.
 */
export async function startLocalCluster(masters = 3): Promise<LocalCluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'canevas-cluster-'));
  const children: ChildProcess[] = [];
  const admins: Redis[] = [];
  const cleanUp = () => rmSync(dataDir, { recursive: true, force: true });
  const onExit = () => {
    for (const child of children) child.kill('SIGTERM');
    cleanUp();
  };
  process.once('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    for (const admin of admins) admin.disconnect();
    await Promise.all(children.map(stopChild));
    cleanUp();
  };
  try {
    const nodes: ClusterNodeAddress[] = [];
    for (let i = 0; i < masters; i++) {
      const { child, node } = await startNode(dataDir);
      children.push(child);
      nodes.push(node);
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map(label),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const node of nodes) admins.push(new Redis({ ...node, maxRetriesPerRequest: 1 }));
    await waitClusterOk(admins);
    const adminOf = (node: ClusterNodeAddress) => admins[nodes.findIndex((n) => label(n) === label(node))];
    const idOf = async (node: ClusterNodeAddress) => String(await adminOf(node)?.cluster('MYID'));

    const ownerOf = async (slot: number): Promise<ClusterNodeAddress> => {
      const ranges = (await admins[0]?.cluster('SLOTS')) ?? [];
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      if (!range?.[2]) throw new Error(`slot ${slot} has no owner`);
      const [host, port] = range[2];
      const owner = nodes.find((n) => n.port === port);
      if (!owner) throw new Error(`slot ${slot} is served by ${host}:${port}, not one of ours`);
      return owner;
    };

    const moveSlot: LocalCluster['moveSlot'] = async (slot, options = {}) => {
      const from = await ownerOf(slot);
      const to = options.to ?? nodes.find((n) => label(n) !== label(from));
      if (!to || label(to) === label(from)) throw new Error(`no other master to move slot ${slot} to`);
      const source = adminOf(from);
      const target = adminOf(to);
      if (!source || !target) throw new Error('unknown node');
      const [fromId, toId] = [await idOf(from), await idOf(to)];
      await target.cluster('SETSLOT', slot, 'IMPORTING', fromId);
      await source.cluster('SETSLOT', slot, 'MIGRATING', toId);
      let batches = 0;
      let first = options.firstKeys ?? [];
      for (;;) {
        const batch =
          first.length > 0 ? first : ((await source.cluster('GETKEYSINSLOT', slot, 5)) as string[]);
        first = [];
        if (batch.length === 0) break;
        await source.migrate(to.host, to.port, '', 0, 5000, 'KEYS', ...batch);
        batches += 1;
        if (batches === 1) await options.afterFirstBatch?.();
      }
      if (batches === 0) await options.afterFirstBatch?.();
      // The new owner first, so it never refuses its slot while the others already send clients there.
      await target.cluster('SETSLOT', slot, 'NODE', toId);
      await source.cluster('SETSLOT', slot, 'NODE', toId);
      for (const node of nodes)
        if (label(node) !== label(from) && label(node) !== label(to))
          await adminOf(node)?.cluster('SETSLOT', slot, 'NODE', toId);
      await waitClusterOk(admins);
      return to;
    };

    const errorCounts = async (node: ClusterNodeAddress) => {
      const info = String(await adminOf(node)?.info('errorstats'));
      return Object.fromEntries(
        [...info.matchAll(/^errorstat_(\w+):count=(\d+)/gm)].map(([, kind, n]) => [kind, Number(n)]),
      );
    };

    return { nodes, nodesVariable: nodes.map(label).join(','), ownerOf, moveSlot, errorCounts, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
