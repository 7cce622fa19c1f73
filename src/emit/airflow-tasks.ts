/**
 * The DAG as data: which Airflow tasks exist, what each runs, and the edges between
 * them. Pure, so unit tests assert on it without reading Python.
 */
import { TspipeError } from '../errors.js';
import { assignTaskIds, compare, type TaskIdRequest } from './airflow-task-ids.js';

/**
 * Where data tests run (the names of astronomer-cosmos's TestBehavior). build: in the task
 * of the node they test, as `tspipe build` (dbt's build: a failing test fails the task, so
 * nothing downstream runs). after_each: a task of their own after each tested node, which
 * blocks nothing. after_all: one task after the whole graph. none: not at all.
 */
export const TEST_BEHAVIORS = ['build', 'after_each', 'after_all', 'none'] as const;
export type TestBehavior = (typeof TEST_BEHAVIORS)[number];

export interface AirflowDagNode {
  uniqueId: string;
  name: string;
  resourceType: 'seed' | 'model' | 'snapshot' | 'test';
  /** uniqueIds among the nodes (seeds and models). */
  dependsOn: string[];
  /** Tests: the uniqueId of the seed or model they test. */
  attachedNode?: string;
  /** A microbatch model: its task gets the DAG run's data interval as its batch window. */
  microbatch?: boolean;
}

export interface AirflowTask {
  taskId: string;
  verb: 'seed' | 'run' | 'snapshot' | 'test' | 'build';
  /**
   * What `--select` gets, by name: the node (for build, followed by its tests), or a group's
   * tests; null runs every test.
   */
  select: string[] | null;
  /** Runs with --event-time-start/--event-time-end from Airflow's data interval. */
  dataInterval?: true;
}

export interface AirflowTaskPlan {
  /** Sorted by task id. */
  tasks: AirflowTask[];
  /** [upstream, downstream] task ids, sorted. */
  edges: [string, string][];
}

interface PlannedTask extends TaskIdRequest {
  verb: AirflowTask['verb'];
  select: string[] | null;
  upstream: Set<string>;
  dataInterval?: boolean;
}

export function planAirflowTasks(nodes: readonly AirflowDagNode[], testBehavior: TestBehavior): AirflowTaskPlan {
  const byId = indexNodes(nodes);
  const builds = nodes.filter((n) => n.resourceType !== 'test');
  const tests = nodes.filter((n) => n.resourceType === 'test');
  const hosting = testBehavior === 'build' ? hostTests(tests, byId) : undefined;
  const planned: PlannedTask[] = builds.map((node) => {
    const hosted = hosting?.hosted.get(node.uniqueId)?.sort(compare);
    return {
      key: node.uniqueId,
      name: node.name,
      verb: hosted ? 'build' : node.resourceType === 'seed' ? 'seed' : node.resourceType === 'snapshot' ? 'snapshot' : 'run',
      select: [node.name, ...(hosted ?? [])],
      upstream: new Set(node.dependsOn),
      dataInterval: node.microbatch === true,
    };
  });
  if (hosting) planned.push(...testsAfterEach(hosting.unhosted, byId));
  if (testBehavior === 'after_each') planned.push(...testsAfterEach(tests, byId));
  if (testBehavior === 'after_all' && tests.length > 0) planned.push(testsAfterAll(builds));

  const ids = assignTaskIds(planned);
  const tasks = planned
    .map((t): AirflowTask => ({ taskId: ids.get(t.key)!, verb: t.verb, select: t.select, ...(t.dataInterval ? { dataInterval: true } : {}) }))
    .sort((a, b) => compare(a.taskId, b.taskId));
  const edges = planned
    .flatMap((t) => [...t.upstream].map((up): [string, string] => [ids.get(up)!, ids.get(t.key)!]))
    .sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  return { tasks, edges };
}

function indexNodes(nodes: readonly AirflowDagNode[]): Map<string, AirflowDagNode> {
  const byId = new Map<string, AirflowDagNode>();
  for (const node of nodes) {
    if (byId.has(node.uniqueId)) throw new TspipeError(`Airflow DAG: node ${node.uniqueId} is listed twice`);
    byId.set(node.uniqueId, node);
  }
  for (const node of nodes) {
    for (const dep of [...node.dependsOn, ...(node.attachedNode ? [node.attachedNode] : [])]) {
      const target = byId.get(dep);
      if (!target || target.resourceType === 'test') {
        throw new TspipeError(`Airflow DAG: ${node.uniqueId} depends on ${dep}, which is not a seed or model of the DAG`, {
          model: node.name,
          hint: 'pass every seed and model the selected nodes depend on (ephemeral models and sources are not tasks)',
        });
      }
    }
  }
  return byId;
}

/** A node's parents that are tasks: what it reads, and the node it tests. */
function taskParents(node: AirflowDagNode): string[] {
  return [...new Set([...node.dependsOn, ...(node.attachedNode ? [node.attachedNode] : [])])];
}

/**
 * build: each test goes into the task of the one parent that has all its other parents
 * upstream (the tested node first), so it runs right after that node with everything it
 * reads already built. A test with no such parent (e.g. raw rows = clean + quarantined rows,
 * reading two siblings) keeps a test task of its own, as after_each.
 */
function hostTests(tests: AirflowDagNode[], byId: Map<string, AirflowDagNode>): { hosted: Map<string, string[]>; unhosted: AirflowDagNode[] } {
  const isUpstream = isUpstreamIn(byId);
  const hosted = new Map<string, string[]>();
  const unhosted: AirflowDagNode[] = [];
  for (const test of tests) {
    const parents = taskParents(test);
    const candidates = test.attachedNode ? [test.attachedNode, ...parents.filter((p) => p !== test.attachedNode)] : parents;
    const host = candidates.find((candidate) => parents.every((p) => p === candidate || isUpstream(p, candidate)));
    if (host === undefined) unhosted.push(test);
    else hosted.set(host, [...(hosted.get(host) ?? []), test.name]);
  }
  return { hosted, unhosted };
}

/**
 * Whether `ancestor` is upstream of `id`: a walk up from `id` that stops when it gets there
 * (no recursion: chains can be thousands deep).
 */
function isUpstreamIn(byId: Map<string, AirflowDagNode>): (ancestor: string, id: string) => boolean {
  return (ancestor, id) => {
    const seen = new Set<string>();
    const stack = [...byId.get(id)!.dependsOn];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (next === ancestor) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...byId.get(next)!.dependsOn);
    }
    return false;
  };
}

/**
 * One task per tested node, plus one per test tied to no node. A task selects its
 * tests by name: `test --select <node>` would also pull in (eagerly) every test that
 * merely reads the node, e.g. a relationships test on a model not built yet.
 */
function testsAfterEach(tests: AirflowDagNode[], byId: Map<string, AirflowDagNode>): PlannedTask[] {
  const groups = new Map<string, PlannedTask & { names: Set<string> }>();
  for (const test of tests) {
    const subject = test.attachedNode ? byId.get(test.attachedNode)! : test;
    const key = `test:${subject.uniqueId}`;
    let task = groups.get(key);
    if (!task) {
      task = { key, name: `test_${subject.name}`, verb: 'test', select: null, upstream: new Set(), names: new Set() };
      groups.set(key, task);
    }
    task.names.add(test.name);
    // A relationships test reads two models: wait for both, not only the tested one.
    for (const dep of taskParents(test)) task.upstream.add(dep);
  }
  return [...groups.values()].map(({ names, ...task }) => ({ ...task, select: [...names].sort(compare) }));
}

/** One `test` task after the whole graph: waiting for the sinks waits for everything. */
function testsAfterAll(builds: AirflowDagNode[]): PlannedTask {
  const hasDownstream = new Set(builds.flatMap((n) => n.dependsOn));
  const sinks = builds.filter((n) => !hasDownstream.has(n.uniqueId)).map((n) => n.uniqueId);
  return { key: 'tspipe:test_all', name: 'test_all', verb: 'test', select: null, upstream: new Set(sinks) };
}
